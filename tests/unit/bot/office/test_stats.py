"""The office's statistics against figures the test computes itself, from the generator's own account
of what it did (tests/support/office_history.py), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter

import pytest

from bot.office.stats import StatsError, check_period, office_stats, parse_date, parse_month
from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.office_history import build_history
from tests.support.tickets import POLICY, Clock

NOV_1, NOV_30 = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
RUNNING = {"accepted", "dispatched", "in_progress", "returned", "reopened"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def history(request, tmp_path_factory):
    """One generated month per backend, shared by the tests of this module (it takes a while)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('stats') / 'tickets.db'}"
        yield from _built(url)
    else:
        from tests.support.postgres import postgres_database
        with postgres_database() as url:
            yield from _built(url)


def _built(url):
    engine = make_engine(url)
    migrate(engine)
    clock = Clock(2026, 11, 1, 8, 0)
    store = TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock)
    made = build_history(store, clock, seed=13, tickets=220)
    yield store, made
    engine.dispose()


def _in_period(history):
    return [p for p in history.tickets if NOV_1 <= p.opened.date() <= NOV_30]


def _late(p, today):
    """The test's reading of the rules: an answer after the deadline then in force, or a deadline
    passed while the clock still runs; None while neither has happened."""
    past_due = p.status in RUNNING and p.deadline < today
    if p.replies:
        return any(answered > deadline for answered, deadline in p.replies) or past_due
    return True if past_due else None


def _expected_department(planned, dept_id, today):
    led = [p for p in planned if p.lead == dept_id and p.status != "accepted"]
    returned = [p for p in planned if dept_id in p.returned_by + p.return_requests_by + p.return_refused_by]
    judged = [x for x in (_late(p, today) for p in led) if x is not None]
    ratings = Counter(p.rating for p in led if p.rating)
    closed_once = [p for p in led if p.status == "closed" or p.redo]
    return {
        "tickets": len(led), "replied": sum(p.status in ("replied", "closed") for p in led),
        "closed": sum(p.status == "closed" for p in led), "judged": len(judged),
        "on_time": judged.count(False), "late": judged.count(True),
        "overdue_open": sum(p.status in RUNNING and p.deadline < today for p in led),
        "extended": sum(p.extended_days > 0 for p in led), "extension_days": sum(p.extended_days for p in led),
        "extension_requests": sum(p.extension_requests for p in led),
        "returns": sum(p.returned_by.count(dept_id) for p in planned),
        "return_requests": sum(p.return_requests_by.count(dept_id) for p in planned),
        "returns_refused": sum(p.return_refused_by.count(dept_id) for p in planned),
        "received": len({p.number for p in led + returned}),
        "closed_once": len(closed_once), "redone": sum(p.redo for p in led), "rated": sum(ratings.values()),
        "satisfied": ratings["satisfied"], "basically_satisfied": ratings["basically_satisfied"],
        "unsatisfied": ratings["unsatisfied"],
    }


def test_the_volume_matches_the_tickets_opened_in_the_local_period(history):
    store, made = history
    figures = office_stats(store, NOV_1, NOV_30)
    planned = _in_period(made)
    assert len(planned) == 219 and figures["totals"]["tickets"] == 219   # the ticket at 00:05 on 1 December is out
    per_day = Counter(p.opened.date() for p in planned)
    assert figures["volume"]["by_day"] == [
        {"date": (NOV_1 + dt.timedelta(days=n)).isoformat(), "count": per_day.get(NOV_1 + dt.timedelta(days=n), 0)}
        for n in range(30)]
    assert figures["volume"]["by_day"][0]["count"] >= 1                 # 00:05 on 1 November (UTC: 31 October)

    def counts(section):
        return {row["key"]: row["count"] for row in figures["volume"][section]}
    assert counts("by_channel") == Counter(p.channel for p in planned)
    assert counts("by_type") == Counter(p.request_type for p in planned)
    assert counts("by_territory") == Counter(p.district or "未识别" for p in planned)
    expected_departments = Counter((p.lead if p.status != "accepted" and p.lead else "") for p in planned)
    assert counts("by_department") == expected_departments
    labels = {row["key"]: row["label"] for row in figures["volume"]["by_department"]}
    assert labels[""] == "待派单" and labels["chengguan"] == "市城市管理综合执法局"
    assert {row["label"] for row in figures["volume"]["by_type"]} <= {"咨询", "求助", "投诉", "举报", "建议"}


