"""The office's statistics as tables (one definition for every output), an Excel workbook and a
printable monthly report (seed 000 §26 月通报, seed 002 五(三) 月汇总, seed 004 (二)8 月通报).

    tables(stats)                         the figures of office_stats() as titled tables
    workbook_bytes(stats)                 .xlsx: one sheet per table, Chinese headers, numbers as numbers
    monthly_report(current, previous)     one HTML page: key figures against the previous month,
                                          the daily volume as a chart, the tables; print CSS, nothing external

The HTML carries its one stylesheet inline (a saved or e-mailed report must stand alone); whoever
serves it can allow exactly that stylesheet with `style_hash()` in a Content-Security-Policy.
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

TEXT, INT, RATE, SECONDS = "text", "int", "rate", "seconds"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = INT


@dataclass(frozen=True)
class Table:
    sheet: str                     # the Excel sheet name (at most 31 characters)
    title: str
    columns: Tuple[Column, ...]
    rows: List[Dict[str, Any]]


COUNTED = (Column("label", "项目", TEXT), Column("count", "件数"))
DEPARTMENT_COLUMNS = (
    Column("name", "承办单位", TEXT), Column("tickets", "工单数"), Column("replied", "已答复"),
    Column("reply_rate", "答复率", RATE), Column("closed", "已办结"), Column("close_rate", "办结率", RATE),
    Column("judged", "参评件数"), Column("on_time", "按时办理"), Column("late", "超时办理"),
    Column("on_time_rate", "按时办理率", RATE), Column("overdue_open", "逾期未办结"),
    Column("extension_requests", "延期申请"), Column("extended", "延期件数"), Column("extension_days", "延期工作日"),
    Column("return_requests", "退单申请"), Column("returns", "同意退单"), Column("returns_refused", "不同意退单"),
    Column("return_rate", "退单率", RATE), Column("redone", "重办件数"), Column("redo_rate", "重办率", RATE),
    Column("rated", "评价件数"), Column("satisfied", "满意"), Column("basically_satisfied", "基本满意"),
    Column("unsatisfied", "不满意"), Column("satisfied_rate", "满意率", RATE),
)
SUMMARY_COLUMNS = (Column("label", "指标", TEXT), Column("value", "数值"), Column("note", "说明", TEXT))


def _summary_rows(stats: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The headline figures; `kind` says how each value is written."""
    totals, rows = stats["totals"], []

    def add(label: str, value: Any, kind: str = INT, note: str = "") -> None:
        rows.append({"label": label, "value": value, "kind": kind, "note": note})
    add("工单总数", totals["tickets"], note="统计区间内受理（新建）的工单")
    add("按时办理率", totals["on_time_rate"], RATE, "已答复或已超期的工单中按期限（含批准的延期）答复的比例")
    add("满意率", totals["satisfied_rate"], RATE, "（满意＋基本满意）÷ 已评价工单，以最终评价为准")
    add("逾期未办结", totals["overdue_open"], note="期限已过、仍未答复的工单（现在，含待派单）")
    if stats.get("assistant"):
        a = stats["assistant"]
        add("知识库直接解答", a["kb_answers"], note="助手用知识库回答、未转工单和人工")
        add("助手独立解答占比", a["answered_alone_share"], RATE,
            "知识库解答 ÷（知识库解答＋工单＋未转工单的人工接待）")
        add("助手未能解答", a["unanswered"])
    if stats.get("referrals"):
        add("紧急转介（110/119/120/122）", stats["referrals"]["emergency"]["total"])
        add("不予受理并告知渠道", stats["referrals"]["not_accepted"]["total"])
    if stats.get("seats"):
        s = stats["seats"]
        add("转人工", s["handoffs"])
        add("人工接起", s["taken"])
        add("平均等候", s["wait_seconds"]["mean"], SECONDS)
        add("90%的市民等候不超过", s["wait_seconds"]["p90"], SECONDS)
    return rows


def _scope(stats: Dict[str, Any]) -> str:
    return stats["department"]["name"] if stats.get("department") else "全部承办单位"


