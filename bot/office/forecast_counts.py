"""Daily ticket counts per series (request type or department) in the store's local time, and what
a week is worth in working days — the data side of the forecast (forecast.py).

Counting happens in Python over (created_at, type, department) rows rather than in SQL: turning a
UTC timestamp into a local date is written differently on SQLite and PostgreSQL, and a year of a
city's tickets is a few hundred thousand small rows.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.sql import ColumnElement

from bot.request_types import REQUEST_TYPES
from bot.tickets import co_handlers, departments
from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore
from bot.workdays import WorkdayCalendar

BY_TYPE, BY_DEPARTMENT = "type", "department"
DIMENSIONS = {BY_TYPE: "诉求类型", BY_DEPARTMENT: "承办部门"}
UNASSIGNED = "unassigned"
TOTAL = "total"
WEEKDAY, WEEKEND, HOLIDAY = "workday", "weekend", "holiday"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class DailyCounts:
    """counts[series][day] and the total per day; first_day is the first day with any ticket."""
    counts: Dict[str, Dict[dt.date, int]]
    total: Dict[dt.date, int]
    labels: Dict[str, str]

    @property
    def first_day(self) -> Optional[dt.date]:
        return min(self.total) if self.total else None


def _utc(store: TicketStore, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=store.zone).astimezone(dt.timezone.utc)


def department_label(department_id: Optional[str], stored_name: Optional[str]) -> str:
    if not department_id:
        return "未派单"
    found = departments.find(department_id)
    return found.name if found else (stored_name or department_id)


def _key(by: str, row, scope: Optional[str]) -> str:
    if by == BY_TYPE:
        return row.request_type
    # A department handler's forecast is its own workload, including what it co-handles (协办):
    # every ticket in its scope counts for it, and no other department is named.
    return scope or row.department_id or UNASSIGNED


def _label(by: str, key: str, row) -> str:
    if by == BY_TYPE:
        return REQUEST_TYPES.get(key, key)
    return department_label(None if key == UNASSIGNED else key, row.department if key == row.department_id else None)


def utc_hour(dialect: str) -> ColumnElement:
    """created_at cut to its UTC hour as 'YYYY-MM-DD HH' on either backend. Tickets are stored in UTC
    (TicketStore.now): SQLite keeps the text '2026-11-02 17:05:00.000000', PostgreSQL a timestamptz."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", Ticket.created_at), "YYYY-MM-DD HH24")
    return func.substr(Ticket.created_at, 1, 13)


def daily_counts(store: TicketStore, by: str, start: dt.date, end: dt.date,
                 scope: Optional[str] = None) -> DailyCounts:
    """Tickets opened on local days start..end (inclusive), per series and in total.

    The database counts per UTC hour (a year of a busy city is millions of rows; a few thousand
    hours come back), and each hour is turned into its local day here, where the time zone's
    rules are known on both backends alike."""
    hour = utc_hour(store.engine.dialect.name).label("hour")
    query = (select(hour, Ticket.request_type, Ticket.department_id, Ticket.department, func.count().label("n"))
             .where(Ticket.created_at >= _utc(store, start),
                    Ticket.created_at < _utc(store, end + dt.timedelta(days=1)))
             .group_by(hour, Ticket.request_type, Ticket.department_id, Ticket.department))
    if scope is not None:
        query = query.where(co_handlers.in_scope(scope))
    counts: Dict[str, Dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    total: Dict[dt.date, int] = defaultdict(int)
    labels: Dict[str, str] = {}
    days: Dict[str, dt.date] = {}
    with store.sessions() as session:
        for row in session.execute(query):
            if row.hour not in days:
                moment = dt.datetime.strptime(row.hour, "%Y-%m-%d %H").replace(tzinfo=dt.timezone.utc)
                days[row.hour] = store.local_time(moment).date()
            day, key = days[row.hour], _key(by, row, scope)
            if key not in labels:       # the catalogue is looked up once per series, not per row
                labels[key] = _label(by, key, row)
            counts[key][day] += row.n
            total[day] += row.n
    return DailyCounts({k: dict(v) for k, v in counts.items()}, dict(total), labels)


def day_kind(calendar: WorkdayCalendar, day: dt.date) -> str:
    """A working day (make-up Saturdays included), a weekend day off, or a weekday off (holiday)."""
    if calendar.is_workday(day):
        return WEEKDAY
    return WEEKEND if day.weekday() >= 5 else HOLIDAY


def week_days(monday: dt.date) -> Iterable[dt.date]:
    return (monday + dt.timedelta(days=i) for i in range(7))


def week_kinds(calendar: WorkdayCalendar, monday: dt.date) -> Dict[str, int]:
    kinds = {WEEKDAY: 0, WEEKEND: 0, HOLIDAY: 0}
    for day in week_days(monday):
        kinds[day_kind(calendar, day)] += 1
    return kinds


def capacity(kinds: Dict[str, int], weights: Dict[str, float]) -> float:
    """A week's worth in working-day equivalents: 5 for an ordinary week, less for a holiday week."""
    return kinds[WEEKDAY] + weights[WEEKEND] * kinds[WEEKEND] + weights[HOLIDAY] * kinds[HOLIDAY]
