"""Time limits per request type, extension, return and redo limits and the warning cards, from
settings/policy.yml. Cities differ in all of these, so none of them is written in code."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, Tuple

from bot.request_types import REQUEST_TYPES  # noqa: F401 - re-exported: the ticket's types
from bot.settings import SettingsError, load_yaml
from bot.workdays import WorkdayCalendar


@dataclass(frozen=True)
class TicketPolicy:
    time_limits: Dict[str, int]
    max_extension: int
    return_within: int
    calendar: WorkdayCalendar
    # Seed 004 (二)3: redo (重办) after an unsatisfied rating, in working days per type, at most
    # max_redos times, never extended.
    redo_limits: Dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_REDO))
    max_redos: int = 1
    # Seed 004 (二)4: a yellow card this many working days before the deadline, or this many hours
    # for the types listed (consultations: 8 hours).
    yellow_before_working_days: int = 1
    yellow_before_hours: Dict[str, int] = field(default_factory=lambda: {"consult": 8})

    def time_limit(self, request_type: str) -> int:
        try:
            return self.time_limits[request_type]
        except KeyError:
            raise SettingsError(f"policy.yml 未配置诉求类型 {request_type} 的办理时限") from None

    def deadline(self, request_type: str, opened: dt.date) -> dt.date:
        return self.calendar.add_working_days(opened, self.time_limit(request_type))

    def redo_deadline(self, request_type: str, reopened: dt.date) -> dt.date:
        try:
            days = self.redo_limits[request_type]
        except KeyError:
            raise SettingsError(f"policy.yml 未配置诉求类型 {request_type} 的重办时限") from None
        return self.calendar.add_working_days(reopened, days)


def _dates(values) -> Tuple[dt.date, ...]:
    return tuple(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in values or ())


_DEFAULT_REDO = {"consult": 1, "suggest": 2, "seek_help": 2, "complain": 5, "report": 5}


def _per_type(raw: Any, what: str) -> Dict[str, int]:
    values = {str(k): int(v) for k, v in (raw or {}).items()}
    missing = set(REQUEST_TYPES) - set(values)
    if missing:
        raise SettingsError(f"policy.yml 缺少这些诉求类型的{what}：{', '.join(sorted(missing))}")
    return values


@lru_cache(maxsize=None)
def ticket_policy() -> TicketPolicy:
    raw = load_yaml("policy.yml")
    limits = _per_type(raw.get("time_limits_working_days"), "办理时限")
    redo = _per_type(raw.get("redo_limits_working_days") or _DEFAULT_REDO, "重办时限")
    warnings = raw.get("warnings") or {}
    calendar = WorkdayCalendar(_dates(raw.get("extra_holidays")), _dates(raw.get("extra_working_days")))
    return TicketPolicy(limits, int(raw.get("max_extension_working_days", 15)),
                        int(raw.get("return_within_working_days", 1)), calendar,
                        redo_limits=redo, max_redos=int(raw.get("max_redos", 1)),
                        yellow_before_working_days=int(warnings.get("yellow_before_working_days", 1)),
                        yellow_before_hours={str(k): int(v) for k, v in
                                             (warnings.get("yellow_before_hours") or {}).items()})
