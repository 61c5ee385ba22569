"""SeatQueue: the queue of conversations escalated to a person, shared by every process.

The action server enqueues (ActionHandoff); the web servers' seat consoles list, claim, hand back
and expire. Every state change is one conditional UPDATE (… WHERE status = 'waiting'), so two
seats claiming the same conversation at once cannot both win, on SQLite as on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.seats.models import EXPIRED, HANDED_BACK, OPEN_STATUSES, TAKEN, WAITING, QueueEntry


@dataclass(frozen=True)
class Placed:
    entry: QueueEntry
    position: int      # 1 = next to be taken; 0 when a seat already holds it
    created: bool      # False: the conversation was already in the queue


@dataclass(frozen=True)
class Claim:
    won: bool
    entry: Optional[QueueEntry]   # None: no such entry
    holder: Optional[str]         # who holds it now (the winner, or the seat that was first)


def utc(moment: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """SQLite returns stored UTC values without their zone."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


class SeatQueue:
    def __init__(self, engine: Engine, clock: Optional[Callable[[], dt.datetime]] = None):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    def now(self) -> dt.datetime:
        return self.clock().astimezone(dt.timezone.utc)

    # -- the citizen's side ------------------------------------------------------------------

    def enqueue(self, sender_id: str, channel: str, reason: str, detail: Optional[Dict[str, Any]] = None) -> Placed:
        """Put the conversation in the queue, once: a second escalation finds the first."""
        existing = self.open_for(sender_id)
        if existing is not None:
            return Placed(existing, self.position(existing), created=False)
        entry = QueueEntry(sender_id=sender_id, channel=channel[:40], reason=reason[:40], detail=dict(detail or {}),
                           status=WAITING, waiting_since=self.now())
        try:
            with self.sessions.begin() as session:
                session.add(entry)
        except IntegrityError:   # a concurrent escalation of the same conversation won
            existing = self.open_for(sender_id)
            if existing is None:
                raise
            return Placed(existing, self.position(existing), created=False)
        return Placed(entry, self.position(entry), created=True)

    def position(self, entry: QueueEntry) -> int:
        """1 for the next conversation a seat will take; 0 once a seat holds it."""
        if entry.status != WAITING:
            return 0
        ahead = and_(QueueEntry.status == WAITING, QueueEntry.id <= entry.id)
        with self.sessions() as session:
            return int(session.execute(select(func.count()).select_from(QueueEntry).where(ahead)).scalar_one())

    # -- reading -----------------------------------------------------------------------------

    def get(self, entry_id: int) -> Optional[QueueEntry]:
        with self.sessions() as session:
            return session.get(QueueEntry, entry_id)

    def open_for(self, sender_id: str) -> Optional[QueueEntry]:
        query = select(QueueEntry).where(QueueEntry.sender_id == sender_id, QueueEntry.status.in_(OPEN_STATUSES))
        with self.sessions() as session:
            return session.execute(query).scalars().first()

    def open_entries(self) -> List[QueueEntry]:
        """Waiting (oldest first, the order seats should take them) and taken conversations."""
        query = select(QueueEntry).where(QueueEntry.status.in_(OPEN_STATUSES)).order_by(QueueEntry.id)
        with self.sessions() as session:
            return list(session.execute(query).scalars())

    # -- the seats' side ---------------------------------------------------------------------

    def claim(self, entry_id: int, seat: str) -> Claim:
        """Take a waiting conversation. Exactly one of several seats claiming at once wins."""
        taking = (update(QueueEntry).where(QueueEntry.id == entry_id, QueueEntry.status == WAITING)
                  .values(status=TAKEN, taken_by=seat, taken_at=self.now()))
        with self.sessions.begin() as session:
            won = session.execute(taking).rowcount == 1
        entry = self.get(entry_id)
        if entry is None:
            return Claim(False, None, None)
        return Claim(won, entry, entry.taken_by)

    def hand_back(self, entry_id: int, seat: str) -> bool:
        """The seat gives the conversation back to the assistant. Only its holder can."""
        return self._close(entry_id, (TAKEN,), HANDED_BACK, QueueEntry.taken_by == seat)

    def release(self, entry_id: int, seat: str) -> bool:
        """The seat puts the conversation back in the queue, in its old place."""
        back = (update(QueueEntry)
                .where(QueueEntry.id == entry_id, QueueEntry.status == TAKEN, QueueEntry.taken_by == seat)
                .values(status=WAITING, taken_by=None, taken_at=None))
        with self.sessions.begin() as session:
            return session.execute(back).rowcount == 1

    def link_ticket(self, entry_id: int, seat: str, number: str) -> bool:
        linking = (update(QueueEntry)
                   .where(QueueEntry.id == entry_id, QueueEntry.taken_by == seat)
                   .values(ticket_number=number))
        with self.sessions.begin() as session:
            return session.execute(linking).rowcount == 1

    def expire_waiting(self, max_wait: dt.timedelta) -> List[QueueEntry]:
        """Close the waits longer than max_wait; each is returned to exactly one caller."""
        cutoff = self.now() - max_wait
        query = select(QueueEntry.id).where(QueueEntry.status == WAITING, QueueEntry.waiting_since <= cutoff)
        with self.sessions() as session:
            candidates = list(session.execute(query).scalars())
        expired = [i for i in candidates if self._close(i, (WAITING,), EXPIRED)]
        return [entry for entry in (self.get(i) for i in expired) if entry is not None]

    def _close(self, entry_id: int, from_statuses, status: str, *conditions) -> bool:
        closing = (update(QueueEntry)
                   .where(QueueEntry.id == entry_id, QueueEntry.status.in_(from_statuses), *conditions)
                   .values(status=status, closed_at=self.now()))
        with self.sessions.begin() as session:
            return session.execute(closing).rowcount == 1

    def waited(self, entry: QueueEntry) -> dt.timedelta:
        return self.now() - utc(entry.waiting_since)


__all__ = ["Claim", "Placed", "SeatQueue", "EXPIRED", "HANDED_BACK", "TAKEN", "WAITING", "utc"]
