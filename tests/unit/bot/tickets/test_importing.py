"""Importing historical tickets (bot/tickets/importing.py) on SQLite and PostgreSQL: encodings,
Excel, columns, every rejection with its line, dry run, all-or-nothing, --skip-bad, idempotency,
and files that are not what they claim to be."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.tickets.import_reading import ImportFileError, open_source
from bot.tickets.importing import import_file
from bot.tickets.models import Ticket, TicketSequence
from tests.support.tickets import SHANGHAI

HEADER = "受理时间,诉求类型,标题,诉求内容,姓名,联系电话,发生地点,承办单位,状态,答复内容,原工单号"
NOISE = ("2026-05-01 09:30,投诉,烧烤噪音,楼下烧烤摊每天吵到半夜,张三,138 1234 5678,幸福里小区3号楼,"
         "市城市管理综合执法局,已办结,已责令摊主整改,OLD-001")
SOCIAL = "2026/5/2 10:00,咨询,,社保关系怎么转移到外地,李四,0419-2123456,,,受理,,OLD-002"
LAMP = "2026年5月2日 20时15分,求助,,人民路路灯一排都不亮,王五,+86 139 0000 1111,人民路,chengguan,办理中,,OLD-003"


def write_csv(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def count(store, model=Ticket):
    with store.sessions() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def tickets(store):
    with store.sessions() as session:
        found = session.execute(select(Ticket).options(selectinload(Ticket.events))).scalars()
        return {t.facts.get("imported", {}).get("原工单号"): t for t in found}


def test_a_utf8_file_becomes_tickets_with_their_original_date_deadline_and_columns(store, tmp_path):
    report = import_file(store, write_csv(tmp_path / "old.csv", [HEADER, NOISE, SOCIAL, LAMP]))
    assert (report.rows, report.imported, report.already, report.rejected) == (3, 3, 0, [])
    found = tickets(store)
    noise, social, lamp = found["OLD-001"], found["OLD-002"], found["OLD-003"]
    # Numbered by the original local date from the shared counter; the original time kept.
    assert noise.number == "202605010001" and {social.number, lamp.number} == {"202605020001", "202605020002"}
    assert store.local_time(noise.created_at) == dt.datetime(2026, 5, 1, 9, 30, tzinfo=SHANGHAI)
    assert store.local_time(lamp.created_at) == dt.datetime(2026, 5, 2, 20, 15, tzinfo=SHANGHAI)
    # Deadline by the policy from the type and the original date (complaint: 10 working days;
    # 1-5 May 2026 is the Labour Day holiday, 9 May a working Saturday).
    assert noise.deadline == store.policy.deadline("complain", dt.date(2026, 5, 1))
    assert social.deadline == store.policy.deadline("consult", dt.date(2026, 5, 2))
    # Title and body joined; the place in the facts; unknown columns kept; status and department.
    assert noise.text == "烧烤噪音：楼下烧烤摊每天吵到半夜"
    assert noise.facts["location"] == "幸福里小区3号楼"
    assert (noise.status, noise.department_id, noise.answer) == ("closed", "chengguan", "已责令摊主整改")
    assert noise.closed_at is None and noise.replied_at is None      # the file gave no such times
    assert (lamp.status, lamp.department, lamp.request_type) == ("in_progress", "市城市管理综合执法局", "seek_help")
    assert social.status == "accepted" and social.department_id is None
    # Phones normalised; the channel is "import" without a channel column.
    assert (noise.contact_phone, social.contact_phone, lamp.contact_phone) == (
        "13812345678", "0419-2123456", "13900001111")
    assert {t.channel for t in found.values()} == {"import"}
    assert [e.action for e in noise.events] == ["imported"] and noise.events[0].detail["line"] == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_bom_gb18030_and_utf16_files_read_the_same_and_count_as_the_same_records(store, tmp_path, encoding):
    first = import_file(store, write_csv(tmp_path / "utf8.csv", [HEADER, NOISE, SOCIAL]))
    assert first.imported == 2
    other = write_csv(tmp_path / "other.csv", [HEADER, NOISE, SOCIAL, LAMP], encoding)
    again = import_file(store, other)
    # The same two records re-exported in another encoding are recognised; only the new one is added.
    assert (again.imported, again.already, again.rejected) == (1, 2, [])
    assert tickets(store)["OLD-003"].text == "人民路路灯一排都不亮"


def test_excel_with_a_sheet_name_datetimes_and_numbers(store, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["这一页不是数据"])
    sheet = book.create_sheet("2026年")
    sheet.append(["时间", "类型", "内容", "电话", "渠道", "街道备注"])
    sheet.append([dt.datetime(2026, 6, 3, 14, 5), "建议", "建议在江湾小学门口加装减速带", 13812345678, "微信", "江湾"])
    sheet.append([])
    sheet.append([dt.date(2026, 6, 4), "举报", "金沙工业园有厂夜里偷排废水", None, "电话", None])
    path = tmp_path / "old.xlsx"
    book.save(path)

    report = import_file(store, path, sheet="2026年")
    assert (report.imported, report.rejected) == (2, [])
    with store.sessions() as session:
        rows = {t.request_type: t for t in session.execute(select(Ticket)).scalars()}
    assert rows["suggest"].contact_phone == "13812345678" and rows["suggest"].channel == "wechat"
    assert rows["suggest"].facts["imported"] == {"街道备注": "江湾"}
    assert rows["report"].anonymous and rows["report"].channel == "voice" and rows["report"].number == "202606040001"
    with pytest.raises(ImportFileError, match="没有工作表“2027年”"):
        import_file(store, path, sheet="2027年")


def test_every_rejected_row_is_reported_with_its_line_and_reason(store, tmp_path):
    lines = [HEADER, NOISE,
             "2026-05-03,投诉,,,赵六,13800000001,,,,,",                              # 3 empty text
             "去年春天,投诉,,噪音扰民,赵六,13800000001,,,,,",                          # 4 date
             "2026-05-03,表扬,,表扬一下环卫工人,赵六,13800000001,,,,,",                # 5 type
             "2026-05-03,投诉,,噪音扰民,赵六,13800000001,,市噪音管理局,已派单,,",       # 6 department
             "2026-05-03,投诉,,噪音扰民,赵六,13800000001,,chengguan,搁置,,",            # 7 status
             "2026-05-03,投诉,,噪音扰民,赵六,1380000,,,,,",                             # 8 phone
             "2026-05-03,投诉,,\"" + "吵" * 5001 + "\",赵六,13800000001,,,,,",          # 9 too long
             "2026-05-03,投诉,,噪音\x01\x02扰民,赵六,13800000001,,,,,",                  # 10 binary junk
             "2026-12-30,投诉,,噪音扰民,赵六,13800000001,,,,,",                         # 11 future
             "2026-05-03,投诉,,噪音扰民,赵六,13800000001,,,已办结,,",                   # 12 closed, no department
             "2026-05-03,投诉,,噪音扰民,=HYPERLINK(\"http://x\"),13800000001,,,,,"]     # 13 formula
    report = import_file(store, write_csv(tmp_path / "bad.csv", lines))
    reasons = dict(report.rejected)
    assert sorted(reasons) == list(range(3, 14))
    assert reasons[3] == "诉求内容为空"
    assert "时间“去年春天”无法识别" in reasons[4]
    assert reasons[5] == "诉求类型“表扬”无法识别"
    assert "承办单位“市噪音管理局”不在部门目录中" in reasons[6]
    assert reasons[7] == "状态“搁置”无法识别"
    assert "联系电话格式不对" in reasons[8] and "1380000" not in reasons[8]    # masked, never quoted
    assert "超过工单能记录的5000字" in reasons[9]
    assert "乱码或二进制内容" in reasons[10]
    assert "晚于现在" in reasons[11]
    assert "没有填写承办单位" in reasons[12]
    assert "疑似表格公式" in reasons[13]
    # All or nothing: one good row, but nothing written.
    assert (report.imported, report.written, count(store)) == (0, False, 0)


def test_dry_run_writes_nothing_and_skip_bad_imports_the_good_rows(store, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", [HEADER, NOISE, "2026-05-03,投诉,,,赵六,13800000001,,,,,", SOCIAL])
    dry = import_file(store, path, dry_run=True, skip_bad=True)
    assert (dry.accepted, dry.imported, dry.rejected, dry.written) == (2, 0, [(3, "诉求内容为空")], False)
    assert count(store) == 0 and count(store, TicketSequence) == 0

    good = import_file(store, path, skip_bad=True)
    assert (good.imported, good.rejected, good.written) == (2, [(3, "诉求内容为空")], True)
    # The bad row fixed, the file imported again: only that row is new.
    write_csv(path, [HEADER, NOISE, "2026-05-03,投诉,,小区门口垃圾三天没人清,赵六,13800000001,,,,,", SOCIAL])
    fixed = import_file(store, path)
    assert (fixed.imported, fixed.already, fixed.rejected) == (1, 2, [])
    assert import_file(store, path).imported == 0 and count(store) == 3


def test_identical_rows_in_one_file_are_two_records_and_a_live_ticket_continues_the_day(store, tmp_path):
    from tests.support.tickets import open_ticket
    path = write_csv(tmp_path / "twice.csv", [HEADER, SOCIAL, SOCIAL])
    assert import_file(store, path).imported == 2
    assert import_file(store, path).already == 2
    # A live ticket opened on an imported day takes the next number of the shared counter.
    store.clock.set(2026, 5, 2, 11, 0)
    assert open_ticket(store, key="live") == "202605020003"


def test_a_crash_in_the_middle_leaves_nothing_half_imported(store, tmp_path):
    rows = [f"2026-05-{1 + i % 28:02d} 10:00,咨询,,第{i}位市民咨询公积金提取,,,,,,," for i in range(1200)]
    path = write_csv(tmp_path / "big.csv", [HEADER] + rows)

    def progress(message):
        if message.startswith("已写入"):
            # The operator's Ctrl-C when every batch was flushed, just before the commit.
            assert message == "已写入 1200 张，正在提交……"
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(store, path, progress=progress)
    assert count(store) == 0 and count(store, TicketSequence) == 0
    report = import_file(store, path)
    assert report.imported == 1200 and count(store) == 1200


def test_injection_strings_are_stored_as_text(store, tmp_path):
    sql = "'); DROP TABLE tickets; -- 楼道灯坏了 <script>alert(1)</script>"
    path = write_csv(tmp_path / "inject.csv", ["诉求内容,姓名", f"\"{sql}\",Robert'); DROP TABLE tickets;--"])
    report = import_file(store, path)
    assert report.imported == 1
    ticket = next(iter(tickets(store).values()))
    assert ticket.text == sql and ticket.contact_name == "Robert'); DROP TABLE tickets;--" and ticket.anonymous


@pytest.mark.parametrize("name,content,message", [
    ("junk.csv", bytes(range(256)) * 40, "二进制数据"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Excel"),
    ("fake.xlsx", "诉求内容\n你好\n".encode(), "内容不是 Excel 文件"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "无法读取 Excel 文件"),
    ("latin.csv", "诉求内容\n".encode() + b"\xff\xfe\x80\x81\xfe\xff" * 3 + b"\n", "无法识别文件的编码"),
    ("empty.csv", b"", "文件是空的"),
    ("header.csv", "时间,姓名\n2026-05-01,张三\n".encode(), "没有诉求内容列"),
    ("twice.csv", "内容,诉求内容\n甲,乙\n".encode(), "是同一项"),
])
def test_files_that_cannot_be_imported_are_refused_cleanly(store, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_file(store, path)
    assert count(store) == 0


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = write_csv(tmp_path / "big.csv", [HEADER, NOISE])
    with pytest.raises(ImportFileError, match="超过导入上限"):
        open_source(path, max_bytes=10)


def test_a_phone_in_the_wrong_column_is_masked_in_the_reason(store, tmp_path):
    path = write_csv(tmp_path / "shifted.csv", [HEADER, "13812345678,投诉,,噪音扰民,赵六,,,,,,"])
    report = import_file(store, path, dry_run=True)
    assert report.rejected == [(2, "时间“138****5678”无法识别（应如 2026-05-01 09:30）")]
