"""Is an opened ticket right? Read it back from the database and compare it with the citizen."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from simulation.dialogue import Conversation

# Words around a place that say nothing about where it is ("就在…那儿", "嗯在那个…").
_PLACE_FILLER = re.compile(r"就在|就是|嗯|呃|那个|这个|那儿|那块|那边|那里|这儿|大概|好像|我家楼下|在|[，。、,.!！?？\s]")


def place_core(text: str) -> str:
    return _PLACE_FILLER.sub("", text or "")


def same_place(given: str, stored: str) -> bool:
    """The citizen's place and the stored location name the same place when one's meaningful
    characters contain the other's."""
    given_core, stored_core = place_core(given), place_core(stored)
    if len(given_core) < 2 or len(stored_core) < 2:
        return False
    return given_core in stored_core or stored_core in given_core


@dataclass
class TicketCheck:
    found: bool
    type_ok: bool = False
    place_ok: bool = False
    phone_ok: bool = False
    stored_type: Optional[str] = None
    stored_location: Optional[str] = None
    stored_phone: Optional[str] = None

    @property
    def correct(self) -> bool:
        return self.found and self.type_ok and self.place_ok and self.phone_ok

    def problems(self) -> str:
        if not self.found:
            return "工单不在数据库里"
        wrong = []
        if not self.type_ok:
            wrong.append(f"类型={self.stored_type}")
        if not self.place_ok:
            wrong.append(f"地点={self.stored_location!r}")
        if not self.phone_ok:
            wrong.append(f"电话={self.stored_phone!r}")
        return "，".join(wrong)


class TicketChecker:
    def __init__(self, database_url: str):
        from bot.tickets.database import make_engine   # the tree being measured
        from bot.tickets.store import TicketStore
        self.store = TicketStore(make_engine(database_url))

    def check(self, conversation: Conversation) -> TicketCheck:
        ticket = self.store.get(conversation.ticket)
        if ticket is None:
            return TicketCheck(found=False)
        citizen = conversation.citizen
        location = (ticket.facts or {}).get("location")
        return TicketCheck(
            found=True, type_ok=ticket.request_type == citizen.request_type,
            place_ok=_place_ok(conversation, ticket.request_type, location),
            phone_ok=ticket.contact_phone == citizen.phone or (
                citizen.anonymous and ticket.anonymous and ticket.contact_phone is None),
            stored_type=ticket.request_type, stored_location=location, stored_phone=ticket.contact_phone)


def _place_ok(conversation: Conversation, request_type: str, location: Optional[str]) -> bool:
    """The place the citizen answered must be the one stored. When they were never asked, a stored
    place must come from what they said, and a type that needs a place must have one."""
    if conversation.place_given:
        return bool(location) and same_place(conversation.place_given, location)
    if location:
        said = "".join(place_core(turn.said) for turn in conversation.turns)
        return len(place_core(location)) >= 2 and place_core(location) in said
    from bot.intake import intake_policy   # which facts each type needs, in the measured tree
    return "location" not in intake_policy().facts_by_type.get(request_type, [])