def tables(stats: Dict[str, Any]) -> List[Table]:
    volume = stats["volume"]
    day_rows = [{"label": d["date"], "count": d["count"]} for d in volume["by_day"]]
    result = [
        Table("概况", f"概况（{stats['from']} 至 {stats['to']}，{_scope(stats)}）", SUMMARY_COLUMNS,
              _summary_rows(stats)),
        Table("每日受理量", "每日受理量", (Column("label", "日期", TEXT), Column("count", "工单数")), day_rows),
        Table("受理渠道", "按受理渠道", COUNTED, volume["by_channel"]),
        Table("诉求类型", "按诉求类型", COUNTED, volume["by_type"]),
        Table("承办单位受理量", "按承办单位（牵头）", COUNTED, volume["by_department"]),
        Table("属地", "按属地（区县）", COUNTED, volume["by_territory"]),
        Table("承办单位考核", "承办单位办理情况", DEPARTMENT_COLUMNS, stats["departments"]),
    ]
    if stats.get("referrals"):
        result += [Table("紧急转介", "紧急转介（按号码）", COUNTED, stats["referrals"]["emergency"]["by_number"]),
                   Table("不予受理", "不予受理（按原因）", COUNTED, stats["referrals"]["not_accepted"]["by_reason"])]
    if stats.get("assistant"):
        result.append(Table("助手未能解答", "助手未能解答（按去向）", COUNTED, stats["assistant"]["unanswered_by"]))
    if stats.get("seats"):
        result += [Table("转人工原因", "转人工（按原因）", COUNTED, stats["seats"]["by_reason"]),
                   Table("转人工结果", "转人工（按结果）", COUNTED, stats["seats"]["by_status"])]
    return result


# ------------------------------------------------------------------------------------ Excel

_FORMATS = {INT: "0", RATE: "0.0%", SECONDS: "0.0"}


