"""`hotline stats` as an operator runs it: tables, JSON, the Excel workbook, the monthly report, refusals."""
import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from hotline.cli import main
from tests.support.office_history import build_history
from tests.support.tickets import POLICY, Clock


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    """Two months of history (October and November 2026) in one SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'tickets.db'}"
    engine = make_engine(url)
    migrate(engine)
    clock = Clock(2026, 10, 1, 8, 0)
    store = TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock)
    build_history(store, clock, seed=5, tickets=40, start=dt.date(2026, 10, 1), days=31)
    build_history(store, clock, seed=6, tickets=60, start=dt.date(2026, 11, 1), days=30)
    engine.dispose()
    return url


def test_readable_tables_and_json(url, capsys):
    assert main(["stats", "--from", "2026-11-01", "--to", "2026-11-30", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "工单总数" in out and "按诉求类型" in out and "承办单位办理情况" in out and "按时办理率" in out
    assert main(["stats", "--from", "2026-11-01", "--to", "2026-11-30", "--json", "--database-url", url]) == 0
    figures = json.loads(capsys.readouterr().out)
    # November's 60 less the one at 00:05 on 1 December, plus October's at 00:05 on 1 November.
    assert figures["totals"]["tickets"] == 60
    assert sum(d["count"] for d in figures["volume"]["by_day"]) == 60
    assert "13800000" not in json.dumps(figures)          # no phone numbers in statistics


def test_one_department(url, capsys):
    assert main(["stats", "--from", "2026-11-01", "--to", "2026-11-30", "--department", "市公安局", "--json",
                 "--database-url", url]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["department"]["id"] == "gongan" and figures["seats"] is None
    assert [r["id"] for r in figures["departments"]] in ([], ["gongan"])


def test_excel_and_monthly_report(url, tmp_path, capsys):
    book, page = tmp_path / "统计.xlsx", tmp_path / "report.html"
    assert main(["stats", "--from", "2026-11-01", "--to", "2026-11-30", "--xlsx", str(book), "--report", str(page),
                 "--database-url", url]) == 0
    capsys.readouterr()
    sheets = load_workbook(book)
    assert {"概况", "每日受理量", "承办单位考核", "紧急转介"} <= set(sheets.sheetnames)
    summary = {row[0]: row[1] for row in sheets["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["工单总数"] == 60 and isinstance(summary["按时办理率"], float)
    days = list(sheets["每日受理量"].iter_rows(min_row=2, values_only=True))
    assert len(days) == 30 and sum(count for _, count in days) == 60
    text = page.read_text(encoding="utf-8")
    assert "2026年11月" in text and "上月" in text and "<svg" in text and "http" not in text.replace(
        "http://www.w3.org", "")


@pytest.mark.parametrize("argv, message", [
    (["--from", "2026-11-30", "--to", "2026-11-01"], "不能晚于"),
    (["--from", "2024-01-01", "--to", "2026-11-30"], "最长366天"),
    (["--from", "2026/11/01", "--to", "2026-11-30"], "YYYY-MM-DD"),
    (["--from", "2026-11-01", "--to", "2026-11-30", "--department", "火星局"], "部门目录中没有"),
    (["--from", "2026-11-03", "--to", "2026-11-30", "--report", "x.html"], "整月"),
])
def test_bad_input_is_refused_with_exit_code_2(url, capsys, argv, message):
    assert main(["stats", *argv, "--database-url", url]) == 2
    assert message in capsys.readouterr().err
