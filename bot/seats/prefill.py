"""The ticket form a seat first sees, filled from everything the citizen said so far: to the
assistant (its collected facts) and to the seat (read from the messages with the domain's own
readers: bot/tickets/facts.py and bot/intake_text.py; no patterns of its own).

    facts_from_messages(["我姓周，住人民路88号", "电话13812345678"])
    -> {"location": "人民路88号", "contact_name": "周", "contact_phone": "13812345678"}

The newest statement of a fact wins: what the citizen tells the seat during the hold comes after
anything the assistant's form collected, so a citizen who gives the seat a better address or a
corrected phone number is heard; the form's slots come before the messages they were read from.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, Mapping, Optional

from bot.intake_text import looks_like_question, plausible_answer
from bot.tickets.facts import UNKNOWN, guess_location, read_location, read_name, read_phone, read_time

# Clause boundaries only (not a fact pattern): a time or a name is read from one clause at a time.
_CLAUSES = re.compile(r"[，,；;。！!？?\n]+")
# A clause longer than this is an account of the matter, not a time said on its own.
TIME_CLAUSE_LIMIT = 12
# The readers take a whole text as the answer to 「您怎么称呼？」; in free text, only a clause that
# introduces the citizen (我叫…, 我姓…, 名字是…) names them. Not 我是…: 「我是来投诉的」.
_NAME_CUES = ("我叫", "叫我", "姓", "名字", "姓名")


def _phone(text: str) -> Optional[str]:
    # Without the caller's number, 「就用这个号」 gives nothing: the seat asks.
    return read_phone(text).value


def _place(clause: str) -> Optional[str]:
    guess = guess_location(clause)
    return read_location(guess).value if guess else None


def _name(clause: str) -> Optional[str]:
    if not any(cue in clause for cue in _NAME_CUES) or looks_like_question(clause):
        return None
    name = read_name(clause).value
    # A name is short; the reader keeps up to ten characters of whatever followed the cue.
    return name if name and name != clause.strip() and len(name) <= 4 else None


def _time(clause: str) -> Optional[str]:
    if len(clause) > TIME_CLAUSE_LIMIT or guess_location(clause) or not plausible_answer("event_time", clause):
        return None
    value = read_time(clause).value
    return value if value and value != UNKNOWN else None


def facts_from_messages(messages: Iterable[str]) -> Dict[str, str]:
    """Place, time, name and phone stated in the messages (the latest statement of each wins)."""
    found: Dict[str, str] = {}
    for message in messages:
        phone = _phone(message)
        if phone:
            found["contact_phone"] = phone
        for clause in filter(None, (c.strip() for c in _CLAUSES.split(message))):
            name = _name(clause)
            # 「我姓周」: 周 is also a week; a clause that names the citizen says no time.
            readers = {"location": _place(clause), "contact_name": name, "event_time": None if name else _time(clause)}
            found.update({slot: value for slot, value in readers.items() if value})
    return found


def prefill(slots: Mapping[str, object], earlier: Iterable[str], later: Iterable[str] = ()) -> Dict[str, str]:
    """The form's place, time, name and phone, newest statement first: what the citizen told the
    seat (`later`, during the hold), else what the assistant's form collected (slots), else what
    the citizen said before it (`earlier`: the opening message, answers the form did not take)."""
    keys = ("location", "event_time", "contact_name", "contact_phone")
    found = facts_from_messages(earlier)
    found.update({key: str(slots[key]) for key in keys if slots.get(key)})
    found.update(facts_from_messages(later))
    return {key: found.get(key, "") for key in keys}


__all__ = ["facts_from_messages", "prefill"]
