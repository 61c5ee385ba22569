"""The restrictions table (migration 0004_restrictions).

One row per restriction. Its history is in the row itself: who restricted and when (created_*),
and, if it ended early, who lifted it, when and why (lifted_*). The restricted value is stored only
as a SHA-256 digest of its normalised form, plus a masked form for people (138****5678).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.tickets.models import Base

PHONE, OPENID, CALLER, WEB = "phone", "openid", "caller", "web"
KINDS = (PHONE, OPENID, CALLER, WEB)
KIND_LABELS = {PHONE: "电话号码", OPENID: "微信用户", CALLER: "来电号码", WEB: "网页用户"}


class Restriction(Base):
    __tablename__ = "restrictions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value_digest: Mapped[str] = mapped_column(String(64))
    shown: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[Optional[str]] = mapped_column(String(100))
    lifted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    lift_reason: Mapped[Optional[str]] = mapped_column(Text)

    __table_args__ = (Index("ix_restrictions_kind_value_digest", "kind", "value_digest"),)
