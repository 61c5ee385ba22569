"""Seat hours: whether a person answers now, and the hours in words for the citizen."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

from bot.settings import SettingsError, hotline_settings
from bot.workdays import WorkdayCalendar

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
Period = Tuple[int, int]   # minutes since midnight, [start, end)


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text or "")
    if not match:
        raise SettingsError(f"坐席时间段格式应为 HH:MM-HH:MM，收到 {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if not (0 <= start < end <= 24 * 60) or m1 > 59 or m2 > 59:
        raise SettingsError(f"坐席时间段 {text!r} 无效：开始应早于结束，且在 00:00 到 24:00 之间")
    return start, end


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _describe_periods(periods: Sequence[Period]) -> str:
    return "、".join(f"{_clock(a)}–{_clock(b)}" for a, b in periods)


@dataclass(frozen=True)
class SeatHours:
    workdays: Tuple[Period, ...]
    rest_days: Tuple[Period, ...]
    calendar: WorkdayCalendar
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings, calendar: Optional[WorkdayCalendar] = None,
                      timezone: Optional[str] = None) -> "SeatHours":
        if calendar is None:
            from bot.tickets.policy import ticket_policy
            calendar = ticket_policy().calendar
        return cls(tuple(parse_period(p) for p in settings.workday_periods),
                   tuple(parse_period(p) for p in settings.rest_day_periods),
                   calendar, ZoneInfo(timezone or hotline_settings().timezone))

    @property
    def always(self) -> bool:
        return self.workdays == ((0, 1440),) and self.rest_days == ((0, 1440),)

    def is_open(self, moment: Optional[dt.datetime] = None) -> bool:
        local = (moment or dt.datetime.now(dt.timezone.utc)).astimezone(self.zone)
        periods = self.workdays if self.calendar.is_workday(local.date()) else self.rest_days
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in periods)

    def describe(self) -> str:
        """The hours in words: "7×24小时", "工作日 08:30–12:00、13:30–17:30，节假日休息"."""
        if self.always:
            return "7×24小时"
        work = f"工作日 {_describe_periods(self.workdays)}" if self.workdays else "工作日休息"
        if self.rest_days == self.workdays:
            return f"每天 {_describe_periods(self.workdays)}"
        rest = f"周末和节假日 {_describe_periods(self.rest_days)}" if self.rest_days else "周末和节假日休息"
        return f"{work}，{rest}"
