"""A generated ticket history with a known shape, for the forecast tests: per request type a level
per working day, a steady trend, quieter weekends and much quieter holidays (the real Chinese
calendar: Qingming, Labour Day, Dragon Boat, Mid-Autumn and National Day 2026), Poisson noise.

Rows are inserted in bulk through the ticket model (opening 8000 tickets one by one through the
store would take minutes and test nothing the store's own tests do not).
"""
from __future__ import annotations

import datetime as dt
from typing import Dict, Optional

import numpy as np
from sqlalchemy import insert

from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore
from bot.workdays import WorkdayCalendar
from tests.support.tickets import SHANGHAI

# Tickets per working day at the start; "suggest" is a small series (about 5 a week).
LEVELS = {"complain": 24.0, "consult": 14.0, "seek_help": 8.0, "report": 3.0, "suggest": 1.0}
DEPARTMENT_OF = {"complain": "chengguan", "consult": "renshe", "seek_help": "zhujian",
                 "report": "gongan", "suggest": "chengguan"}
WEEKEND, HOLIDAY = 0.5, 0.3          # a day off compared with a working day
TREND = 0.015                        # +1.5 % a week


def daily_rate(level: float, day: dt.date, first: dt.date, calendar: WorkdayCalendar) -> float:
    weeks = (day - first).days / 7
    factor = 1.0 if calendar.is_workday(day) else (WEEKEND if day.weekday() >= 5 else HOLIDAY)
    return level * (1 + TREND) ** weeks * factor


def generate(store: TicketStore, first: dt.date, last: dt.date, seed: int = 13,
             levels: Optional[Dict[str, float]] = None) -> int:
    """Tickets opened on local days first..last; returns how many. Each call needs its own seed."""
    rng = np.random.default_rng(seed)
    calendar = WorkdayCalendar()
    rows, day, serial = [], first, 0
    while day <= last:
        for request_type, level in (levels or LEVELS).items():
            for _ in range(rng.poisson(daily_rate(level, day, first, calendar))):
                serial += 1
                rows.append(_ticket(seed, serial, request_type, day, int(rng.integers(0, 24 * 60))))
        day += dt.timedelta(days=1)
    with store.sessions.begin() as session:
        session.execute(insert(Ticket), rows)
    return serial


def _ticket(seed: int, serial: int, request_type: str, day: dt.date, minute: int) -> dict:
    # Local time of day, including the small hours: the local date decides the week, not the UTC one.
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=SHANGHAI)
    department = DEPARTMENT_OF[request_type]
    return dict(number=f"H{seed:03d}{serial:08d}", request_key=f"history-{seed}-{serial}", request_type=request_type,
                status="dispatched", text="历史诉求", facts={}, channel="phone", sender_id=f"h-{serial % 997}",
                created_at=local.astimezone(dt.timezone.utc), deadline=day, department_id=department,
                department=department, co_departments=[], extended_days=0, redo_count=0, version=1,
                consent_to_share=False, anonymous=False)
