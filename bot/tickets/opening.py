"""Opening a ticket: the one use case behind the assistant's intake, its follow-ups and the seat
console's ticket form.

    opening = TicketOpening(store)
    outcome = opening.open(draft, request_key, actor="assistant", routing_text=..., check_duplicates=True)
    # -> Opened(number, deadline, created, request_type, time_limit) or Duplicate(ticket)

The steps, in order:
1. the department the router suggests (智能派单), the lead, with the co-handlers it suggests — only
   a suggestion: routing failing, or abstaining (not confident enough), never loses a ticket, it
   waits in the office's manual dispatch queue;
2. the person's open tickets: the same matter raised again (seed 003 §11(6)) gets that ticket back
   (Duplicate) instead of a second one — advisory too, for the assistant only;
3. abuse limits for citizens (seed 004): a restricted phone is refused (phone_checks), and so is
   a phone that opened too many tickets today (settings/limits.yml ticket_per_phone, counted in
   the database, so every process and restart agrees);
4. the store, once per request key (a retried confirmation returns the same ticket).

Whatever goes wrong arrives as OpeningRefused with a sentence for the citizen or the seat — never
a database error: `kind` says whether the facts were wrong ("invalid"), a limit or restriction
applies ("limited"), or the store is down ("unavailable", the facts are kept and a retry works).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable, Optional, Union

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.limits import process_limits
from bot.tickets import suggestion
from bot.tickets.errors import TicketError
from bot.tickets.models import Ticket
from bot.tickets.store import TicketDraft, TicketStore

logger = logging.getLogger(__name__)

INVALID, LIMITED, UNAVAILABLE = "invalid", "limited", "unavailable"
UNAVAILABLE_TEXT = "系统暂时无法登记工单，您的信息已保留"


class OpeningRefused(Exception):
    """The ticket was not opened; str() says why, in Chinese."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Opened:
    number: str
    deadline: dt.date
    created: bool            # False: a retried request got the ticket it had already opened
    request_type: str
    time_limit: int          # working days the department has (policy.yml)


@dataclass(frozen=True)
class Duplicate:
    ticket: Ticket           # the person's open ticket on the same matter


Outcome = Union[Opened, Duplicate]
# Checks supplied from outside the tickets package (bot/restrictions, bot/limits): a phone in,
# a refusal sentence out (None = go ahead).
PhoneCheck = Callable[[str], Optional[str]]


def suggest_department(draft: TicketDraft, routing_text: str) -> None:
    """Fill the draft's suggested lead and co-handlers from the router; leave them empty if routing
    fails or abstains. The whole decision is kept in draft.routing either way, so the manual
    dispatch queue can show the candidates and why."""
    from bot.routing import CatalogueError, EmptyRequestError, route
    try:
        # The place the citizen gave at "where" decides the 属地 before any place in the text.
        decision = route(routing_text or draft.text, (draft.facts or {}).get("location"))
    except (EmptyRequestError, CatalogueError):
        return
    except Exception:  # noqa: BLE001 - routing only suggests; a ticket must never be lost for it
        logger.exception("routing failed; the ticket goes to manual dispatch")
        return
    # Read from to_json() only: the stored shape is the contract, whichever router made it.
    draft.routing = decision.to_json()
    read = suggestion.read(draft.routing)
    if read["abstain"]:
        return
    draft.department = read["lead"].get("name")
    draft.co_departments = [{"id": d["id"], "name": d.get("name")} for d in read["co_handlers"]]


class TicketOpening:
    def __init__(self, store: TicketStore, phone_checks: tuple = ()):
        self.store = store
        self.phone_checks = tuple(phone_checks)

    def open(self, draft: TicketDraft, request_key: str, actor: str = "assistant", routing_text: str = "",
             check_duplicates: bool = False, for_citizen: bool = True) -> Outcome:
        """for_citizen: the citizen opens it themselves (limits and restrictions apply); a seat's
        ticket (for_citizen=False) is the hotline's own record and is always taken."""
        try:
            draft.check()
        except TicketError as exc:
            raise OpeningRefused(INVALID, str(exc)) from None
        try:
            return self._open(draft, request_key, actor, routing_text, check_duplicates, for_citizen)
        except SQLAlchemyError:
            logger.exception("could not store the ticket (%s)", request_key[:40])
            raise OpeningRefused(UNAVAILABLE, UNAVAILABLE_TEXT) from None

    def _open(self, draft: TicketDraft, request_key: str, actor: str, routing_text: str,
              check_duplicates: bool, for_citizen: bool) -> Outcome:
        existing = self.store.find_by_request_key(request_key)
        if existing is None:
            if check_duplicates:
                duplicate = self._duplicate(draft, request_key)
                if duplicate is not None:
                    return Duplicate(duplicate)
            if for_citizen and draft.contact_phone and not draft.anonymous:
                self._check_phone(draft.contact_phone)
            if not draft.department and not draft.routing:   # an abstention is not asked again
                suggest_department(draft, routing_text)
        try:
            opened = self.store.open_ticket(draft, request_key=request_key, actor=actor)
        except TicketError as exc:
            raise OpeningRefused(INVALID, str(exc)) from None
        return Opened(opened.number, opened.deadline, opened.created, draft.request_type,
                      self.store.policy.time_limit(draft.request_type))

    def _duplicate(self, draft: TicketDraft, request_key: str) -> Optional[Ticket]:
        from bot.tickets.duplicates import find_duplicate
        try:
            match = find_duplicate(self.store, draft, request_key)
        except Exception:  # noqa: BLE001 - never lose a request because the duplicate check failed
            logger.exception("duplicate check failed; opening the ticket")
            return None
        return match.ticket if match else None

    def _check_phone(self, phone: str) -> None:
        for check in self.phone_checks:
            refusal = check(phone)
            if refusal:
                raise OpeningRefused(LIMITED, refusal)
        limit = process_limits().limits.get("ticket_per_phone")
        if limit is not None and self.opened_today(phone) >= limit.count:
            raise OpeningRefused(LIMITED, limit.message)

    def opened_today(self, phone: str) -> int:
        """Tickets opened today (hotline time) with this contact phone."""
        local_midnight = dt.datetime.combine(self.store.today(), dt.time(), tzinfo=self.store.local_now().tzinfo)
        since = local_midnight.astimezone(dt.timezone.utc)
        with self.store.sessions() as session:
            return session.execute(select(func.count(Ticket.id)).where(
                Ticket.contact_phone == phone, Ticket.created_at >= since)).scalar_one()
