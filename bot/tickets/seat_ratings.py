"""A citizen's rating of the seat who served them (满意 / 基本满意 / 不满意 with a reason), offered
after the seat hands the conversation back. One rating per hand-off (queue entry); the grades are
those of ticket ratings (satisfaction.py). Table from migration 0006_seat_service_ratings.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, Engine, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from bot.seats.models import HANDED_BACK, QueueEntry
from bot.tickets import satisfaction
from bot.tickets.errors import TicketError
from bot.tickets.models import Base


class SeatServiceRating(Base):
    __tablename__ = "seat_service_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    queue_id: Mapped[int] = mapped_column(Integer, ForeignKey("seat_queue.id", ondelete="CASCADE"))
    seat: Mapped[Optional[str]] = mapped_column(String(100))
    rating: Mapped[str] = mapped_column(String(20))
    reason: Mapped[Optional[str]] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(40))
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("uq_seat_service_ratings_queue_id", "queue_id", unique=True),)


class NothingToRate(TicketError):
    """No hand-off of this conversation waits for a rating."""


class SeatRatings:
    def __init__(self, engine: Engine):
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    def unrated_handoff(self, sender_id: str) -> Optional[QueueEntry]:
        """The conversation's latest hand-off a seat gave back, when it has no rating yet."""
        rated = select(SeatServiceRating.queue_id)
        query = (select(QueueEntry).where(QueueEntry.sender_id == sender_id, QueueEntry.status == HANDED_BACK,
                                          QueueEntry.taken_by.is_not(None), QueueEntry.id.not_in(rated))
                 .order_by(QueueEntry.id.desc()).limit(1))
        with self.sessions() as session:
            return session.execute(query).scalar_one_or_none()

    def rate(self, sender_id: str, rating: str, reason: Optional[str], channel: str) -> SeatServiceRating:
        if rating not in satisfaction.RATINGS:
            raise TicketError("评价应为：满意、基本满意或不满意")
        reason = satisfaction.clean_reason(reason or "")
        if rating == satisfaction.UNSATISFIED and not reason:
            raise TicketError("请说明不满意的原因，以便我们改进人工服务")
        entry = self.unrated_handoff(sender_id)
        if entry is None:
            raise NothingToRate("没有需要评价的人工服务，或已经评价过了")
        row = SeatServiceRating(queue_id=entry.id, seat=entry.taken_by, rating=rating, reason=reason,
                                channel=channel[:40], rated_at=dt.datetime.now(dt.timezone.utc))
        try:
            with self.sessions.begin() as session:
                session.add(row)
        except IntegrityError:       # the same hand-off rated twice at once: the first one counts
            raise NothingToRate("这次人工服务已经评价过了") from None
        return row
