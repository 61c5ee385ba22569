"""`hotline tickets import FILE` — historical tickets from an older system's CSV or Excel export.

    hotline tickets import 旧系统导出.xlsx --dry-run          # check every row, write nothing
    hotline tickets import 旧系统导出.csv                      # all rows, or none if any is rejected
    hotline tickets import 旧系统导出.csv --skip-bad           # the good rows; the rest listed
    hotline tickets import 导出.xlsx --sheet 2025年 --database-url postgresql+psycopg://...

Columns and values: settings/import_columns.yml; how rows are checked and written:
bot/tickets/importing.py. Exit status 0 when the import did what was asked (or nothing was left to
import), 1 when rows were rejected, 2 when the file could not be read.
"""
from __future__ import annotations

import argparse
import sys

from bot.tickets.database import open_store
from bot.tickets.importing import ImportFileError, ImportReport, import_file
from bot.tickets.errors import TicketError

SHOW_REJECTED = 200


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _print_report(report: ImportReport, skip_bad: bool) -> None:
    for line, reason in report.rejected[:SHOW_REJECTED]:
        print(f"第{line}行：{reason}")
    if len(report.rejected) > SHOW_REJECTED:
        print(f"……另有 {len(report.rejected) - SHOW_REJECTED} 行被拒绝（先用 --dry-run 逐批修正）")
    if report.dry_run:
        verdict = "试导入（--dry-run），未写入任何记录"
    elif report.rejected and not skip_bad:
        verdict = "有被拒绝的行，未写入任何记录（修正后重新导入，或加 --skip-bad 只导入合格的行）"
    else:
        verdict = "导入完成"
    can = report.accepted - report.already if report.dry_run else report.imported
    print(f"{verdict}：共 {report.rows} 行，{'可导入' if report.dry_run else '导入'} {can} 行，"
          f"已导入过 {report.already} 行，拒绝 {len(report.rejected)} 行。")
    if report.numbers:
        print(f"工单编号如：{'、'.join(report.numbers[:3])}")


def _cmd_import(args: argparse.Namespace) -> int:
    try:
        store = open_store(args.database_url)
        report = import_file(store, args.file, dry_run=args.dry_run, skip_bad=args.skip_bad,
                             sheet=args.sheet, progress=_say)
    except ImportFileError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except TicketError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    _print_report(report, args.skip_bad)
    return 1 if report.rejected and not args.skip_bad else 0


def add_import_command(tickets) -> None:
    importing = tickets.add_parser("import", help="从旧系统导出的 CSV 或 Excel（.xlsx）导入历史工单")
    importing.add_argument("file", help="CSV（UTF-8 或 GB18030）或 .xlsx 文件，首行为表头")
    importing.add_argument("--dry-run", action="store_true", help="只检查每一行，不写入")
    importing.add_argument("--skip-bad", action="store_true", help="跳过被拒绝的行，导入其余的行")
    importing.add_argument("--sheet", help="Excel 工作表名称（默认第一个）")
    importing.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    importing.set_defaults(func=_cmd_import)
