"""GET /api/forecast on SQLite and PostgreSQL: every role reads it, a handler only its own
department's figures, bad weeks and dimensions are refused in Chinese (the store's clock: Monday
23 November 2026, so next week starts on 30 November)."""
import datetime as dt

from tests.support.forecast_history import generate
from tests.support.staff_api import api, call


async def test_every_role_reads_the_forecast_with_the_chart_and_the_backtest(store):
    generate(store, dt.date(2026, 5, 4), dt.date(2026, 11, 23))
    async with api(store) as client:
        status, body = await call(client, "GET", "/api/forecast", "office")
        assert status == 200, body
        assert body["week"]["from"] == "2026-11-30" and body["by"] == "type" and body["enough_history"] is True
        assert [s["key"] for s in body["series"]][:2] == ["complain", "consult"] and body["total"]["label"] == "合计"
        assert body["total"]["so_far"] > 0 and body["current_week"] == "2026-11-23"
        assert body["recent"]["weeks"][-1] == "2026-11-30" and len(body["recent"]["series"]) == 6
        assert body["backtest"]["weeks"] == 8 and body["backtest"]["model"]["wape"] < body["backtest"]["naive"]["wape"]
        for who in ("seat", "readonly", "handler"):
            status, _ = await call(client, "GET", "/api/forecast?by=department&backtest=4", who)
            assert status == 200
        status, past = await call(client, "GET", "/api/forecast?week=2026-10-14&by=department", "readonly")
        assert past["week"]["from"] == "2026-10-12" and past["total"]["actual"] > 0


async def test_a_handler_sees_only_its_own_department(store):
    generate(store, dt.date(2026, 5, 4), dt.date(2026, 11, 22))
    async with api(store) as client:
        _, everyone = await call(client, "GET", "/api/forecast?by=department", "seat")
        _, own = await call(client, "GET", "/api/forecast?by=department", "handler")
        _, own_types = await call(client, "GET", "/api/forecast", "handler")
    assert len(everyone["series"]) == 4
    assert [(s["key"], s["label"]) for s in own["series"]] == [("chengguan", "市城市管理综合执法局")]
    assert own["total"]["last_week"] == own["series"][0]["last_week"]
    # chengguan leads the complaints and the suggestions of the generated history.
    assert {s["key"] for s in own_types["series"]} == {"complain", "suggest"}
    assert own_types["total"]["last_week"] == [s for s in everyone["series"] if s["key"] == "chengguan"][0]["last_week"]


async def test_bad_input_is_refused_in_chinese(store):
    async with api(store) as client:
        for query, message in (("week=2026-13-01", "week 应为目标周中的任意一天"),
                               ("week=2027-03-01", "只能预测到最近一个完整周之后 4 周以内"),
                               ("by=region", "by 应为 type（诉求类型）或 department（承办部门）"),
                               ("backtest=many", "backtest 应为整数"),
                               ("backtest=0", "回测周数应在 1 到 52 之间"),
                               ("weeks=3", "未知的查询参数：weeks")):
            status, body = await call(client, "GET", f"/api/forecast?{query}")
            assert status == 400 and message in body["error"]["message"], (query, body)
        status, _ = await call(client, "GET", "/api/forecast", None)
        assert status == 401
        status, empty = await call(client, "GET", "/api/forecast")
        assert status == 200 and empty["enough_history"] is False and "没有足够的历史工单" in empty["message"]
