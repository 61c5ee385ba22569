"""Working-day arithmetic for statutory deadlines.

chinese-calendar knows official holidays and make-up working days up to the last year it ships
(2026 in version 1.11). Beyond that we fall back to Monday–Friday plus the holidays an operator
lists in settings/policy.yml, so a ticket opened in late December still gets a deadline.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Iterable, Optional

import chinese_calendar

logger = logging.getLogger(__name__)


class WorkdayCalendar:
    def __init__(self, extra_holidays: Iterable[dt.date] = (), extra_working_days: Iterable[dt.date] = ()):
        self.extra_holidays = set(extra_holidays)
        self.extra_working_days = set(extra_working_days)
        self._warned_years: set = set()

    def is_workday(self, day: dt.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_holidays:
            return False
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self._warn_unknown_year(day.year)
            return day.weekday() < 5

    def _warn_unknown_year(self, year: int) -> None:
        if year not in self._warned_years:
            self._warned_years.add(year)
            logger.warning(
                "chinese-calendar has no holiday data for %s: counting Monday-Friday as working days; "
                "add that year's holidays to settings/policy.yml (extra_holidays)", year)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (the start day itself does not count)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        remaining = days
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if end is earlier)."""
        sign = 1 if end >= start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count = 0
        day = low
        while day < high:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return sign * count


def today(now: Optional[dt.datetime] = None) -> dt.date:
    return (now or dt.datetime.now()).date()
