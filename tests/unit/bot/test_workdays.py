import datetime as dt

from bot.tickets.policy import ticket_policy
from bot.workdays import WorkdayCalendar


def test_default_time_limits_follow_seed_001():
    policy = ticket_policy()
    assert [policy.time_limit(t) for t in ("consult", "suggest", "seek_help", "complain", "report")] == [3, 5, 7, 10, 10]
    assert policy.max_extension == 15


def test_deadline_skips_weekends():
    # Sunday 22 November 2026 + 10 working days = Friday 4 December.
    assert ticket_policy().deadline("complain", dt.date(2026, 11, 22)) == dt.date(2026, 12, 4)


def test_deadline_skips_national_day_and_counts_make_up_working_days():
    # 30 September 2026 + 3: 1–7 October are holidays, Saturday 10 October is a make-up working day.
    assert ticket_policy().deadline("consult", dt.date(2026, 9, 30)) == dt.date(2026, 10, 10)


def test_beyond_the_known_calendar_weekdays_count_and_listed_holidays_do_not():
    calendar = WorkdayCalendar(extra_holidays=[dt.date(2027, 1, 1)])
    # Thursday 31 December 2026 + 2: 1 January 2027 is listed as a holiday, then the weekend.
    assert calendar.add_working_days(dt.date(2026, 12, 31), 2) == dt.date(2027, 1, 5)


def test_working_days_between_is_signed():
    calendar = WorkdayCalendar()
    assert calendar.working_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 23)) == 1
    assert calendar.working_days_between(dt.date(2026, 11, 23), dt.date(2026, 11, 20)) == -1
