"""Tables of knowledge-base upkeep (migration 0009/0010_knowledge_upkeep).

kb_proposals: what a department (or the office) proposed for one entry, and how the office decided.
kb_versions:  every published text of an entry, with who proposed it, who approved it and when: the
              entry's history. The YAML files under knowledge/ hold only the current text (git keeps
              their own history where there is git; a server has only this table).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Optional

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.tickets.models import Base

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
STATUSES = (PENDING, APPROVED, REFUSED)
STATUS_LABELS = {PENDING: "待审核", APPROVED: "已发布", REFUSED: "已退回"}
NEW, CHANGE = "new", "change"


class KBProposal(Base):
    __tablename__ = "kb_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(10))                   # new | change
    owner: Mapped[Optional[str]] = mapped_column(String(40), index=True)   # department id (departments.yml)
    status: Mapped[str] = mapped_column(String(20), index=True)
    content: Mapped[Dict[str, Any]] = mapped_column(JSON)           # the proposed entry (fields of the YAML)
    base: Mapped[Optional[Dict[str, Any]]] = mapped_column(JSON)    # the entry as it was when proposed
    origin: Mapped[Dict[str, Any]] = mapped_column(JSON, default=dict)   # e.g. {"seat_queue_id": 7}
    note: Mapped[Optional[str]] = mapped_column(Text)               # the proposer's explanation
    proposed_by: Mapped[str] = mapped_column(String(100))
    proposed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[Optional[str]] = mapped_column(String(100))
    reviewed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    reason: Mapped[Optional[str]] = mapped_column(Text)             # why the office refused


class KBVersion(Base):
    __tablename__ = "kb_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[Dict[str, Any]] = mapped_column(JSON)
    file: Mapped[str] = mapped_column(String(200))                  # relative to the source folder
    proposal_id: Mapped[Optional[int]] = mapped_column(Integer)     # None: the text the file had before
    proposed_by: Mapped[str] = mapped_column(String(100))
    approved_by: Mapped[Optional[str]] = mapped_column(String(100))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("uq_kb_versions_entry_version", "entry_id", "version", unique=True),)
