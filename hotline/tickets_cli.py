"""`hotline tickets list` and `hotline tickets show NUMBER` for operators.

    hotline tickets list --status dispatched,in_progress --card yellow,red --department chengguan
    hotline tickets list --type complain --from 2026-11-01 --to 2026-11-30 --json
    hotline tickets show 202611220001 [--full]

Personal data is masked unless --full (bot/tickets/views.py); times are local.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from bot.tickets import departments, lifecycle, query, views, warnings
from bot.tickets.database import open_store
from bot.tickets.errors import TicketError
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketStore
from hotline.tickets_import_cli import add_import_command

CARD_MARKS = {warnings.GREEN: "绿", warnings.YELLOW: "黄", warnings.RED: "红", None: "—"}


def _store(args: argparse.Namespace) -> TicketStore:
    return open_store(args.database_url)


def ticket_dict(store: TicketStore, ticket, full: bool = False, history: bool = False) -> dict:
    return views.ticket_view(store, ticket, views.FULL if full else views.MASKED, history=history)


def _values(text: str) -> tuple:
    return tuple(v.strip() for v in (text or "").split(",") if v.strip())


def _departments(text: str) -> tuple:
    ids = []
    for value in _values(text):
        dept = departments.find(value)
        if dept is None:
            raise TicketError(f"部门目录中没有“{value}”（settings/departments.yml 中的 id 或名称）")
        ids.append(dept.id)
    return tuple(ids)


def _query(args: argparse.Namespace) -> query.TicketQuery:
    return query.TicketQuery(
        statuses=query.check_values(_values(args.status), lifecycle.STATUSES, "状态"),
        types=query.check_values(_values(args.type), tuple(REQUEST_TYPES), "诉求类型"),
        department_ids=_departments(args.department),
        cards=query.check_values(_values(args.card), warnings.COLOURS, "预警牌"),
        created_from=args.created_from, created_to=args.created_to, limit=args.limit)


def _line(store: TicketStore, ticket, local_now: dt.datetime) -> str:
    card = views.card(store, ticket, local_now)
    created = store.local_time(ticket.created_at)
    return (f"{ticket.number}  {CARD_MARKS[card]}  {REQUEST_TYPES.get(ticket.request_type, '?')}  "
            f"{lifecycle.STATUS_LABELS.get(ticket.status, ticket.status):<4} 期限 {ticket.deadline}  "
            f"{created:%m-%d %H:%M}  {(ticket.department or '待派单')[:14]:<14} {ticket.text[:24]}")


def _cmd_list(args: argparse.Namespace) -> int:
    try:
        wanted = _query(args)
    except TicketError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    store = _store(args)
    local_now = store.local_now()
    tickets, total = query.search(store, wanted, local_now)
    if args.json:
        print(json.dumps([views.ticket_view(store, t, local_now=local_now) for t in tickets],
                         ensure_ascii=False, indent=1))
        return 0
    if not tickets:
        print("没有符合条件的工单。")
        return 0
    print("编号          牌  类型  状态  期限              受理时间     承办部门       诉求")
    for ticket in tickets:
        print(_line(store, ticket, local_now))
    if total > len(tickets):
        print(f"……共 {total} 张，显示最近 {len(tickets)} 张（--limit 调整）")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    store = _store(args)
    ticket = store.get(args.number)
    if ticket is None:
        print(f"没有编号为 {args.number} 的工单。")
        return 1
    print(json.dumps(ticket_dict(store, ticket, full=args.full, history=True), ensure_ascii=False, indent=1))
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def add_ticket_commands(commands) -> None:
    tickets = commands.add_parser("tickets", help="查看工单").add_subparsers(dest="tickets_command", required=True)
    listing = tickets.add_parser("list", help="最近的工单（可筛选），带预警牌（绿/黄/红）")
    listing.add_argument("--status", help=f"状态，逗号分隔：{','.join(lifecycle.STATUSES)}")
    listing.add_argument("--type", help=f"诉求类型，逗号分隔：{','.join(REQUEST_TYPES)}")
    listing.add_argument("--department", help="承办部门 id 或名称，逗号分隔")
    listing.add_argument("--card", help="预警牌，逗号分隔：green,yellow,red")
    listing.add_argument("--from", dest="created_from", type=_date, help="受理日期不早于（YYYY-MM-DD）")
    listing.add_argument("--to", dest="created_to", type=_date, help="受理日期不晚于（YYYY-MM-DD）")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_cmd_list)
    show = tickets.add_parser("show", help="一张工单及其处理记录")
    show.add_argument("number")
    show.add_argument("--full", action="store_true", help="显示完整的联系人和电话（仅限有权查看的人员）")
    show.set_defaults(func=_cmd_show)
    for sub in (listing, show):
        sub.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    add_import_command(tickets)
