"""Escalation triggers read from a message: distress, anger, and matters needing a person.

A small, configurable lexicon (settings/escalation.yml), no model: every decision can be
explained to a seat by the words that matched. Runs inside the Rasa NLU pipeline
(components/escalation_net.py), so it must stay importable on Python 3.10 without SQLAlchemy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import List, Optional, Pattern, Tuple

from bot.screening.emergency import kind_of_intent
from bot.seats import reasons
from bot.seats.settings import EscalationSettings, escalation_settings


REQUEST_HUMAN = "request_human"
UNLAWFUL = "not_accepted_unlawful"


@dataclass(frozen=True)
class Trigger:
    reason: str                       # reasons.DISTRESS / ANGER / MATTER
    matched: Tuple[str, ...] = ()     # the words that matched, for the seat
    score: float = 0.0                # anger score (sum of weights)
    matter: Optional[str] = None      # the matter's name, for MATTER

    def as_detail(self) -> dict:
        detail = {"matched": list(self.matched)}
        if self.reason == reasons.ANGER:
            detail["score"] = self.score
        if self.matter:
            detail["matter"] = self.matter
        return detail


@dataclass(frozen=True)
class Lexicon:
    distress: Tuple[Pattern, ...]
    anger: Tuple[Tuple[Pattern, float], ...]
    anger_threshold: float
    negation: Optional[Pattern]
    matters: Tuple[Tuple[str, Tuple[Pattern, ...], Tuple[str, ...]], ...] = field(default=())

    @classmethod
    def from_settings(cls, s: EscalationSettings) -> "Lexicon":
        negation = re.compile(f"(?:{s.anger_negations})$") if s.anger_negations else None
        return cls(
            distress=tuple(re.compile(p) for p in s.distress),
            anger=tuple((re.compile(w.pattern), w.weight) for w in s.anger),
            anger_threshold=s.anger_threshold,
            negation=negation,
            matters=tuple((m.name, tuple(re.compile(p) for p in m.patterns), m.intents) for m in s.matters),
        )


@lru_cache(maxsize=None)
def default_lexicon() -> Lexicon:
    return Lexicon.from_settings(escalation_settings())


def _hits(pattern: Pattern, text: str) -> List[re.Match]:
    return [m for m in pattern.finditer(text) if m.group(0)]


def distress_of(text: str, lexicon: Lexicon) -> Optional[Trigger]:
    matched = [m.group(0) for p in lexicon.distress for m in _hits(p, text)]
    return Trigger(reasons.DISTRESS, tuple(matched)) if matched else None


def _negated(text: str, match: re.Match, negation: Optional[Pattern]) -> bool:
    return bool(negation and negation.search(text[max(0, match.start() - 2):match.start()]))


def anger_of(text: str, lexicon: Lexicon) -> Optional[Trigger]:
    score, matched = 0.0, []
    for pattern, weight in lexicon.anger:
        hits = [m for m in _hits(pattern, text) if not _negated(text, m, lexicon.negation)]
        if hits:   # a pattern counts once, however often it matches
            score += weight
            matched.append(hits[0].group(0))
    if score >= lexicon.anger_threshold:
        return Trigger(reasons.ANGER, tuple(matched), score)
    return None


def matter_of(text: str, intent: Optional[str], lexicon: Lexicon) -> Optional[Trigger]:
    for name, patterns, intents in lexicon.matters:
        if intent and intent in intents:
            return Trigger(reasons.MATTER, (intent,), matter=name)
        matched = [m.group(0) for p in patterns for m in _hits(p, text)]
        if matched:
            return Trigger(reasons.MATTER, tuple(matched), matter=name)
    return None


def is_command(text: str) -> bool:
    """Button payloads ("/affirm") and the like carry no feelings."""
    return (text or "").lstrip().startswith("/")


def detect(text: str, intent: Optional[str] = None, lexicon: Optional[Lexicon] = None) -> Optional[Trigger]:
    """The strongest trigger in the message: distress, then anger, then a configured matter."""
    if not text or is_command(text):
        return None
    lexicon = lexicon or default_lexicon()
    return distress_of(text, lexicon) or anger_of(text, lexicon) or matter_of(text, intent, lexicon)


def may_override(intent: Optional[str], trigger: Trigger) -> bool:
    """Whether a trigger turns the classifier's intent into request_human.

    Never an emergency (the caller hears 110/119/120/122 first). Matters the hotline does not
    accept keep their referral, except that distress always reaches a person and anger overrides
    "unlawful" (a frustrated citizen who sounds insulting needs a person, not a lecture).
    """
    if kind_of_intent(intent) or intent == REQUEST_HUMAN:
        return False
    if intent == UNLAWFUL:
        return trigger.reason in (reasons.DISTRESS, reasons.ANGER)
    if intent and intent.startswith("not_accepted_"):
        return trigger.reason == reasons.DISTRESS
    return True