def workbook_bytes(stats: Dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in tables(stats):
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append([c.label for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([row.get(c.key) for c in table.columns])
            for cell, column in zip(sheet[sheet.max_row], table.columns):
                kind = row.get("kind", column.kind) if column.key == "value" else column.kind
                if kind in _FORMATS and cell.value is not None:
                    cell.number_format = _FORMATS[kind]
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 26 if column.kind == TEXT else 12
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ HTML

def format_value(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == RATE:
        return f"{value * 100:.1f}%"
    if kind == SECONDS:
        return f"{value:.0f}秒"
    if kind == INT:
        return f"{value:,}"
    return str(value)


def _change(now: Any, before: Any, kind: str) -> str:
    """'▲ 12' / '▼ 3.5个百分点' / '持平' / '—' (no figure last month)."""
    if now is None or before is None:
        return "—"
    delta = now - before
    if abs(delta) < 1e-9:
        return "持平"
    arrow = "▲" if delta > 0 else "▼"
    if kind == RATE:
        return f"{arrow} {abs(delta) * 100:.1f}个百分点"
    if kind == SECONDS:
        return f"{arrow} {abs(delta):.0f}秒"
    return f"{arrow} {abs(delta):,}"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1a1a1a;
margin:24px auto;max-width:1100px;padding:0 16px;font-size:14px;line-height:1.5}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:2px solid #0b4a8f;padding-bottom:4px}
.meta{color:#555;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
.card{border:1px solid #c9d3e0;border-radius:6px;padding:10px 12px}
.card .label{color:#444;font-size:13px}.card .value{font-size:22px;font-weight:700}
.card .before{color:#555;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #c9d3e0;padding:4px 6px;text-align:left}th{background:#eef3f9}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.wide{font-size:11px}.wide th,.wide td{padding:3px 4px}.wide td:first-child{white-space:nowrap}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.note{color:#555;font-size:12px}
svg text{font-size:10px;fill:#333}
section{break-inside:avoid}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:12px}.cards{grid-template-columns:repeat(4,1fr)}
h2{break-after:avoid}}
"""


def style_hash() -> str:
    """The CSP source allowing exactly the report's stylesheet: "'sha256-…'"."""
    digest = hashlib.sha256(STYLE.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _day_chart(by_day: Sequence[Dict[str, Any]]) -> str:
    """Vertical bars of the daily volume, as SVG presentation attributes (no styles, no script)."""
    width, height, left, bottom, top = 1000, 200, 36, 22, 14
    peak = max([d["count"] for d in by_day] + [1])
    step = (width - left) / max(len(by_day), 1)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="每日受理量">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#888"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>']
    for index, day in enumerate(by_day):
        bar = (height - bottom - top) * day["count"] / peak
        x = left + index * step + step * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - bar:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{bar:.1f}" fill="#0b4a8f"><title>{_e(day["date"])}：{day["count"]}件</title></rect>')
        if len(by_day) <= 31:
            parts.append(f'<text x="{x + step * 0.35:.1f}" y="{height - 6}" text-anchor="middle">'
                         f'{int(day["date"][-2:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html_table(table: Table, css: str = "") -> str:
    head = "".join(f'<th class="{"" if c.kind == TEXT else "num"}">{_e(c.label)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        cells = "".join(f'<td class="{"" if c.kind == TEXT else "num"}">{_e(format_value(row.get(c.key), c.kind))}</td>'
                        for c in table.columns)
        body.append(f"<tr>{cells}</tr>")
    if not table.rows:
        body.append(f'<tr><td colspan="{len(table.columns)}">暂无数据</td></tr>')
    return (f'<section><h2>{_e(table.title)}</h2><table class="{css}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></section>')


def _compared(title: str, now: List[Dict[str, Any]], before: List[Dict[str, Any]]) -> Table:
    """A counted table of this month with last month's count and the change, by key."""
    previous = {r["key"]: r["count"] for r in before}
    rows = [{"label": r["label"], "count": r["count"], "before": previous.get(r["key"], 0),
             "change": _change(r["count"], previous.get(r["key"], 0), INT)} for r in now]
    columns = (Column("label", "项目", TEXT), Column("count", "本月"), Column("before", "上月"),
               Column("change", "增减", TEXT))
    return Table(title, title, columns, rows)


def _cards(current: Dict[str, Any], previous: Dict[str, Any]) -> str:
    before = {r["label"]: r for r in _summary_rows(previous)}
    cards = []
    for row in _summary_rows(current)[:12]:
        old, kind = before.get(row["label"], {}).get("value"), row["kind"]
        cards.append(f'<div class="card"><div class="label">{_e(row["label"])}</div>'
                     f'<div class="value">{_e(format_value(row["value"], kind))}</div>'
                     f'<div class="before">上月 {_e(format_value(old, kind))}，{_e(_change(row["value"], old, kind))}'
                     f'</div></div>')
    return f'<section><h2>主要指标</h2><div class="cards">{"".join(cards)}</div></section>'


def monthly_report(current: Dict[str, Any], previous: Dict[str, Any], month: str,
                   generated: Optional[str] = None) -> str:
    """The printable report of one month (current) compared with the month before (previous)."""
    year, number = month.split("-")
    volume, old = current["volume"], previous["volume"]
    compared = [_html_table(_compared(title, volume[key], old[key])) for title, key in (
        ("按诉求类型", "by_type"), ("按受理渠道", "by_channel"), ("按属地（区县）", "by_territory"),
        ("按承办单位（牵头）", "by_department"))]
    rest = [t for t in tables(current) if t.sheet in ("紧急转介", "不予受理", "转人工原因", "助手未能解答")]
    departments = Table("承办单位考核", "承办单位办理情况（本月受理的工单）", DEPARTMENT_COLUMNS, current["departments"])
    return "".join([
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>12345热线月度报告 {int(year)}年{int(number)}月</title><style>{STYLE}</style></head><body>",
        f"<h1>12345 政务服务便民热线月度报告：{int(year)}年{int(number)}月</h1>",
        f'<p class="meta">范围：{_e(_scope(current))}；统计区间 {current["from"]} 至 {current["to"]}'
        f'（{_e(current["timezone"])} 时间），与上月（{previous["from"]} 至 {previous["to"]}）比较'
        f'{"；生成于 " + _e(generated) if generated else ""}。报告不含任何个人信息。</p>',
        _cards(current, previous),
        f'<section><h2>每日受理量（本月共 {current["totals"]["tickets"]:,} 件，上月 '
        f'{previous["totals"]["tickets"]:,} 件）</h2>{_day_chart(volume["by_day"])}</section>',
        '<div class="two">', *compared, "</div>",
        _html_table(departments, "wide"),
        '<div class="two">', *[_html_table(t) for t in rest], "</div>",
        '<section><h2>口径说明</h2><p class="note">按时办理：每次答复是否在当时的期限内（批准的延期顺延期限，重办按重办时限），'
        "以及期限已过仍未答复的工单，均计入参评件数；未到期限、尚未答复的不参评。退单率＝同意退单 ÷ 收到的工单；"
        "重办率＝重办工单 ÷ 办结过的工单；满意率＝（满意＋基本满意）÷ 已评价工单，重办工单以第二次评价为准。"
        "助手独立解答占比＝知识库解答 ÷（知识库解答＋新建工单＋未转工单的人工接待）。</p></section>",
        "</body></html>",
    ])
