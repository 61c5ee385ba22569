"""GET /api/stats, /api/stats.xlsx and /api/stats/report by role, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.support.office_history import build_history
from tests.support.staff_api import api, auth, call

NOVEMBER = "/api/stats?from=2026-11-01&to=2026-11-30"


@pytest.fixture
def history(store, clock):
    """October and November 2026, small."""
    build_history(store, clock, seed=21, tickets=30, start=dt.date(2026, 10, 1), days=31)
    return build_history(store, clock, seed=22, tickets=50, start=dt.date(2026, 11, 1), days=30)


async def test_every_role_but_handlers_sees_the_whole_hotline(store, history):
    async with api(store) as client:
        for who in ("readonly", "office", "seat"):
            status, figures = await call(client, "GET", NOVEMBER, who)
            assert status == 200, figures
            assert figures["department"] is None and figures["seats"]["handoffs"] == len(history.queue)
            assert figures["totals"]["tickets"] == 50            # 49 of November's + October's 00:05 on 1 November
            assert len(figures["volume"]["by_day"]) == 30
        status, one = await call(client, "GET", NOVEMBER + "&department=gongan", "readonly")
        assert status == 200 and one["department"]["id"] == "gongan" and one["assistant"] is None


async def test_a_handler_sees_only_its_own_department(store, history):
    async with api(store) as client:
        status, figures = await call(client, "GET", NOVEMBER, "handler")   # 李强 of chengguan
        assert status == 200
        led = [p for p in history.tickets if p.lead == "chengguan" and p.status != "accepted"
               and p.opened.date() <= dt.date(2026, 11, 30)]
        assert figures["department"]["id"] == "chengguan" and figures["totals"]["tickets"] == len(led)
        assert figures["referrals"] is None and figures["seats"] is None
        assert {r["key"] for r in figures["volume"]["by_department"]} <= {"chengguan"}
        status, refused = await call(client, "GET", NOVEMBER + "&department=gongan", "handler")
        assert status == 403 and "本单位" in refused["error"]["message"]
        status, own = await call(client, "GET", NOVEMBER + "&department=chengguan", "handler")
        assert status == 200 and own["totals"] == figures["totals"]


@pytest.mark.parametrize("query, message", [
    ("from=2026-11-30&to=2026-11-01", "不能晚于"),
    ("from=2023-01-01&to=2026-11-30", "最长366天"),
    ("from=2026-11-01", "请提供to"),
    ("from=11/01/2026&to=2026-11-30", "YYYY-MM-DD"),
    ("from=2026-11-01&to=2026-11-30&department=火星局", "部门目录中没有"),
    ("from=2026-11-01&to=2026-11-30&dept=gongan", "未知的查询参数"),
])
async def test_bad_input_is_refused_in_chinese(store, query, message):
    async with api(store) as client:
        status, body = await call(client, "GET", "/api/stats?" + query, "readonly")
        assert status == 400 and message in body["error"]["message"]
        response = await client.get("/api/stats.xlsx?" + query, headers=auth("readonly"))
        assert response.status == 400


async def test_no_period_means_the_last_30_days_ending_the_hotlines_today(store):
    async with api(store) as client:
        status, figures = await call(client, "GET", "/api/stats", "readonly")     # the clock: 23 November
        assert status == 200 and (figures["from"], figures["to"]) == ("2026-10-25", "2026-11-23")


async def test_no_token_no_figures(store):
    async with api(store) as client:
        status, body = await call(client, "GET", NOVEMBER, None)
        assert status == 401


async def test_the_workbook_opens_with_numbers_as_numbers(store, history):
    async with api(store) as client:
        response = await client.get("/api/stats.xlsx?from=2026-11-01&to=2026-11-30", headers=auth("readonly"))
        assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(await response.read()))
    rows = list(book["承办单位考核"].iter_rows(values_only=True))
    assert rows[0][:3] == ("承办单位", "工单数", "已答复")
    assert all(isinstance(row[1], int) for row in rows[1:]) and len(rows) > 2
    assert sum(row[1] for row in book["每日受理量"].iter_rows(min_row=2, values_only=True)) == 50


async def test_the_monthly_report_has_this_and_last_months_figures(store, history):
    async with api(store) as client:
        status, _ = await call(client, "GET", NOVEMBER, "readonly")
        response = await client.get("/api/stats/report?month=2026-11", headers=auth("readonly"))
        assert response.status == 200 and response.content_type == "text/html"
        assert "style-src 'sha256-" in response.headers["Content-Security-Policy"]
        page = await response.text()
        status, october = await call(client, "GET", "/api/stats?from=2026-10-01&to=2026-10-31", "readonly")
        bad = await client.get("/api/stats/report?month=2026-13", headers=auth("readonly"))
        assert bad.status == 400
    assert "2026年11月" in page and "<script" not in page
    assert f"上月 {october['totals']['tickets']:,}" in page or f"上月 {october['totals']['tickets']}" in page
    assert "承办单位办理情况" in page and "满意率" in page
