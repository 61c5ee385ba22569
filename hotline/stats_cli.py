"""`hotline stats`: the office's statistics on the command line.

    hotline stats --from 2026-11-01 --to 2026-11-30                 readable tables
    hotline stats --from 2026-11-01 --to 2026-11-30 --json          the figures as JSON
    hotline stats --from ... --to ... --xlsx 统计.xlsx              an Excel workbook, one sheet per table
    hotline stats --from 2026-11-01 --to 2026-11-30 --report 11月.html   the printable monthly report
    hotline stats ... --department chengguan                          one department's figures

Bad input (a malformed date, --from after --to, a period over a year, an unknown department, a
report for something other than a whole month) is refused with exit code 2. Definitions of every
figure: bot/office/stats.py and bot/office/department_stats.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bot.office import report, stats
from bot.tickets import departments

# The department columns that fit a terminal; the workbook and the report have them all.
CLI_DEPARTMENT_COLUMNS = ("name", "tickets", "reply_rate", "close_rate", "on_time_rate", "overdue_open",
                          "extended", "returns", "return_rate", "redo_rate", "satisfied_rate")


def _width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def render_table(table: report.Table, columns: Optional[Sequence[str]] = None) -> List[str]:
    chosen = [c for c in table.columns if columns is None or c.key in columns]
    cells = [[report.format_value(row.get(c.key), row.get("kind", c.kind) if c.key == "value" else c.kind)
              for c in chosen] for row in table.rows]
    widths = [max([_width(c.label)] + [_width(r[i]) for r in cells]) for i, c in enumerate(chosen)]
    lines = [table.title]
    if not table.rows:
        return lines + ["  暂无数据", ""]
    lines.append("  " + "  ".join(_pad(c.label, w, c.kind != report.TEXT) for c, w in zip(chosen, widths)))
    for row in cells:
        lines.append("  " + "  ".join(_pad(v, w, c.kind != report.TEXT) for v, c, w in zip(row, chosen, widths)))
    return lines + [""]


def render_days(table: report.Table) -> List[str]:
    """A week a line (MM-DD count), so a month fits a screen; over 62 days the workbook has them."""
    if len(table.rows) > 62:
        return []
    cells = [f"{row['label'][5:]} {row['count']:>4}" for row in table.rows]
    return [table.title] + ["  " + "   ".join(cells[i:i + 7]) for i in range(0, len(cells), 7)] + [""]


def render_text(figures: Dict[str, Any]) -> str:
    lines = []
    for table in report.tables(figures):
        if table.sheet == "每日受理量":
            lines += render_days(table)
        elif table.sheet == "概况":
            lines += render_table(table, ("label", "value"))
        elif table.sheet == "承办单位考核":
            lines += render_table(table, CLI_DEPARTMENT_COLUMNS)
        else:
            lines += render_table(table)
    return "\n".join(lines)


def _department(reference: Optional[str]) -> Optional[str]:
    if not reference:
        return None
    found = departments.find(reference)
    if found is None:
        raise stats.StatsError(f"部门目录中没有“{reference}”（settings/departments.yml 中的 id 或名称）")
    return found.id


def _whole_month(start: dt.date, end: dt.date) -> str:
    if start.day != 1 or end != stats.month_end(start):
        raise stats.StatsError("月度报告须为整月：--from 为某月1日，--to 为该月最后一天（例如 2026-11-01 至 2026-11-30）")
    return f"{start:%Y-%m}"


def _cmd_stats(args: argparse.Namespace) -> int:
    try:
        start, end = stats.parse_date(args.start, "--from"), stats.parse_date(args.end, "--to")
        stats.check_period(start, end)
        department_id = _department(args.department)
        month = _whole_month(start, end) if args.report else None
    except stats.StatsError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    from bot.tickets.database import open_store
    store = open_store(args.database_url)
    figures = stats.office_stats(store, start, end, department_id)
    if args.xlsx:
        Path(args.xlsx).write_bytes(report.workbook_bytes(figures))
        print(f"已导出 Excel：{args.xlsx}", file=sys.stderr)
    if month:
        first = stats.previous_month(start)
        previous = stats.office_stats(store, first, stats.month_end(first), department_id)
        generated = store.local_now().strftime("%Y-%m-%d %H:%M")
        Path(args.report).write_text(report.monthly_report(figures, previous, month, generated), encoding="utf-8")
        print(f"已生成月度报告：{args.report}", file=sys.stderr)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    elif not (args.xlsx or args.report):
        print(render_text(figures))
    return 0


def add_stats_commands(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("stats", help="热线统计：受理量、转介、助手解答、转人工、承办单位考核指标")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="开始日期（含）")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="结束日期（含）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--xlsx", metavar="FILE", help="导出 Excel 工作簿")
    parser.add_argument("--report", metavar="FILE", help="生成可打印的月度报告（HTML，须为整月）")
    parser.add_argument("--department", metavar="ID", help="只统计一个承办单位（部门 id 或名称）")
    parser.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    parser.set_defaults(func=_cmd_stats)
    return parser
