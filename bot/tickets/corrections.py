"""The hotline office's corrections of the router, as labelled examples for retraining it
(`hotline route retrain`).

The rule: for every ticket, take the office's latest decision on who leads it — its last dispatch
(派单) or reassignment (改派) — and keep it when that decision corrects a department:

  redispatch_after_return  退单后重新派单: the lead returned the ticket and the office accepted the
                           return, sending it to another department (sending it back to the same
                           department rejects the return and is judged as a plain dispatch below);
  reassign                 改派: the office moved the ticket to another lead, or changed it;
  manual_dispatch          人工派单: the router abstained (or failed), so no department was
                           suggested and the office chose one;
  dispatch_differs         派单改正: the office dispatched to a department other than the suggestion.

A dispatch to the suggested department confirms the router and is not a correction; nor is a
ticket never dispatched, nor a reassignment that only changed the co-handlers (the lead it keeps
is judged by the decision that chose it). One example per ticket: the latest decision wins, the department it chose
is the label. The text is the ticket's text (the request description), with phone and ID numbers
masked, which say nothing about the department. `since` keeps the decisions made at or after it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.privacy import mask_text
from bot.tickets import suggestion
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.store import TicketStore

REDISPATCH, REASSIGN, MANUAL, DIFFERS = "redispatch_after_return", "reassign", "manual_dispatch", "dispatch_differs"
KIND_LABELS = {REDISPATCH: "退单后重新派单", REASSIGN: "改派", MANUAL: "人工派单", DIFFERS: "派单改正"}
DECISIONS = ("dispatch", "reassign")


@dataclass(frozen=True)
class Correction:
    number: str
    text: str
    department_id: str              # the label: the department the office chose
    kind: str                       # one of KIND_LABELS
    at: dt.datetime                 # when the office decided (UTC)
    suggested_id: Optional[str]     # the router's suggestion; None when it abstained


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the stored UTC time without its zone."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def _returned_by(events: Sequence[TicketEvent], decision: int) -> Optional[str]:
    """The department whose return the decision answers: a return after the previous decision
    that the office did not refuse (a refused return leaves the ticket with that department, so
    a later reassignment is the office correcting itself, not answering the return)."""
    for event in reversed(events[:decision]):
        if event.action in DECISIONS or event.action == "return_refused":
            return None
        if event.action == "return":
            return (event.detail or {}).get("department_id")
    return None


def _keeps_lead(events: Sequence[TicketEvent], decision: int) -> bool:
    """A reassignment to the lead already in charge, changing only the co-handlers."""
    event = events[decision]
    if event.action != "reassign" or _returned_by(events, decision):
        return False
    earlier = [e for e in events[:decision] if e.action in DECISIONS]
    chosen = (event.detail or {}).get("department_id")
    return bool(earlier) and (earlier[-1].detail or {}).get("department_id") == chosen


def kind_of(events: Sequence[TicketEvent], decision: int, suggested_id: Optional[str]) -> Optional[str]:
    """Which correction events[decision] is, or None when it confirms the router (module docstring)."""
    event = events[decision]
    chosen = (event.detail or {}).get("department_id")
    returned_by = _returned_by(events, decision)
    if returned_by and chosen != returned_by:
        return REDISPATCH
    if event.action == "reassign" and not returned_by:
        return REASSIGN
    if suggested_id is None:
        return MANUAL
    return DIFFERS if chosen != suggested_id else None


def correction_of(ticket: Ticket) -> Optional[Correction]:
    events = list(ticket.events)
    decisions = [n for n, e in enumerate(events) if e.action in DECISIONS and not _keeps_lead(events, n)]
    if not decisions:
        return None
    latest = decisions[-1]
    chosen = (events[latest].detail or {}).get("department_id")
    suggested_id = suggestion.suggested_lead_id(suggestion.stored_routing(ticket))
    kind = kind_of(events, latest, suggested_id)
    if kind is None or not chosen:
        return None
    return Correction(ticket.number, mask_text(ticket.text), str(chosen), kind, _utc(events[latest].at), suggested_id)


def labelled_corrections(store: TicketStore, since: Optional[dt.datetime] = None) -> List[Correction]:
    """Every ticket's correction (the rule above), oldest decision first. A naive `since` is UTC."""
    query = select(Ticket).options(selectinload(Ticket.events)).order_by(Ticket.id)
    if since is not None:
        since = _utc(since)
        decided = select(TicketEvent.ticket_id).where(TicketEvent.action.in_(DECISIONS), TicketEvent.at >= since)
        query = query.where(Ticket.id.in_(decided))
    with store.sessions() as session:
        found = [c for c in map(correction_of, session.execute(query).scalars()) if c is not None]
    if since is not None:
        found = [c for c in found if c.at >= since]
    return sorted(found, key=lambda c: (c.at, c.number))
