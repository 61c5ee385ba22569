"""`hotline hotspots` on a written history in SQLite: readable Chinese, JSON, --top, --alerts for cron."""
import json

import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from hotline.cli import main
from tests.support.tickets import POLICY, Clock
from tests.unit.bot.office import test_hotspots_fixture as history

PERIOD = ["--from", "2026-10-01", "--to", "2026-11-22"]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('hotspots') / 'tickets.db'}"
    engine = make_engine(url)
    migrate(engine)
    clock = Clock(2026, 10, 1, 9, 0)
    numbers = history.load_history(TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock), clock)
    engine.dispose()
    return url, numbers


@pytest.fixture(autouse=True)
def cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOTSPOTS_CACHE", str(tmp_path_factory.getbasetemp() / "hotspot-cache"))


def run(capsys, *args):
    code = main(["hotspots", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_ranked_list_in_chinese_with_progress_on_stderr(database, capsys):
    url, numbers = database
    code, out, err = run(capsys, "--database-url", url, *PERIOD)
    assert code == 0
    assert out.startswith("2026-10-01 至 2026-11-22 的热点（共 6 个，按热度排序）：")
    first = out.splitlines()[1]
    assert first.startswith(" 1. 热度") and "幸福里小区" in first and "烧烤" in first
    assert "8 件 · 7 位市民" in out and "⚠ 预警：近48小时新增5件" in out
    assert numbers[history.BARBECUE[0][4]] in out
    assert "正在分析 2026-10-01 至 2026-11-22 的工单" in err and "共 73 件工单" in err and "相似度门槛" in err
    assert "13900000001" not in out          # phones never printed


def test_json_top_and_alerts_for_cron(database, capsys):
    url, numbers = database
    code, out, _ = run(capsys, "--database-url", url, *PERIOD, "--json", "--top", "2")
    data = json.loads(out)
    assert code == 0 and len(data) == 2 and data[0]["place"] == "幸福里小区" and data[0]["heat"] >= data[1]["heat"]
    assert set(data[0]) >= {"title", "place", "from", "to", "count", "citizens", "heat", "tickets"}
    code, out, _ = run(capsys, "--database-url", url, *PERIOD, "--alerts", "--json")
    alerts = json.loads(out)
    assert code == 1 and [a["place"] for a in alerts] == ["红旗家园"] and alerts[0]["alert"] is True
    assert set(alerts[0]["tickets"]) == history.numbers_of(numbers, history.WATER)
    code, out, _ = run(capsys, "--database-url", url, "--from", "2026-10-01", "--to", "2026-10-31", "--alerts")
    assert code == 0 and "没有预警热点" in out


def test_bad_input_is_refused_in_chinese(database, capsys):
    url, _ = database
    code, _, err = run(capsys, "--database-url", url, "--from", "2026-11-30", "--to", "2026-11-01")
    assert code == 2 and "开始日期 2026-11-30 晚于结束日期 2026-11-01" in err
    code, _, err = run(capsys, "--database-url", url, "--from", "2025-01-01", "--to", "2026-11-01")
    assert code == 2 and "统计期最长 366 天" in err
    for args, message in ((["--from", "2026/11/01"], "YYYY-MM-DD"), (["--top", "0"], "--top 应为正整数")):
        with pytest.raises(SystemExit):
            main(["hotspots", "--database-url", url, *args])
        assert message in capsys.readouterr().err
