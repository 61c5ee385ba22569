"""GET /api/hotspots on SQLite and PostgreSQL: the ranked hotspots, alerts, scope and bad input."""
import pytest

from tests.support.staff_api import api, call
from tests.unit.bot.office import test_hotspots_fixture as history

PERIOD = "from=2026-10-01&to=2026-11-22"


@pytest.fixture(autouse=True)
def cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOTSPOTS_CACHE", str(tmp_path_factory.getbasetemp() / "hotspot-cache"))


async def test_the_office_gets_the_ranked_hotspots_and_the_alerts(store, clock):
    numbers = history.load_history(store, clock)
    async with api(store) as client:
        status, body = await call(client, "GET", f"/api/hotspots?{PERIOD}", "office")
        assert status == 200 and body["from"] == "2026-10-01" and body["to"] == "2026-11-22"
        assert body["total"] == 6 and body["alerts"] == 1
        first = body["hotspots"][0]
        assert first["place"] == "幸福里小区" and set(first["tickets"]) == history.numbers_of(numbers, history.BARBECUE)
        heats = [h["heat"] for h in body["hotspots"]]
        assert heats == sorted(heats, reverse=True)
        status, body = await call(client, "GET", f"/api/hotspots?{PERIOD}&alerts=1", "readonly")
        assert status == 200 and [h["place"] for h in body["hotspots"]] == ["红旗家园"]
        assert body["hotspots"][0]["reason"].startswith("近48小时新增5件")
        status, body = await call(client, "GET", f"/api/hotspots?{PERIOD}&top=2", "seat")
        assert status == 200 and len(body["hotspots"]) == 2 and body["total"] == 6
        # Default period: the 30 days up to today (the store's clock: 2026-11-22).
        status, body = await call(client, "GET", "/api/hotspots", "office")
        assert status == 200 and body["from"] == "2026-10-24" and body["to"] == "2026-11-22"
        # A department handler: hotspots of its own department's tickets (none dispatched to it here).
        status, body = await call(client, "GET", f"/api/hotspots?{PERIOD}", "handler")
        assert status == 200 and body["hotspots"] == []


@pytest.mark.parametrize("query, message", [
    ("from=2026/10/01", "from 应为日期，格式 YYYY-MM-DD"),
    ("from=2026-11-30&to=2026-11-01", "from（2026-11-30）不能晚于 to（2026-11-01）"),
    ("from=2025-01-01&to=2026-11-01", "统计期最长 366 天"),
    ("top=0", "top 应为 1 到 200 之间的整数"),
    ("alerts=maybe", "alerts 应为 1 或 0"),
    ("colour=red", "未知的查询参数：colour"),
])
async def test_bad_input_is_refused_in_chinese(store, query, message):
    async with api(store) as client:
        status, body = await call(client, "GET", f"/api/hotspots?{query}", "office")
        assert status == 400 and message in body["error"]["message"]
        status, _ = await call(client, "GET", "/api/hotspots", None)
        assert status == 401
