"""Seat hours: 7×24 by default, office hours with working days from the official calendar."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.seats.hours import SeatHours, parse_period
from bot.seats.settings import seat_settings, seat_settings_from
from bot.settings import SettingsError
from bot.workdays import WorkdayCalendar

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def hours(workdays, rest_days):
    settings = seat_settings_from({"hours": {"workdays": workdays, "rest_days": rest_days}})
    return SeatHours.from_settings(settings, calendar=WorkdayCalendar(), timezone="Asia/Shanghai")


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_default_is_seven_by_twenty_four():
    h = SeatHours.from_settings(seat_settings(), calendar=WorkdayCalendar(), timezone="Asia/Shanghai")
    assert h.always and h.describe() == "7×24小时"
    assert h.is_open(at(2026, 10, 1, 3)) and h.is_open(at(2026, 11, 23, 23, 59))


def test_office_hours_on_working_days_only():
    h = hours(["08:30-12:00", "13:30-17:30"], [])
    assert h.is_open(at(2026, 11, 23, 9))            # a Monday
    assert not h.is_open(at(2026, 11, 23, 12, 30))   # lunch
    assert not h.is_open(at(2026, 11, 23, 17, 30))   # the end is not included
    assert not h.is_open(at(2026, 11, 22, 10))       # a Sunday
    assert not h.is_open(at(2026, 10, 1, 10))        # National Day
    assert h.describe() == "工作日 08:30–12:00、13:30–17:30，周末和节假日休息"


def test_a_make_up_working_day_counts_as_a_working_day():
    h = hours(["09:00-17:00"], [])
    assert h.is_open(at(2026, 9, 20, 10))   # Sunday 20 September 2026 is a make-up working day


def test_utc_moments_are_judged_in_local_time():
    h = hours(["08:30-17:30"], [])
    assert h.is_open(dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.timezone.utc))       # 09:00 in Shanghai
    assert not h.is_open(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc))  # 18:00


def test_every_day_the_same():
    assert hours(["08:00-20:00"], ["08:00-20:00"]).describe() == "每天 08:00–20:00"


@pytest.mark.parametrize("bad", ["8-17", "17:00-08:00", "08:00-25:00", "08:70-09:00"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(SettingsError):
        parse_period(bad)
