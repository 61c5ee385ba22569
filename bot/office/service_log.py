"""Service records: one row for each thing the assistant did for a citizen that no ticket shows.

Tickets and the seat queue are already rows of their own. What leaves no trace without this table is
the conversation that ends without either: an emergency referral (110/119/120/122), a matter the
hotline may not accept sent elsewhere, a question answered (or offered) from the knowledge base, and
a question the assistant could not answer (it fell to a ticket, a fallback or a seat). The office's
statistics (share answered by the assistant alone, referrals) and its list of missing knowledge-base
entries are read from here.

The citizen is kept only as a keyed digest of the sender id (enough to count different citizens,
not to find one), and questions are stored with personal data masked (bot/privacy.py).
Table from migration 0008_service_records.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import JSON, DateTime, Engine, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from bot.privacy import mask_text
from bot.tickets.models import Base

EMERGENCY_REFERRAL = "emergency_referral"   # detail: to ("110" …), evidence ("rule" | "confirmed")
NOT_ACCEPTED = "not_accepted"               # detail: reason (code of bot/screening/not_accepted.py)
KB_ANSWER = "kb_answer"                     # detail: entry_id, score
KB_OFFER = "kb_offer"                       # detail: entry_ids, scores (near matches offered)
UNANSWERED = "unanswered"                   # detail: fell_to ("ticket" | "fallback" | "seat")
KINDS = (EMERGENCY_REFERRAL, NOT_ACCEPTED, KB_ANSWER, KB_OFFER, UNANSWERED)
MAX_QUESTION = 2000
# The digest key: a deployment sets its own so digests cannot be recomputed from a known sender id.
KEY_VARIABLE = "HOTLINE_SERVICE_LOG_KEY"


class ServiceRecord(Base):
    __tablename__ = "service_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(40))
    citizen: Mapped[str] = mapped_column(String(64))
    question: Mapped[Optional[str]] = mapped_column(Text)
    detail: Mapped[Dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_service_records_kind_at", "kind", "at"),)


def _utc(moment: dt.datetime) -> dt.datetime:
    """Every time is stored in UTC: SQLite keeps no zone, so an Asia/Shanghai time stored as is
    would read back eight hours off, and a range in local time would compare against UTC rows."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _plain(value: Any) -> Any:
    """A detail as JSON takes it: numpy scores become floats, tuples lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) or hasattr(value, "__float__"):
        return round(float(value), 4)
    return str(value)


def citizen_digest(sender_id: str) -> str:
    key = os.environ.get(KEY_VARIABLE, "hotline-service-log").encode("utf-8")
    return hmac.new(key, sender_id.encode("utf-8"), hashlib.sha256).hexdigest()


class ServiceLog:
    def __init__(self, engine: Engine):
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    def record(self, kind: str, channel: str, sender_id: str, question: Optional[str] = None,
               at: Optional[dt.datetime] = None, **detail: Any) -> ServiceRecord:
        if kind not in KINDS:
            raise ValueError(f"unknown service record kind: {kind!r}")
        row = ServiceRecord(at=_utc(at or dt.datetime.now(dt.timezone.utc)), kind=kind,
                            channel=(channel or "unknown")[:40], citizen=citizen_digest(sender_id or ""),
                            question=mask_text(question)[:MAX_QUESTION] if question else None,
                            detail=_plain(detail))
        with self.sessions.begin() as session:
            session.add(row)
        row.at = _utc(row.at)
        return row

    def between(self, start: dt.datetime, end: dt.datetime,
                kinds: Optional[Iterable[str]] = None) -> List[ServiceRecord]:
        """Records with start <= at < end (aware datetimes), oldest first."""
        query = select(ServiceRecord).where(ServiceRecord.at >= _utc(start), ServiceRecord.at < _utc(end))
        if kinds is not None:
            query = query.where(ServiceRecord.kind.in_(list(kinds)))
        with self.sessions() as session:
            rows = list(session.scalars(query.order_by(ServiceRecord.at, ServiceRecord.id)))
        for row in rows:
            row.at = _utc(row.at)   # SQLite hands back the stored UTC time without its zone
        return rows
