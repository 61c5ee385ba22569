"""Finding tickets for the hotline office: by status, type, department, warning card and date.

Cards depend on the current time, so they are turned into date conditions here (the same dates
warnings.card uses) and filtered in SQL, which keeps paging and counting right.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import ColumnElement

from bot.tickets import co_handlers, lifecycle, warnings
from bot.tickets.errors import TicketError
from bot.tickets.models import Ticket
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketStore


@dataclass(frozen=True)
class TicketQuery:
    statuses: Tuple[str, ...] = ()
    types: Tuple[str, ...] = ()
    department_ids: Tuple[str, ...] = ()
    cards: Tuple[str, ...] = ()
    created_from: Optional[dt.date] = None     # local dates, both inclusive
    created_to: Optional[dt.date] = None
    # A department handler's view: only tickets that department leads or assists.
    scope: Optional[str] = None
    limit: int = 50
    offset: int = 0


def in_department(department_id: str) -> ColumnElement:
    """A department's tickets: dispatched to it as the lead, or naming it as a co-handler (协办).
    The router's suggestion on a ticket not yet dispatched does not make it theirs."""
    return co_handlers.in_scope(department_id)


def card_condition(store: TicketStore, colour: str, local_now: dt.datetime) -> ColumnElement:
    running = Ticket.status.in_(lifecycle.CLOCK_RUNNING)
    today = local_now.date()
    if colour == warnings.RED:
        return and_(running, Ticket.deadline < today)
    per_type = []
    for request_type in REQUEST_TYPES:
        until = warnings.yellow_until(store.policy, request_type, local_now)
        near = Ticket.deadline <= until if colour == warnings.YELLOW else Ticket.deadline > until
        per_type.append(and_(Ticket.request_type == request_type, near))
    condition = and_(running, Ticket.deadline >= today, or_(*per_type))
    if colour == warnings.GREEN:
        condition = or_(condition, Ticket.status == lifecycle.REPLIED)
    return condition


def _utc_bound(store: TicketStore, day: dt.date) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time.min, tzinfo=store.zone)
    return local.astimezone(dt.timezone.utc)


def conditions(store: TicketStore, query: TicketQuery, local_now: dt.datetime) -> List[ColumnElement]:
    where: List[ColumnElement] = []
    if query.statuses:
        where.append(Ticket.status.in_(query.statuses))
    if query.types:
        where.append(Ticket.request_type.in_(query.types))
    if query.department_ids:
        where.append(Ticket.department_id.in_(query.department_ids))
    if query.cards:
        where.append(or_(*[card_condition(store, c, local_now) for c in query.cards]))
    if query.created_from:
        where.append(Ticket.created_at >= _utc_bound(store, query.created_from))
    if query.created_to:
        where.append(Ticket.created_at < _utc_bound(store, query.created_to + dt.timedelta(days=1)))
    if query.scope is not None:
        where.append(in_department(query.scope))
    return where


def search(store: TicketStore, query: TicketQuery,
           local_now: Optional[dt.datetime] = None) -> Tuple[List[Ticket], int]:
    """One page of matching tickets, newest first, and how many match in all."""
    local_now = local_now or store.local_now()
    where = conditions(store, query, local_now)
    page = select(Ticket).where(*where).order_by(Ticket.id.desc()).limit(query.limit).offset(query.offset)
    count = select(func.count(Ticket.id)).where(*where)
    with store.sessions() as session:
        return list(session.execute(page).scalars()), session.execute(count).scalar_one()


def get_visible(store: TicketStore, number: str, scope: Optional[str] = None) -> Optional[Ticket]:
    """One ticket with its history, or None when it does not exist or is outside the scope."""
    ticket = store.get(number)
    if ticket is None or scope is None:
        return ticket
    return ticket if co_handlers.role_of(ticket, scope) else None


def check_values(values: Sequence[str], allowed: Sequence[str], what: str) -> Tuple[str, ...]:
    """Refuse unknown filter values by name, instead of silently matching nothing."""
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise TicketError(f"未知的{what}：{'、'.join(unknown)}（可用：{'、'.join(allowed)}）")
    return tuple(values)
