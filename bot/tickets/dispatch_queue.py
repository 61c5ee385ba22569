"""The hotline office's manual dispatch queue (人工派单): the tickets waiting for a dispatch.

Waiting are the tickets accepted and not yet dispatched, and those a department returned (退单).
Those without a suggested department come first — the router abstained, routing failed, or the
lead returned it — then the rest; oldest first within each, since the statutory clock runs from
the opening. Each comes with the router's suggestion (suggestion.py) for the office to weigh.
"""
from __future__ import annotations

from typing import List, Tuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from bot.tickets import lifecycle
from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore

WAITING = (lifecycle.ACCEPTED, lifecycle.RETURNED)


def waiting(store: TicketStore, limit: int = 50, offset: int = 0) -> Tuple[List[Ticket], int]:
    """One page of the queue, with each ticket's events loaded (its suggestion is in "opened"), and
    how many wait in all."""
    where = Ticket.status.in_(WAITING)
    undecided_first = case((Ticket.department_id.is_(None), 0), else_=1)
    page = (select(Ticket).where(where).options(selectinload(Ticket.events))
            .order_by(undecided_first, Ticket.created_at, Ticket.id).limit(limit).offset(offset))
    with store.sessions() as session:
        tickets = list(session.execute(page).scalars())
        return tickets, session.execute(select(func.count(Ticket.id)).where(where)).scalar_one()


def last_return(ticket: Ticket):
    """The department's return (退单) that sent the ticket back, if that is why it waits."""
    if ticket.status != lifecycle.RETURNED:
        return None
    return next((e for e in reversed(ticket.events) if e.action == "return"), None)
