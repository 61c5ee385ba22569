"""`hotline forecast`: next week's expected tickets per request type or department (来件预测).

    hotline forecast [--week 2026-12-07] [--by type|department] [--json] [--backtest K] [--database-url URL]

--week is any day of the week wanted (default: next week; a past week shows the forecast it would
have had beside what came in). Every run prints how good the forecasts were on the last held-out
weeks beside the naive baseline; --backtest K prints the table per series over K weeks. The model
and its settings: bot/office/forecast.py, settings/forecast.yml.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from typing import Any, Dict, List, Optional

from bot.office.forecast import ForecastError, forecast
from bot.office.forecast_counts import DIMENSIONS
from bot.settings import SettingsError
from bot.tickets.database import open_store


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: Any, width: int, right: bool = False) -> str:
    text = "—" if text is None else str(text)
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _table(header: List[str], rows: List[List[Any]]) -> List[str]:
    widths = [max(_width("—" if r[i] is None else str(r[i])) for r in [header] + rows) + 2 for i in range(len(header))]
    line = lambda row: "".join(_pad(v, w, right=i > 0) for i, (v, w) in enumerate(zip(row, widths)))  # noqa: E731
    return [line(header).rstrip()] + [line(r).rstrip() for r in rows]


def _percent(value: Optional[float]) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _interval(series: Dict[str, Any]) -> Optional[str]:
    return None if series["low"] is None else f"{series['low']}–{series['high']}"


def _expected(series: Dict[str, Any]) -> Any:
    return None if series["expected"] is None else round(series["expected"])


def forecast_lines(result: Dict[str, Any]) -> List[str]:
    week = result["week"]
    lines = [f"来件预测：{week['from']}（周一）至 {week['to']}（周日），按{result['by_label']}"]
    if not result["enough_history"] and result["recent"] is None:
        return lines + [result["message"]]
    history = result["history"]
    lines.append(f"该周工作日 {week['working_days']} 天，休息日 {week['days_off']} 天（其中节假日 {week['holidays']} 天）；"
                 f"依据 {history['from']} 至 {history['to']} 共 {history['weeks']} 个完整周")
    lines.append(f"模型：{result['model_label']}；区间为 {round(result['interval'] * 100)}% 预测区间")
    for notice in (result["message"], result["warning"]):
        if notice:
            lines.append(notice)
    everything = result["series"] + [result["total"]]
    header = [result["by_label"], "预测", "预测区间", f"{result['last_week'][5:]}周实际"]
    rows = [[s["label"], _expected(s), _interval(s), s["last_week"]] for s in everything]
    if result["current_week"]:
        header.append(f"本周（{result['current_week'][5:]}）至今")
        rows = [r + [s["so_far"]] for r, s in zip(rows, everything)]
    if any(s["actual"] is not None for s in everything):
        header.append("实际")
        rows = [r + [s["actual"]] for r, s in zip(rows, everything)]
    if any(s["note"] for s in everything):
        header.append("说明")
        rows = [r + [s["note"] or ""] for r, s in zip(rows, everything)]
    return lines + [""] + _table(header, rows)


def summary_line(backtest: Dict[str, Any]) -> str:
    if not backtest or not backtest["model"]["weeks"]:
        return "回测：历史不足，还不能评估准确度"
    model, naive = backtest["model"], backtest["naive"]
    return (f"准确度（最近 {backtest['weeks']} 个留出周 {backtest['from']} 至 {backtest['to']}，每周只用当时已有的数据）："
            f"WAPE {_percent(model['wape'])}，朴素基线（同上周）{_percent(naive['wape'])}；"
            f"区间覆盖率 {_percent(model['coverage'])}")


def backtest_lines(result: Dict[str, Any]) -> List[str]:
    backtest = result["backtest"]
    header = [result["by_label"], "周数", "MAE", "WAPE", "MAPE", "朴素MAE", "朴素WAPE", "朴素MAPE"]
    row = lambda label, m, n: [label, m["weeks"], m["mae"], _percent(m["wape"]), _percent(m["mape"]),  # noqa: E731
                               n["mae"], _percent(n["wape"]), _percent(n["mape"])]
    rows = [row(s["label"], s["model"], s["naive"]) for s in backtest["series"]]
    rows.append(row("各序列合并", backtest["model"], backtest["naive"]))
    rows.append(row("合计（总量）", backtest["total"]["model"], backtest["total"]["naive"]))
    chosen = "、".join(f"{c['week'][5:]} {c['model']}" for c in backtest["chosen"])
    return (["", f"回测：最近 {backtest['weeks']} 个完整周（要求 {backtest['asked']} 周），滚动起点，"
                 f"提前 {result['horizon']} 周预测；MAPE 只计有来件的周"] + _table(header, rows)
            + [f"每周所用模型：{chosen}"])


def _week(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _cmd_forecast(args: argparse.Namespace) -> int:
    try:
        result = forecast(open_store(args.database_url), by=args.by, week=args.week, backtest_weeks=args.backtest)
    except (ForecastError, SettingsError) as exc:
        print(f"无法预测：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    lines = forecast_lines(result)
    if result["backtest"] is not None:
        lines += ["", summary_line(result["backtest"])]
        if args.backtest and result["backtest"]["model"]["weeks"]:
            lines += backtest_lines(result)
    print("\n".join(lines))
    return 0


def add_forecast_commands(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("forecast", help="来件预测：下周各诉求类型或承办部门的预计来件量，及其在留出周上的准确度")
    parser.add_argument("--week", type=_week, help="目标周中的任意一天（YYYY-MM-DD），默认下周")
    parser.add_argument("--by", choices=sorted(DIMENSIONS), default="type", help="按诉求类型（type）或承办部门（department）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--backtest", type=int, metavar="K", help="打印最近 K 个留出周的逐项准确度，与朴素基线对比")
    parser.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    parser.set_defaults(func=_cmd_forecast)
    return parser