def test_each_department_is_judged_on_the_rules(history):
    store, made = history
    figures = office_stats(store, NOV_1, NOV_30)
    planned, today = _in_period(made), made.now.date()
    rows = {row["id"]: row for row in figures["departments"]}
    assert set(rows) == {p.lead for p in planned if p.lead and p.status != "accepted"} | {
        d for p in planned for d in p.return_requests_by}
    for dept_id, row in rows.items():
        expected = _expected_department(planned, dept_id, today)
        assert {key: row[key] for key in expected} == expected, dept_id
        assert row["on_time_rate"] == (round(expected["on_time"] / expected["judged"], 4)
                                       if expected["judged"] else None)
    judged = [x for x in (_late(p, today) for p in planned) if x is not None]
    rated = Counter(p.rating for p in planned if p.rating)
    assert figures["totals"]["on_time_rate"] == round(judged.count(False) / len(judged), 4)
    assert figures["totals"]["overdue_open"] == sum(p.status in RUNNING and p.deadline < today for p in planned)
    assert figures["totals"]["satisfied_rate"] == round(
        (rated["satisfied"] + rated["basically_satisfied"]) / sum(rated.values()), 4)
    # The generated month exercises every rule at least once.
    total = {key: sum(r[key] for r in rows.values()) for key in ("late", "on_time", "extended", "returns",
                                                                   "returns_refused", "extension_requests",
                                                                   "redone", "unsatisfied", "overdue_open")}
    assert all(value > 0 for value in total.values()), total


def test_referrals_assistant_share_and_seat_waits(history):
    store, made = history
    figures = office_stats(store, NOV_1, NOV_30)
    inside = [(kind, detail) for kind, moment, detail in made.records if NOV_1 <= moment.date() <= NOV_30]
    assert len(inside) < len(made.records)                               # some fell outside the period
    emergency = Counter(d["to"] for k, d in inside if k == "emergency_referral")
    assert {r["key"]: r["count"] for r in figures["referrals"]["emergency"]["by_number"]} == emergency
    assert figures["referrals"]["emergency"]["total"] == sum(emergency.values())
    assert "110 公安报警电话" in {r["label"] for r in figures["referrals"]["emergency"]["by_number"]}
    refused = Counter(d["reason"] for k, d in inside if k == "not_accepted")
    assert {r["key"]: r["count"] for r in figures["referrals"]["not_accepted"]["by_reason"]} == refused

    kinds = Counter(k for k, _ in inside)
    seat_only = sum(1 for q in made.queue if q["ticket_number"] is None)
    assistant = figures["assistant"]
    assert (assistant["kb_answers"], assistant["kb_offers"], assistant["unanswered"]) == (
        kinds["kb_answer"], kinds["kb_offer"], kinds["unanswered"])
    share = kinds["kb_answer"] / (kinds["kb_answer"] + 219 + seat_only)
    assert assistant["answered_alone_share"] == round(share, 4)

    waits = sorted((q["taken_at"] - q["waiting_since"]).total_seconds() for q in made.queue if q["taken_at"])
    seats = figures["seats"]
    assert seats["handoffs"] == len(made.queue) and seats["taken"] == len(waits)
    assert seats["wait_seconds"]["mean"] == round(statistics.fmean(waits), 1)
    assert seats["wait_seconds"]["median"] == round(statistics.median(waits), 1)
    assert seats["wait_seconds"]["p90"] == waits[math.ceil(len(waits) * 0.9) - 1]
    assert seats["wait_seconds"]["max"] == waits[-1]
    assert {r["key"]: r["count"] for r in seats["by_reason"]} == Counter(q["reason"] for q in made.queue)


