"""Who owns an entry, and when it must be reviewed: the `upkeep:` section of settings/knowledge.yml.

An entry's owner is a department of settings/departments.yml (the handler's token is bound to one).
The sources name departments the way citizens read them (本市城市管理局), the catalogue the way the
dispatch does (市城市管理综合执法局), so a name is matched by `upkeep.owners` first, then by the
catalogue's name without 本市/市 and without a bracketed unit (（车管所）). An entry no department
owns (the hotline's own, 政务服务中心) is kept by the office alone.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Mapping, Optional

from bot.knowledge.errors import ConfigError
from bot.knowledge.settings import KBSettings
from bot.knowledge.source import Entry
from bot.tickets import departments

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True)
class UpkeepSettings:
    review_months: int = 12            # review-by = updated + this, unless the entry says review_by
    group_threshold: float = 0.9       # e5 cosine at or above which two unanswered questions are one group
    max_questions: int = 2000          # newest unanswered questions grouped at most (bounded work per call)
    owners: Mapping[str, str] = field(default_factory=dict)   # department name in knowledge/ -> department id


def upkeep_settings(kb: KBSettings) -> UpkeepSettings:
    raw = kb.extra.get("upkeep") or {}
    if not isinstance(raw, dict):
        raise ConfigError("settings/knowledge.yml 的 upkeep 应为映射 (upkeep must be a mapping)")
    try:
        s = UpkeepSettings(review_months=int(raw.get("review_months", 12)),
                           group_threshold=float(raw.get("group_threshold", 0.9)),
                           max_questions=int(raw.get("max_questions", 2000)),
                           owners={str(k): str(v) for k, v in (raw.get("owners") or {}).items()})
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"settings/knowledge.yml 的 upkeep 有误 (invalid upkeep settings): {exc}") from exc
    if s.review_months < 1 or not 0 < s.group_threshold <= 1 or s.max_questions < 1:
        raise ConfigError("upkeep.review_months ≥ 1，0 < group_threshold ≤ 1，max_questions ≥ 1")
    return s


def _plain(name: str) -> str:
    name = _BRACKETS.sub("", name or "").strip()
    for prefix in ("本市", "市"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def owner_id(department_name: str, s: UpkeepSettings) -> Optional[str]:
    """The department id owning entries written by this department name, or None (the office)."""
    if department_name in s.owners:
        return s.owners[department_name] or None
    found = departments.find(department_name)
    if found is not None:
        return found.id
    plain = _plain(department_name)
    for d in departments.catalogue().departments:
        other = _plain(d.name)
        if plain and other and (plain == other or plain.startswith(other)):
            return d.id
    return None


def department_label(department_id: Optional[str]) -> str:
    found = departments.find(department_id or "") if department_id else None
    return found.name if found else "热线办"


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_by(entry: Entry, s: UpkeepSettings) -> dt.date:
    return entry.review_by or add_months(entry.updated, s.review_months)


def stale_reasons(entry: Entry, s: UpkeepSettings, today: dt.date) -> list[str]:
    """Why an entry needs its owner's attention now; empty when it does not."""
    reasons = []
    if entry.valid_until is not None and entry.valid_until < today:
        reasons.append(f"已过有效期（{entry.valid_until.isoformat()}），助手不再使用")
    due = review_by(entry, s)
    if due < today:
        reasons.append(f"已超过复核日期（{due.isoformat()}）")
    return reasons
