"""Writing imported tickets in bulk, inside a transaction the caller holds (importing.py keeps one
open for the whole file, so a crash or a refusal leaves nothing half-imported).

Numbers: an imported ticket is numbered like any other, by the local date it was originally
received, from the same per-day counter (ticket_sequences) that live tickets use. The counter is
the only source of numbers, so a historical ticket can never take a number a live ticket has (or
will get): a day's live tickets simply continue after the imported ones. The old system's own
number, if the file has one, is kept in facts["imported"].
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Dict, Iterable, List, Sequence, Set, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.tickets.import_rows import ImportedRecord
from bot.tickets.models import Ticket, TicketEvent, TicketSequence
from bot.tickets.policy import TicketPolicy
from bot.tickets.store import format_number

ACTOR = "导入"


def existing_keys(session: Session, keys: Sequence[str]) -> Set[str]:
    """Which of these request keys are already tickets (imported before)."""
    if not keys:
        return set()
    found = session.execute(select(Ticket.request_key).where(Ticket.request_key.in_(list(keys))))
    return set(found.scalars())


def _reserve(session: Session, day: dt.date, count: int) -> int:
    """Take `count` numbers of the day at once (one atomic UPDATE ... RETURNING); the first."""
    bump = (update(TicketSequence).where(TicketSequence.day == day)
            .values(last=TicketSequence.last + count).returning(TicketSequence.last))
    last = session.execute(bump).scalar_one_or_none()
    if last is None:
        try:
            with session.begin_nested():
                session.add(TicketSequence(day=day, last=count))
            last = count
        except IntegrityError:
            last = session.execute(bump).scalar_one()   # a live ticket created the day first
    return last - count + 1


def _numbers(session: Session, days: List[dt.date]) -> List[str]:
    first: Dict[dt.date, int] = {day: _reserve(session, day, n) for day, n in sorted(Counter(days).items())}
    numbers = []
    for day in days:
        numbers.append(format_number(day, first[day]))
        first[day] += 1
    return numbers


def _event(record: ImportedRecord, source: Dict[str, object]) -> TicketEvent:
    """One "imported" event at the original time, with what the old system recorded after it.
    Not dispatch/reply/close events: those are the office's decisions in this system, and
    `hotline route retrain` learns from dispatches (corrections.py); an old system's department
    is no correction of this router."""
    detail = dict(source, line=record.line, channel=record.channel, status=record.status,
                  department_id=record.department_id)
    for name in ("replied_at", "closed_at"):
        moment = getattr(record, name)
        detail[name] = moment.isoformat(timespec="seconds") if moment else None
    return TicketEvent(at=record.created_at, actor=ACTOR, action="imported", detail=detail)


def write(session: Session, records: Iterable[ImportedRecord], policy: TicketPolicy, zone: ZoneInfo,
          source: Dict[str, object]) -> List[str]:
    """Insert these records as tickets, in the caller's transaction; their numbers."""
    records = list(records)
    days = [r.created_at.astimezone(zone).date() for r in records]
    numbers = _numbers(session, days)
    deadlines: Dict[Tuple[str, dt.date], dt.date] = {}     # the calendar is slow; a file has few days
    for record, day, number in zip(records, days, numbers):
        if (record.request_type, day) not in deadlines:
            deadlines[(record.request_type, day)] = policy.deadline(record.request_type, day)
        replied = record.replied_at or (record.closed_at if record.status == "closed" else None)
        ticket = Ticket(
            number=number, request_key=record.request_key, request_type=record.request_type,
            status=record.status, text=record.text, facts=dict(record.facts), channel=record.channel,
            sender_id=record.sender_id, contact_name=record.contact_name, contact_phone=record.contact_phone,
            consent_to_share=False, anonymous=record.anonymous, department=record.department,
            department_id=record.department_id, co_departments=[], created_at=record.created_at,
            deadline=deadlines[(record.request_type, day)],
            dispatched_at=record.created_at if record.department_id else None,
            replied_at=replied, closed_at=record.closed_at, answer=record.answer,
            satisfaction=record.satisfaction)
        ticket.events = [_event(record, source)]
        session.add(ticket)
    session.flush()
    session.expunge_all()      # a big file's tickets are not kept in memory
    return numbers
