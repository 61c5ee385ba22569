"""The seat_queue table: conversations escalated to a person (migration 0003_seats), and
seat_outcomes: how a seat closed a conversation it held (migration 0005_seat_outcomes).

One row per escalation. A conversation has at most one open row (waiting or taken), enforced by
a partial unique index on both SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.tickets.models import Base

WAITING = "waiting"          # 排队中
TAKEN = "taken"              # a seat holds the conversation
HANDED_BACK = "handed_back"  # the seat gave it back to the assistant
EXPIRED = "expired"          # nobody took it in time; the assistant offered a ticket
OPEN_STATUSES = (WAITING, TAKEN)
STATUS_LABELS = {WAITING: "排队中", TAKEN: "人工接待中", HANDED_BACK: "已交回助手", EXPIRED: "等候超时"}

_OPEN = "status IN ('waiting', 'taken')"


class QueueEntry(Base):
    __tablename__ = "seat_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[Dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), index=True)
    waiting_since: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    taken_by: Mapped[Optional[str]] = mapped_column(String(100))
    taken_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    ticket_number: Mapped[Optional[str]] = mapped_column(String(20))

    __table_args__ = (
        Index("uq_seat_queue_open_sender", "sender_id", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )


class SeatOutcome(Base):
    """One per queue entry; `outcome` is a code of settings/seats.yml `outcomes` (labels live there)."""
    __tablename__ = "seat_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    queue_id: Mapped[int] = mapped_column(Integer, ForeignKey("seat_queue.id", ondelete="CASCADE"))
    seat: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(30))
    note: Mapped[Optional[str]] = mapped_column(Text)
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("uq_seat_outcomes_queue_id", "queue_id", unique=True),
        Index("ix_seat_outcomes_seat_marked_at", "seat", "marked_at"),
    )
