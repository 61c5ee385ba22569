"""The ticket form a seat first sees, filled from everything the citizen said so far: to the
assistant (its collected facts) and to the seat (read from the messages with the domain's own
readers: bot/tickets/mentioned.py, the ones that spare the citizen questions the assistant's form
would ask again; no patterns of its own).

    facts_from_messages(["我姓周，住人民路88号", "电话13812345678"])
    -> {"location": "人民路88号", "contact_name": "周", "contact_phone": "13812345678"}

The newest statement of a fact wins: what the citizen tells the seat during the hold comes after
anything the assistant's form collected, so a citizen who gives the seat a better address or a
corrected phone number is heard; the form's slots come before the messages they were read from.
"""
from __future__ import annotations

from typing import Dict, Iterable, Mapping, Optional

from bot.tickets.facts import read_phone
from bot.tickets.mentioned import name_in, place_in, time_in

_READERS = (("location", place_in), ("event_time", time_in), ("contact_name", name_in))


def _phone(text: str) -> Optional[str]:
    # Told to a seat, a number is the citizen's own (the seat asked for it, or it is a correction):
    # unlike an opening (bot/tickets/mentioned.py), no 「我的电话」 is needed. Without the caller's
    # number, 「就用这个号」 gives nothing: the seat asks.
    return read_phone(text).value


def facts_from_messages(messages: Iterable[str]) -> Dict[str, str]:
    """Place, time, name and phone stated in the messages (the latest statement of each wins), read
    by the same readers the assistant uses on an opening (bot/tickets/mentioned.py)."""
    found: Dict[str, str] = {}
    for message in messages:
        phone = _phone(message)
        if phone:
            found["contact_phone"] = phone
        found.update({slot: value for slot, reader in _READERS for value in [reader(message)] if value})
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
