"""Warning cards (效能预警, seed 004 (二)4): green on time, yellow shortly before the deadline, red
once it has passed, for every ticket whose statutory clock is running.

A deadline is a date: the department must answer by the end of that day, local time. The card of
a ticket depends only on its type, its deadline and the current time, so `yellow_from` gives the
last deadline that is already yellow today; the staff API turns the same dates into SQL filters.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from bot.tickets import lifecycle
from bot.tickets.policy import TicketPolicy

GREEN, YELLOW, RED = "green", "yellow", "red"
COLOURS = (GREEN, YELLOW, RED)
LABELS = {GREEN: "绿牌", YELLOW: "黄牌", RED: "红牌"}


def yellow_until(policy: TicketPolicy, request_type: str, local_now: dt.datetime) -> dt.date:
    """Deadlines on or before this date are yellow (unless already red) at local_now."""
    hours = policy.yellow_before_hours.get(request_type)
    if hours is not None:
        # Yellow once local_now >= end of the deadline day - hours, i.e. local_now + hours has
        # reached the day after the deadline.
        return (local_now + dt.timedelta(hours=hours)).date() - dt.timedelta(days=1)
    return policy.calendar.add_working_days(local_now.date(), policy.yellow_before_working_days)


def card(policy: TicketPolicy, status: str, request_type: str, deadline: dt.date,
         local_now: dt.datetime) -> Optional[str]:
    """green / yellow / red; None for a closed ticket. An answered ticket waiting to be closed is
    green: its clock stopped when the department replied."""
    if status not in lifecycle.OPEN:
        return None
    if status not in lifecycle.CLOCK_RUNNING:
        return GREEN
    if deadline < local_now.date():
        return RED
    if deadline <= yellow_until(policy, request_type, local_now):
        return YELLOW
    return GREEN