def test_a_department_sees_only_its_own_figures(history):
    store, made = history
    figures = office_stats(store, NOV_1, NOV_30, "gongan")
    mine = [p for p in _in_period(made) if p.lead == "gongan" and p.status != "accepted"]
    assert figures["department"] == {"id": "gongan", "name": "市公安局"}
    assert figures["totals"]["tickets"] == len(mine)
    assert [r["id"] for r in figures["departments"]] == ["gongan"]
    assert figures["referrals"] is None and figures["assistant"] is None and figures["seats"] is None
    assert {r["key"] for r in figures["volume"]["by_department"]} == {"gongan"}


def test_a_quiet_period_has_zeros_not_errors(history):
    store, _ = history
    figures = office_stats(store, dt.date(2026, 6, 1), dt.date(2026, 6, 3))
    assert [d["count"] for d in figures["volume"]["by_day"]] == [0, 0, 0]
    assert figures["departments"] == [] and figures["totals"]["on_time_rate"] is None
    assert figures["seats"]["wait_seconds"]["mean"] is None


def test_bad_periods_are_refused_in_chinese():
    with pytest.raises(StatsError, match="不能晚于"):
        check_period(dt.date(2026, 11, 30), dt.date(2026, 11, 1))
    with pytest.raises(StatsError, match="最长366天"):
        check_period(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(StatsError, match="YYYY-MM-DD"):
        parse_date("2026/11/01", "开始日期")
    with pytest.raises(StatsError, match="YYYY-MM"):
        parse_month("2026-13")
    assert parse_month("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


@pytest.fixture
def fresh_store(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=Clock(2026, 12, 10, 12, 0))
    engine.dispose()


def test_imported_history_is_counted_by_its_times_and_places(fresh_store, tmp_path):
    """Tickets from an older system carry no history: on time is read from their answer time, the
    district from the place they name."""
    from bot.tickets.importing import import_file
    rows = ["诉求内容,受理时间,类型,渠道,地点,承办单位,状态,答复时间,办结时间,满意度",
            "路灯不亮,2026-11-02 09:00,求助,电话,解放路12号,市城市管理综合执法局,已办结,2026-11-04 10:00,2026-11-05 10:00,满意",
            "噪音扰民,2026-11-03 09:00,投诉,网页,翡翠湾小区,市城市管理综合执法局,已办结,2026-12-01 10:00,2026-12-02 10:00,不满意",
            "咨询社保,2026-11-04 09:00,咨询,微信,,市人力资源和社会保障局,已答复,2026-11-05 10:00,,",
            "隔壁装修,2026-11-28 23:30,投诉,电话,北湖公园附近,市城市管理综合执法局,办理中,,,"]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_file(fresh_store, path)
    assert report.imported == 4, report.rejected
    figures = office_stats(fresh_store, NOV_1, NOV_30)
    assert {r["key"]: r["count"] for r in figures["volume"]["by_territory"]} == {"中山区": 1, "滨江区": 1, "北城区": 1,
                                                                                "未识别": 1}
    city = next(r for r in figures["departments"] if r["id"] == "chengguan")
    # On time: answered 4 Nov (limit 7 working days); late: answered 1 Dec (limit 10); the open
    # one opened 28 Nov is within its 10 working days on 10 Dec: not judged yet.
    assert (city["tickets"], city["judged"], city["on_time"], city["late"]) == (3, 2, 1, 1)
    assert (city["rated"], city["satisfied"], city["unsatisfied"]) == (2, 1, 1)
    assert figures["volume"]["by_channel"][0]["label"] == "电话"
