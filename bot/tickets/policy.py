"""Time limits per request type, from settings/policy.yml."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Tuple

from bot.settings import SettingsError, load_yaml
from bot.workdays import WorkdayCalendar

REQUEST_TYPES: Dict[str, str] = {
    "consult": "咨询",
    "seek_help": "求助",
    "complain": "投诉",
    "report": "举报",
    "suggest": "建议",
}


@dataclass(frozen=True)
class TicketPolicy:
    time_limits: Dict[str, int]
    max_extension: int
    return_within: int
    calendar: WorkdayCalendar

    def time_limit(self, request_type: str) -> int:
        try:
            return self.time_limits[request_type]
        except KeyError:
            raise SettingsError(f"policy.yml 未配置诉求类型 {request_type} 的办理时限") from None

    def deadline(self, request_type: str, opened: dt.date) -> dt.date:
        return self.calendar.add_working_days(opened, self.time_limit(request_type))


def _dates(values) -> Tuple[dt.date, ...]:
    return tuple(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in values or ())


@lru_cache(maxsize=None)
def ticket_policy() -> TicketPolicy:
    raw = load_yaml("policy.yml")
    limits = {str(k): int(v) for k, v in (raw.get("time_limits_working_days") or {}).items()}
    missing = set(REQUEST_TYPES) - set(limits)
    if missing:
        raise SettingsError(f"policy.yml 缺少这些诉求类型的办理时限：{', '.join(sorted(missing))}")
    calendar = WorkdayCalendar(_dates(raw.get("extra_holidays")), _dates(raw.get("extra_working_days")))
    return TicketPolicy(limits, int(raw.get("max_extension_working_days", 15)),
                        int(raw.get("return_within_working_days", 1)), calendar)
