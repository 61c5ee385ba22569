"""`hotline kb stale | unanswered | proposals`: the office's upkeep lists in a terminal.

Registered by bot/knowledge/cli.py. Read-only: proposing and publishing are done in the portal (or
the API), where who did it is known from the staff token.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, Callable, Dict, List

from .service import Editor, Editorial

OFFICE = Editor("热线办:命令行", None, reviewer=True)


def add_upkeep_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                        wrap: Callable) -> None:
    p = sub.add_parser("stale", parents=[common], help="待复核条目：超过复核日期或有效期 (stale entries)")
    p.add_argument("--department", help="只看这个部门 id 的条目 (owner's department id)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=wrap(cmd_stale))

    p = sub.add_parser("unanswered", parents=[common], help="助手没答上的问题，按意思分组 (grouped unanswered questions)")
    p.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="YYYY-MM-DD（默认 to 之前 29 天）")
    p.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="YYYY-MM-DD（默认今天）")
    p.add_argument("--top", type=int, default=20, help="显示前几组 (groups shown)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=wrap(cmd_unanswered))

    p = sub.add_parser("proposals", parents=[common], help="知识库提议及审核结果 (proposals)")
    p.add_argument("--status", choices=("pending", "approved", "refused"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=wrap(cmd_proposals))


def _desk(args: argparse.Namespace) -> Editorial:
    from bot.knowledge.cli import _settings
    from bot.tickets.database import open_store
    store = open_store()
    return Editorial(store.engine, _settings(args), clock=store.clock, timezone=store.zone)


def _print_json(data: Any) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


def cmd_stale(args: argparse.Namespace) -> int:
    entries = _desk(args).stale(OFFICE)
    if args.department:
        entries = [e for e in entries if e["owner"] == args.department]
    if args.json:
        return _print_json(entries)
    if not entries:
        print("没有待复核的条目 (no stale entries)")
    for e in entries:
        print(f"{e['review_due']}  {e['id']}  [{e['owner_name']}]  {e['question']}")
        print(f"            {'；'.join(e['stale_reasons'])}  （{e['file']}）")
    return 0


def unanswered_report(desk: Editorial, start: dt.date, end: dt.date, top: int) -> Dict[str, Any]:
    from bot.knowledge.encoders import make_encoder
    from bot.knowledge.service import KnowledgeBase
    from bot.office.service_log import UNANSWERED, ServiceLog

    from . import unanswered
    zone = desk.zone or dt.timezone.utc
    records = ServiceLog(desk.sessions.kw["bind"]).between(
        dt.datetime.combine(start, dt.time(), zone), dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone),
        kinds=[UNANSWERED])
    questions = unanswered.questions_from_records(records, desk.upkeep.max_questions)
    groups: List[Dict[str, Any]] = []
    if questions:
        kb = KnowledgeBase.open(desk.settings)
        groups = unanswered.report(questions, make_encoder("e5", threads=desk.settings.threads),
                                   desk.upkeep.group_threshold, unanswered.nearest_in(kb),
                                   desk.settings.offer_threshold, limit=top, zone=desk.zone)
    return {"from": start.isoformat(), "to": end.isoformat(), "questions": len(questions), "groups": groups}


def cmd_unanswered(args: argparse.Namespace) -> int:
    desk = _desk(args)
    end = args.end or desk.today()
    start = args.start or end - dt.timedelta(days=29)
    if start > end:
        print("错误 (error): --from 不能晚于 --to", file=sys.stderr)
        return 2
    report = unanswered_report(desk, start, end, max(1, args.top))
    if args.json:
        return _print_json(report)
    print(f"{start} 至 {end}：助手没答上的问题 {report['questions']} 个，分为 {len(report['groups'])} 组（前 {args.top} 组）")
    for rank, g in enumerate(report["groups"], 1):
        near = g["nearest"]
        where = f"最近条目 {near['id']}（{near['score']:.3f}）{near['question']}" if near else "没有相近条目"
        print(f"{rank:3d}. {g['count']} 次 / {g['citizens']} 人  {g['title']}")
        print(f"     {g['verdict_label']}；{where}")
    return 0


def cmd_proposals(args: argparse.Namespace) -> int:
    proposals = _desk(args).proposals(OFFICE, args.status)
    if args.json:
        return _print_json(proposals)
    if not proposals:
        print("没有提议 (no proposals)")
    for p in proposals:
        fields = "、".join(d["field"] for d in p["diff"]) or "无变化"
        print(f"#{p['id']} {p['status_label']}  {p['entry_id']}  [{p['owner_name']}]  {p['proposed_by']}  {p['proposed_at']}")
        print(f"     {'新条目' if p['kind'] == 'new' else '修改'}：{fields}" + (f"；退回理由：{p['reason']}" if p["reason"] else ""))
    return 0
