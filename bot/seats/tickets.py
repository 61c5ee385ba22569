"""Tickets a seat opens or updates from the console, and the seat's words in the ticket's history.

One ticket per conversation and seat (request key "seat:<sender>:<seat>"): pressing "登记工单"
again updates it instead of opening a second one. Everything a seat said in the conversation is
added to the ticket's history as events with actor = the seat's name.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from sqlalchemy import select

from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.opening import TicketOpening
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketDraft, TicketStore

logger = logging.getLogger(__name__)

SEAT_MESSAGE = "seat_message"
SEAT_UPDATE = "seat_update"
FACT_FIELDS = ("location", "event_time", "involved_party")


@dataclass
class SeatTicketForm:
    """What the seat confirmed in the console's ticket form (prefilled from the conversation)."""
    request_type: str
    text: str
    location: Optional[str] = None
    event_time: Optional[str] = None
    involved_party: Optional[str] = None
    contact_name: Optional[str] = None
    contact_phone: Optional[str] = None
    anonymous: bool = False
    consent: bool = False
    callback: bool = False

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "SeatTicketForm":
        text = lambda key: (str(data.get(key) or "").strip() or None)   # noqa: E731
        return cls(request_type=str(data.get("request_type") or ""), text=text("text") or "",
                   location=text("location"), event_time=text("event_time"), involved_party=text("involved_party"),
                   contact_name=text("contact_name"), contact_phone=text("contact_phone"),
                   anonymous=bool(data.get("anonymous")), consent=bool(data.get("consent")),
                   callback=bool(data.get("callback")))

    def facts(self, seat: str) -> Dict[str, Any]:
        facts: Dict[str, Any] = {k: getattr(self, k) for k in FACT_FIELDS if getattr(self, k)}
        facts["seat"] = seat
        if self.callback:
            facts["callback_requested"] = True
        return facts


@dataclass(frozen=True)
class SeatTicket:
    number: str
    deadline: dt.date
    created: bool
    type_label: str
    department: Optional[str] = None     # the suggested department's name, when routing found one


@dataclass(frozen=True)
class SeatWords:
    """One thing a seat said to the citizen, as read from the conversation."""
    text: str
    at: float            # Unix time of the bot event

    def as_detail(self) -> Dict[str, Any]:
        return {"text": self.text, "at": self.at}


def request_key(sender_id: str, seat: str) -> str:
    return f"seat:{sender_id}:{seat}"[:200]


def draft_of(form: SeatTicketForm, sender_id: str, channel: str, seat: str) -> TicketDraft:
    return TicketDraft(
        request_type=form.request_type, text=form.text, channel=channel, sender_id=sender_id,
        facts=form.facts(seat), contact_name=None if form.anonymous else form.contact_name,
        contact_phone=None if form.anonymous else form.contact_phone,
        consent_to_share=form.consent and not form.anonymous, anonymous=form.anonymous)


def open_or_update(store: TicketStore, form: SeatTicketForm, sender_id: str, channel: str, seat: str,
                   actor: str, said: Iterable[SeatWords] = ()) -> SeatTicket:
    """Open the seat's ticket for this conversation, or record the changes on it; then add what
    the seat said that the ticket's history does not have yet. Raises OpeningRefused when the form
    cannot make a ticket (no type, no text, no phone for a named request) or the store is down.
    `seat` is the seat's name (one ticket per conversation and seat), `actor` how it appears in
    the ticket's history. A seat's ticket is the hotline's own record: no citizen limits apply."""
    routing_text = " ".join(filter(None, [form.text, form.location, form.involved_party]))
    opened = TicketOpening(store).open(draft_of(form, sender_id, channel, seat), request_key(sender_id, seat),
                                       actor=actor, routing_text=routing_text, for_citizen=False)
    events: List[Tuple[str, Dict[str, Any]]] = []
    if not opened.created:
        events.append((SEAT_UPDATE, {"text": form.text, "facts": form.facts(seat),
                                     "request_type": form.request_type}))
    events += [(SEAT_MESSAGE, words.as_detail()) for words in unrecorded(store, opened.number, said)]
    add_events(store, opened.number, actor, events)
    ticket = store.get(opened.number)
    return SeatTicket(opened.number, opened.deadline, opened.created, REQUEST_TYPES.get(form.request_type, ""),
                      ticket.department if ticket else None)


def unrecorded(store: TicketStore, number: str, said: Iterable[SeatWords]) -> List[SeatWords]:
    ticket = store.get(number)
    known = {(e.detail.get("text"), e.detail.get("at")) for e in (ticket.events if ticket else [])
             if e.action == SEAT_MESSAGE}
    return [w for w in said if (w.text, w.at) not in known]


def add_events(store: TicketStore, number: str, actor: str, events: List[Tuple[str, Dict[str, Any]]]) -> None:
    """Append history events (one transaction) without touching the ticket row itself."""
    if not events:
        return
    now = store.now()
    with store.sessions.begin() as session:
        ticket_id = session.execute(select(Ticket.id).where(Ticket.number == number)).scalar_one()
        for action, detail in events:
            session.add(TicketEvent(ticket_id=ticket_id, at=now, actor=actor[:100], action=action, detail=detail))


def record_words(store: TicketStore, number: str, actor: str, words: SeatWords) -> None:
    """A seat's message after the ticket was opened goes to its history too."""
    add_events(store, number, actor, [(SEAT_MESSAGE, words.as_detail())])


__all__ = ["SeatTicket", "SeatTicketForm", "SeatWords", "open_or_update", "record_words", "request_key",
           "SEAT_MESSAGE", "SEAT_UPDATE"]
