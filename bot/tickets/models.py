"""Database tables for tickets. One SQLAlchemy layer for SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    # Idempotency key of the request that opened the ticket: a retried request finds the ticket
    # it already made instead of opening a second one.
    request_key: Mapped[str] = mapped_column(String(200), unique=True)
    request_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text)
    facts: Mapped[Dict[str, Any]] = mapped_column(JSON, default=dict)
    channel: Mapped[str] = mapped_column(String(40))
    sender_id: Mapped[str] = mapped_column(String(200), index=True)
    contact_name: Mapped[Optional[str]] = mapped_column(String(50))
    contact_phone: Mapped[Optional[str]] = mapped_column(String(20), index=True)
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    department: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[dt.date] = mapped_column(Date)

    # Lifecycle (revision 0002). department_id is the catalogue id (settings/departments.yml) a
    # department handler is bound to; `department` keeps the name shown to people.
    department_id: Mapped[Optional[str]] = mapped_column(String(40), index=True)
    dispatched_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    replied_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    answer: Mapped[Optional[str]] = mapped_column(Text)
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    redo_count: Mapped[int] = mapped_column(Integer, default=0)
    # The rating of the current round (满意/基本满意/不满意); earlier rounds are in the history.
    satisfaction: Mapped[Optional[str]] = mapped_column(String(20))
    # A follow-up (new facts on a matter already open) points at the ticket it follows up.
    follow_up_of_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    # 协办单位 (revision 0007): [{"id", "name"}], the departments that assist the lead (department_id);
    # see co_handlers.py. NULL on tickets older than the revision, read as none.
    co_departments: Mapped[Optional[List[Dict[str, str]]]] = mapped_column(JSON, default=list)
    # Optimistic locking: two people changing one ticket at once cannot both win unnoticed.
    version: Mapped[int] = mapped_column(Integer, default=1)

    follow_up_of: Mapped[Optional["Ticket"]] = relationship(remote_side=[id], lazy="selectin", join_depth=1)
    __mapper_args__ = {"version_id_col": version}

    events: Mapped[List["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan")


class TicketEvent(Base):
    """The ticket's history: who did what, and when."""
    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[Dict[str, Any]] = mapped_column(JSON, default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketSequence(Base):
    """Per-day counter behind readable ticket numbers (YYYYMMDD + sequence)."""
    __tablename__ = "ticket_sequences"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
