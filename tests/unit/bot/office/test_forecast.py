"""来件预测 on SQLite and PostgreSQL: on a generated history with a known shape (a level per type, a
+1.5 %/week trend, quieter weekends, much quieter holidays, Poisson noise; tests/support/
forecast_history.py), the forecast beats the naive "same as last week" on held-out weeks that include
the National Day weeks, its 80 % interval covers roughly its share, the weekly counts match counts
made independently, and short histories say so instead of inventing numbers."""
import datetime as dt

import numpy as np
import pytest
from sqlalchemy import select

from bot.office.forecast import ForecastError, ForecastSettings, forecast
from bot.office.forecast_models import holt, mean
from bot.tickets.models import Ticket
from tests.support.forecast_history import generate
from tests.support.tickets import Clock, open_ticket

SETTINGS = ForecastSettings.load()


@pytest.fixture
def clock() -> Clock:
    return Clock(2026, 11, 4, 10, 0)       # a Wednesday: the week of 2 November is under way


@pytest.fixture
def history(store):
    """30 complete weeks from Monday 6 April to Sunday 1 November 2026, and this week's Monday to Wednesday."""
    return generate(store, dt.date(2026, 4, 6), dt.date(2026, 11, 4))


def independent_count(store, monday: dt.date, request_type: str) -> int:
    rows = store.sessions().execute(select(Ticket.created_at).where(Ticket.request_type == request_type)).scalars()
    return sum(1 for at in rows if 0 <= (store.local_time(at).date() - monday).days < 7)


def test_the_forecast_beats_last_week_on_held_out_weeks_and_its_interval_covers_its_share(store, history):
    result = forecast(store, backtest_weeks=12, settings=SETTINGS)
    assert result["week"] == {"from": "2026-11-09", "to": "2026-11-15", "working_days": 5, "days_off": 2,
                              "holidays": 0, "capacity": result["week"]["capacity"]}
    assert result["horizon"] == 2 and result["last_week"] == "2026-10-26" and result["current_week"] == "2026-11-02"
    assert result["history"] == {"from": "2026-04-06", "to": "2026-11-01", "weeks": 30}
    backtest = result["backtest"]
    assert backtest["weeks"] == 12 and backtest["from"] == "2026-08-10" and backtest["to"] == "2026-11-01"
    # Pooled over the five types, for the total, and for the large series each.
    assert backtest["model"]["wape"] < 0.8 * backtest["naive"]["wape"], backtest
    assert backtest["total"]["model"]["wape"] < 0.8 * backtest["total"]["naive"]["wape"], backtest
    for series in backtest["series"]:
        if series["key"] in ("complain", "consult", "seek_help"):
            assert series["model"]["mae"] < series["naive"]["mae"], series
    assert 0.65 <= backtest["model"]["coverage"] <= 0.97, backtest["model"]
    # The weights of days off, estimated from the history, are near the generator's 0.5 and 0.3.
    assert abs(result["off_day_weights"]["weekend"] - 0.5) < 0.08
    assert abs(result["off_day_weights"]["holiday"] - 0.3) < 0.12


def test_each_series_has_expected_interval_and_the_actual_counts(store, history):
    result = forecast(store, settings=SETTINGS)
    by_key = {s["key"]: s for s in result["series"]}
    assert list(by_key) == ["complain", "consult", "seek_help", "report", "suggest"]   # busiest first
    for key, series in by_key.items():
        assert series["low"] <= series["expected"] <= series["high"], series
        assert series["last_week"] == independent_count(store, dt.date(2026, 10, 26), key)
        assert series["so_far"] == sum(1 for t in store.list(limit=100000)
                                       if t.request_type == key and store.local_time(t.created_at).date()
                                       >= dt.date(2026, 11, 2))
        assert series["actual"] is None and series["note"] is None and series["history_weeks"] == 30
    total = result["total"]
    assert total["last_week"] == sum(s["last_week"] for s in by_key.values())
    # The chart: the recent weeks' actual counts, the target appended without one.
    recent = result["recent"]
    assert recent["weeks"][-1] == "2026-11-09" and recent["weeks"][-3] == "2026-10-26"
    total_line = recent["series"][0]
    assert total_line["key"] == "total" and total_line["actual"][-1] is None and total_line["actual"][-2] is None
    assert total_line["actual"][-3] == total["last_week"] and total_line["expected"][-1] == total["expected"]


def test_a_holiday_week_is_expected_quieter_and_a_past_week_shows_its_actual(store, history):
    """National Day 2026: Thursday 1 to Wednesday 7 October; the week of 5 October has three working days
    (Saturday 10 October is a make-up working day)."""
    holiday = forecast(store, week=dt.date(2026, 10, 7), settings=SETTINGS)
    ordinary = forecast(store, week=dt.date(2026, 10, 14), settings=SETTINGS)
    assert holiday["week"]["from"] == "2026-10-05" and holiday["week"]["holidays"] == 3
    assert holiday["horizon"] == 1 and holiday["current_week"] is None
    # Both weeks before the target hold holidays (the week of 28 September ends with 1–4 October).
    assert holiday["total"]["expected"] < 0.85 * ordinary["total"]["expected"]
    assert holiday["total"]["actual"] == sum(independent_count(store, dt.date(2026, 10, 5), t)
                                             for t in ("complain", "consult", "seek_help", "report", "suggest"))
    assert abs(holiday["total"]["expected"] - holiday["total"]["actual"]) < 0.1 * holiday["total"]["actual"]
    # The week after is not dragged down by the quiet one before it.
    assert ordinary["total"]["expected"] > 1.1 * ordinary["total"]["last_week"]


