"""How a seat closed a conversation it held (已解答, 已登记工单, …), and the seat's figures for the
day: conversations handled and the average handling time.

    outcomes = SeatOutcomes(engine, labels={"answered": "已解答", ...}, timezone="Asia/Shanghai")
    outcomes.mark(entry_id, "王芳", "answered", note="")     # SeatRefused when not the seat's
    outcomes.day("王芳")                                     # DayFigures for today, local time

A conversation is handled by the seat that held it when the seat hands it back; its handling time
runs from taking it to handing it back (seat_queue.taken_at → closed_at). A conversation put back in
the queue is not handled. The day is the hotline's local day (settings/hotline.yml time zone): a
seat's shift does not end at midnight UTC.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Dict, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from bot.seats.models import HANDED_BACK, SeatOutcome, QueueEntry
from bot.seats.queue import utc
from bot.seats.service import SeatRefused

NOTE_LIMIT = 200


@dataclass(frozen=True)
class DayFigures:
    day: dt.date
    handled: int
    average_seconds: Optional[int]              # None when nothing was handled yet
    outcomes: Dict[str, int] = field(default_factory=dict)   # code -> conversations marked today


class SeatOutcomes:
    def __init__(self, engine: Engine, labels: Mapping[str, str], timezone: str = "Asia/Shanghai",
                 clock: Optional[Callable[[], dt.datetime]] = None):
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.labels = dict(labels)
        self.zone = ZoneInfo(timezone)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    # -- marking -----------------------------------------------------------------------------

    def mark(self, entry_id: int, seat: str, code: str, note: str = "") -> SeatOutcome:
        """Record (or correct) the outcome of a conversation this seat holds or held."""
        if code not in self.labels:
            raise SeatRefused("bad_outcome", "请选择一种处理结果：" + "、".join(self.labels.values()))
        note = (note or "").strip()
        if len(note) > NOTE_LIMIT:
            raise SeatRefused("too_long", f"备注最多{NOTE_LIMIT}个字")
        with self.sessions.begin() as session:
            entry = session.get(QueueEntry, entry_id)
            if entry is None:
                raise SeatRefused("not_found", "没有这个对话")
            if entry.taken_by != seat:
                raise SeatRefused("not_yours", "只有接待这个对话的坐席可以标记处理结果")
            return self._upsert(session, entry_id, seat, code, note or None)

    def _upsert(self, session, entry_id: int, seat: str, code: str, note: Optional[str]) -> SeatOutcome:
        found = session.execute(select(SeatOutcome).where(SeatOutcome.queue_id == entry_id)).scalar_one_or_none()
        if found is None:
            found = SeatOutcome(queue_id=entry_id, seat=seat)
            session.add(found)
        found.outcome, found.note, found.marked_at = code, note, self.clock().astimezone(dt.timezone.utc)
        return found

    def of(self, entry_id: int) -> Optional[SeatOutcome]:
        with self.sessions() as session:
            return session.execute(select(SeatOutcome).where(SeatOutcome.queue_id == entry_id)).scalar_one_or_none()

    # -- the day's figures -------------------------------------------------------------------

    def today_bounds(self) -> Tuple[dt.date, dt.datetime, dt.datetime]:
        """Today in the hotline's zone, as UTC bounds [start, end)."""
        day = self.clock().astimezone(self.zone).date()
        start = dt.datetime.combine(day, dt.time(), self.zone)
        return day, start.astimezone(dt.timezone.utc), (start + dt.timedelta(days=1)).astimezone(dt.timezone.utc)

    def day(self, seat: str) -> DayFigures:
        day, start, end = self.today_bounds()
        handled = select(QueueEntry.taken_at, QueueEntry.closed_at).where(
            QueueEntry.taken_by == seat, QueueEntry.status == HANDED_BACK,
            QueueEntry.closed_at >= start, QueueEntry.closed_at < end)
        marked = select(SeatOutcome.outcome).where(
            SeatOutcome.seat == seat, SeatOutcome.marked_at >= start, SeatOutcome.marked_at < end)
        with self.sessions() as session:
            spans = [(utc(closed) - utc(taken)).total_seconds() for taken, closed in session.execute(handled)
                     if taken is not None and closed is not None]
            codes = list(session.execute(marked).scalars())
        counts = {code: codes.count(code) for code in self.labels if code in codes}
        average = round(sum(spans) / len(spans)) if spans else None
        return DayFigures(day, len(spans), average, counts)


__all__ = ["DayFigures", "SeatOutcomes"]
