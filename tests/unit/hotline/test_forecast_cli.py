"""`hotline forecast` as an operator runs it, on a generated history ending yesterday (the command
uses the real clock): the table in Chinese, the accuracy line, --backtest, --json, and refusals."""
import datetime as dt
import json

import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from hotline.cli import main
from tests.support.forecast_history import generate


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = make_engine(url)
    migrate(engine)
    store = TicketStore(engine, timezone="Asia/Shanghai")
    today = store.today()
    generate(store, today - dt.timedelta(weeks=20), today - dt.timedelta(days=1))
    engine.dispose()
    return url


def test_the_forecast_table_and_its_accuracy_beside_the_naive_baseline(url, capsys):
    assert main(["forecast", "--database-url", url, "--backtest", "6"]) == 0
    out = capsys.readouterr().out
    assert "来件预测：" in out and "按诉求类型" in out and "预测区间" in out and "周实际" in out
    for label in ("投诉", "咨询", "求助", "举报", "建议", "合计"):
        assert label in out
    assert "准确度（最近 6 个留出周" in out and "朴素基线（同上周）" in out and "区间覆盖率" in out
    assert "回测：最近 6 个完整周" in out and "朴素WAPE" in out and "各序列合并" in out and "每周所用模型" in out

    assert main(["forecast", "--database-url", url, "--by", "department", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["by"] == "department" and result["series"][0]["label"] == "市城市管理综合执法局"
    assert result["total"]["expected"] > 0 and result["backtest"]["weeks"] == 8


def test_a_past_week_shows_its_actual(url, capsys):
    past = dt.date.today() - dt.timedelta(weeks=3)
    assert main(["forecast", "--database-url", url, "--week", past.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "实际" in out.splitlines()[4] and "至今" not in out


def test_refusals(url, capsys):
    too_far = (dt.date.today() + dt.timedelta(weeks=9)).isoformat()
    assert main(["forecast", "--database-url", url, "--week", too_far]) == 2
    assert "无法预测：只能预测到最近一个完整周之后 4 周以内" in capsys.readouterr().err
    assert main(["forecast", "--database-url", url, "--backtest", "0"]) == 2
    assert "回测周数应在 1 到 52 之间" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["forecast", "--database-url", url, "--week", "下周"])
    assert "日期格式应为 YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["forecast", "--database-url", url, "--by", "region"])


def test_an_empty_database_says_there_is_no_history(tmp_path, capsys):
    assert main(["forecast", "--database-url", f"sqlite:///{tmp_path / 'empty.db'}"]) == 0
    assert "没有足够的历史工单" in capsys.readouterr().out