def test_by_department_and_a_departments_own_view(store, history):
    result = forecast(store, by="department", settings=SETTINGS)
    labels = {s["key"]: s["label"] for s in result["series"]}
    assert labels["chengguan"] == "市城市管理综合执法局" and set(labels) == {"chengguan", "renshe", "zhujian", "gongan"}
    own = forecast(store, by="department", scope="gongan", settings=SETTINGS)
    assert [s["key"] for s in own["series"]] == ["gongan"]
    assert own["series"][0]["last_week"] == independent_count(store, dt.date(2026, 10, 26), "report")
    assert own["total"]["last_week"] == own["series"][0]["last_week"]
    by_type = forecast(store, scope="gongan", settings=SETTINGS)
    assert [s["key"] for s in by_type["series"]] == ["report"]


def test_a_short_history_says_so_instead_of_inventing_numbers(store, clock):
    generate(store, dt.date(2026, 10, 12), dt.date(2026, 11, 3))      # three complete weeks
    result = forecast(store, settings=SETTINGS)
    assert result["enough_history"] is False and "历史不足" in result["message"]
    for series in result["series"] + [result["total"]]:
        assert series["expected"] is None and series["low"] is None
        assert series["note"] == "历史不足：只有 3 个完整周，至少需要 6 周，不作预测"
        assert series["last_week"] is not None
    assert result["backtest"]["model"]["weeks"] == 0 and result["backtest"]["model"]["wape"] is None


def test_an_empty_database_and_a_new_series_say_so(store):
    empty = forecast(store, settings=SETTINGS)
    assert empty["enough_history"] is False and empty["series"] == [] and "没有足够的历史工单" in empty["message"]
    generate(store, dt.date(2026, 4, 6), dt.date(2026, 11, 1), levels={"complain": 10.0})
    generate(store, dt.date(2026, 10, 19), dt.date(2026, 11, 1), seed=7, levels={"suggest": 3.0})
    mixed = {s["key"]: s for s in forecast(store, settings=SETTINGS)["series"]}
    assert mixed["complain"]["expected"] is not None and mixed["suggest"]["expected"] is None
    assert "只有 2 个完整周" in mixed["suggest"]["note"]


def test_days_and_weeks_are_local(store, clock):
    """Opened at 00:30 on Monday 2 November in Shanghai is Sunday in UTC: it counts on Monday, in
    Monday's week; 23:30 on Sunday 1 November local counts on Sunday, in the week before."""
    from bot.office.forecast_counts import daily_counts, monday_of
    clock.set(2026, 11, 2, 0, 30)
    open_ticket(store, key="monday")
    clock.set(2026, 11, 1, 23, 30)
    open_ticket(store, key="sunday", request_type="consult")
    counts = daily_counts(store, "type", dt.date(2026, 10, 26), dt.date(2026, 11, 8))
    assert counts.counts == {"complain": {dt.date(2026, 11, 2): 1}, "consult": {dt.date(2026, 11, 1): 1}}
    assert counts.labels == {"complain": "投诉", "consult": "咨询"}
    assert monday_of(dt.date(2026, 11, 1)) == dt.date(2026, 10, 26)
    assert monday_of(dt.date(2026, 11, 2)) == dt.date(2026, 11, 2)


def test_bad_requests_are_refused_in_chinese(store):
    with pytest.raises(ForecastError, match="预测维度应为 type"):
        forecast(store, by="region", settings=SETTINGS)
    with pytest.raises(ForecastError, match="只能预测到最近一个完整周之后 4 周以内（最晚 2026-11-23 开始的一周）"):
        forecast(store, week=dt.date(2026, 12, 1), settings=SETTINGS)
    with pytest.raises(ForecastError, match="回测周数应在 1 到 52 之间"):
        forecast(store, backtest_weeks=0, settings=SETTINGS)


def test_the_models_follow_a_level_and_a_trend():
    flat = np.full(20, 30.0)
    assert mean(flat, 1) == 30.0 and abs(holt(flat, 2) - 30.0) < 1e-9
    rising = 30.0 + 2.0 * np.arange(30)
    # The damped trend keeps up with a steady rise far better than the mean of the last four weeks.
    assert abs(holt(rising, 1, **SETTINGS.holt) - 90.0) < 3.0 and mean(rising, 1) == 85.0


def test_records_that_stop_early_are_pointed_out(store):
    """Only an old history imported: the weeks after its end are not weeks without tickets."""
    generate(store, dt.date(2026, 5, 4), dt.date(2026, 10, 14))
    stale = forecast(store, settings=SETTINGS)
    assert stale["warning"].startswith("工单记录只到 2026-10-14，之后的日子按没有来件计算")
    inside = forecast(store, week=dt.date(2026, 10, 12), settings=SETTINGS)
    assert inside["warning"] is None and inside["total"]["actual"] is None    # the week was cut short
    assert forecast(store, week=dt.date(2026, 10, 5), settings=SETTINGS)["total"]["actual"] > 0
