"""What a reply of the assistant amounts to: a ticket, a referral, a hand-off, a question.

Referral wordings come from the tree being measured (bot/screening/referrals.py and
settings/screening.yml), so a city's own wording is recognised too.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

TICKET_NUMBER = re.compile(r"工单编号：(\d{12,13})(?!\d)")
# emergency_message(): "请立即拨打119（消防救援电话）！…" and "同时请拨打120（…）".
EMERGENCY_FIRST = re.compile(r"请立即拨打(110|119|120|122)")
EMERGENCY_ANY = re.compile(r"拨打(110|119|120|122)")
HANDOFF = re.compile(r"转接人工客服|为您转人工|正在为您转接|人工客服队列|按0转人工")
# The check the new version asks when only the classifier suspects an emergency.
DANGER_CHECK = re.compile(r"是否正在发生|有人身危险")
SOLVED_QUESTION = "解决了吗"


def ticket_number(text: str) -> Optional[str]:
    match = TICKET_NUMBER.search(text)
    return match.group(1) if match else None


def emergency_numbers(text: str) -> List[str]:
    """Numbers of an emergency referral, the most pressing first; [] when it is no referral."""
    first = EMERGENCY_FIRST.search(text)
    if not first:
        return []
    numbers = [first.group(1)]
    for number in EMERGENCY_ANY.findall(text[first.start():]):
        if number not in numbers:
            numbers.append(number)
    return numbers


@lru_cache(maxsize=None)
def _route_reasons() -> Dict[str, str]:
    """Each not-accepted route's reason as the assistant says it ({city} filled in)."""
    from bot.screening.referrals import not_accepted_referral   # the tree being measured
    from bot.settings import load_yaml
    routes = load_yaml("screening.yml").get("not_accepted", {})
    return {route: not_accepted_referral(route).reason for route in routes}


def not_accepted_route(text: str) -> Optional[str]:
    for route, reason in _route_reasons().items():
        if reason and reason in text:
            return route
    return None


def is_handoff(text: str, custom: List[Dict]) -> bool:
    if any((c.get("data") or {}).get("handoff") for c in custom):
        return True
    return bool(HANDOFF.search(text))


def asks_danger_check(text: str) -> bool:
    return bool(DANGER_CHECK.search(text))


@lru_cache(maxsize=None)
def kb_answers(project_root: str) -> Dict[str, str]:
    """Each knowledge-base entry's answer without whitespace, by id (from the measured tree)."""
    answers = {}
    for path in sorted(Path(project_root, "knowledge").glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            for entry in (yaml.safe_load(handle) or {}).get("entries") or []:
                answers[entry["id"]] = squeeze(str(entry.get("answer") or ""))
    return answers


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def kb_hit(reply_text: str, payloads: List[str], entry_id: str, project_root: str) -> Optional[str]:
    """'answered' when the reply carries the entry's answer, 'offered' when a button offers it."""
    answer = kb_answers(project_root).get(entry_id)
    if answer and answer[:40] in squeeze(reply_text):
        return "answered"
    if any(f'"{entry_id}"' in p for p in payloads):
        return "offered"
    return None
