"""`hotline hotspots`: requests about the same matter at the same place, ranked by heat (热点).

    hotline hotspots [--from 2026-11-01] [--to 2026-11-30] [--json] [--top N] [--alerts] [--database-url URL]

The period defaults to the last 30 days up to today. --alerts prints only new, fast-growing
hotspots and exits 1 when there are any (for cron: a non-zero exit mails the office). Progress of
the sentence encoding goes to stderr, so --json output stays clean. How hotspots are found and the
heat index: bot/office/hotspots.py, bot/office/hotspot_heat.py, settings/hotspots.yml.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import List, Optional, Sequence

from bot.office.hotspot_settings import hotspot_settings
from bot.office.hotspots import Hotspot, find_hotspots, hotspots_json
from bot.settings import SettingsError
from bot.tickets.database import open_store

DEFAULT_DAYS = 30
MAX_DAYS = 366


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，例如 2026-11-01：{value}") from None


def _top(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"--top 应为正整数：{value}")
    return int(value)


def period(start: Optional[dt.date], end: Optional[dt.date], today: dt.date) -> tuple:
    """The period asked for, or a Chinese reason why it cannot be analysed."""
    end = end or today
    start = start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValueError(f"开始日期 {start} 晚于结束日期 {end}")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(f"统计期最长 {MAX_DAYS} 天，请缩短 --from 和 --to 之间的时间")
    return start, end


class StderrProgress:
    """「正在计算句向量：128/2000」 on stderr, rewritten in place on a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        line = f"正在计算句向量：{done}/{total}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def run_summary(details: dict) -> str:
    """What the run looked at, for the operator tuning settings/hotspots.yml."""
    line = f"共 {details.get('tickets', 0)} 件工单，其中 {details.get('clustered', 0)} 件所在地点（或全市池）诉求够多，参与聚类"
    cuts = details.get("thresholds")
    if cuts is not None:
        line += (f"；相似度门槛 {cuts.local:.3f}，全市 {cuts.citywide:.3f}（本期典型相似度 {cuts.typical:.3f}）")
    return line


def hotspot_lines(hotspots: Sequence[Hotspot], start: dt.date, end: dt.date, alerts_only: bool,
                  recent_days: int = 7, total: Optional[int] = None) -> List[str]:
    what = "预警热点" if alerts_only else "热点"
    if not hotspots:
        return [f"{start} 至 {end}：没有{what}。"]
    total = total or len(hotspots)
    shown = f"，显示前 {len(hotspots)} 个" if total > len(hotspots) else ""
    lines = [f"{start} 至 {end} 的{what}（共 {total} 个{shown}，按热度排序）："]
    for rank, h in enumerate(hotspots, 1):
        lines.append(f"{rank:>2}. 热度 {h.heat:<5} {h.place}  {h.title}")
        lines.append(f"    {h.first:%m-%d} 至 {h.last:%m-%d} · {h.count} 件 · {h.citizens} 位市民 · "
                     f"近{recent_days}天来件速度为此前的 {h.growth:g} 倍")
        if h.alert:
            lines.append(f"    ⚠ 预警：{h.reason}")
        lines.append(f"    工单：{'、'.join(h.tickets)}")
    return lines


def cmd_hotspots(args: argparse.Namespace) -> int:
    try:
        settings = hotspot_settings()
        store = open_store(args.database_url)
        start, end = period(args.start, args.end, store.today())
        print(f"正在分析 {start} 至 {end} 的工单……", file=sys.stderr)
        details: dict = {}
        hotspots = find_hotspots(store, start, end, settings, progress=StderrProgress(), details=details)
        print(run_summary(details), file=sys.stderr)
    except (ValueError, SettingsError) as exc:
        print(f"无法分析热点：{exc}", file=sys.stderr)
        return 2
    if args.alerts:
        hotspots = [h for h in hotspots if h.alert]
    shown = hotspots[:args.top] if args.top else hotspots
    if args.json:
        print(json.dumps(hotspots_json(shown), ensure_ascii=False, indent=2))
    else:
        print("\n".join(hotspot_lines(shown, start, end, args.alerts, settings.heat.recent_days,
                                          len(hotspots))))
    return 1 if args.alerts and hotspots else 0


def add_hotspots_command(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("hotspots", help="热点：同一地点、同一事项的诉求聚类，按热度排序（--alerts 只看预警）")
    parser.add_argument("--from", dest="start", type=_date, help="开始日期 YYYY-MM-DD（默认：结束日期前 30 天）")
    parser.add_argument("--to", dest="end", type=_date, help="结束日期 YYYY-MM-DD（默认：今天）")
    parser.add_argument("--json", action="store_true", help="输出 JSON 列表")
    parser.add_argument("--top", type=_top, help="只显示前 N 个")
    parser.add_argument("--alerts", action="store_true", help="只显示预警（新出现且增长快的热点）；有预警时退出码为 1")
    parser.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    parser.set_defaults(func=cmd_hotspots)
    return parser
