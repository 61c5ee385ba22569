"""`hotline tickets import` as an operator runs it, on SQLite and PostgreSQL: the dry run, the
refusal of a file with bad rows, --skip-bad, re-importing, unreadable files, and no personal data
in what it prints."""
from __future__ import annotations

import openpyxl
from sqlalchemy import func, select

from bot.tickets.database import make_engine
from bot.tickets.models import Ticket
from hotline.cli import main

HEADER = "受理时间,诉求类型,诉求内容,姓名,联系电话,发生地点,承办单位,状态,渠道"
GOOD = "2026-04-01 09:30,投诉,幸福里小区北门夜市吵到凌晨,张三,13812345678,幸福里小区北门,chengguan,已办结,电话"
OTHER = "2026-04-02 10:00,咨询,公积金贷款额度怎么算,李四,13987654321,,,已受理,网站"
BAD = "2026-04-03 10:00,投诉,电话留错了,王五,139876543,,,,"


def tickets_in(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(Ticket)).scalar_one()
    finally:
        engine.dispose()


def csv_file(tmp_path, *rows):
    path = tmp_path / "old.csv"
    path.write_text("\n".join((HEADER,) + rows) + "\n", encoding="gb18030")
    return str(path)


def test_dry_run_then_refusal_then_skip_bad_then_nothing_twice(database_url, tmp_path, capsys):
    path = csv_file(tmp_path, GOOD, BAD, OTHER)
    assert main(["tickets", "import", path, "--dry-run", "--database-url", database_url]) == 1
    out = capsys.readouterr().out
    assert "第3行：联系电话格式不对" in out and "试导入（--dry-run），未写入任何记录" in out
    assert "可导入 2 行" in out and "拒绝 1 行" in out and "139876543" not in out
    assert tickets_in(database_url) == 0

    assert main(["tickets", "import", path, "--database-url", database_url]) == 1
    assert "未写入任何记录" in capsys.readouterr().out and tickets_in(database_url) == 0

    assert main(["tickets", "import", path, "--skip-bad", "--database-url", database_url]) == 0
    captured = capsys.readouterr()
    assert "导入完成：共 3 行，导入 2 行，已导入过 0 行，拒绝 1 行。" in captured.out
    assert "工单编号如：202604010001、202604020001" in captured.out
    assert "已写入 2 张" in captured.err            # progress goes to stderr
    assert "13812345678" not in captured.out + captured.err
    assert tickets_in(database_url) == 2

    assert main(["tickets", "import", path, "--skip-bad", "--database-url", database_url]) == 0
    assert "导入 0 行，已导入过 2 行" in capsys.readouterr().out and tickets_in(database_url) == 2

    assert main(["tickets", "show", "202604010001", "--database-url", database_url]) == 0
    shown = capsys.readouterr().out
    assert "幸福里小区北门夜市" in shown and "138****5678" in shown and "13812345678" not in shown


def test_excel_sheet_option_and_unreadable_files(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 't.db'}"
    book = openpyxl.Workbook()
    book.active.title = "工单"
    book.active.append(["标题", "正文", "时间"])
    book.active.append(["路灯不亮", "钢城路一排路灯晚上都不亮", "2026-03-05 19:00"])
    path = tmp_path / "old.xlsx"
    book.save(path)
    assert main(["tickets", "import", str(path), "--sheet", "工单", "--database-url", url]) == 0
    assert "导入 1 行" in capsys.readouterr().out

    assert main(["tickets", "import", str(path), "--sheet", "无此表", "--database-url", url]) == 2
    assert "没有工作表“无此表”" in capsys.readouterr().err
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02binary\xff" * 50)
    assert main(["tickets", "import", str(junk), "--database-url", url]) == 2
    assert "二进制数据" in capsys.readouterr().err
    assert main(["tickets", "import", str(tmp_path / "missing.csv"), "--database-url", url]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert tickets_in(url) == 1
