"""`hotline tickets list` and `hotline tickets show NUMBER` for operators."""
from __future__ import annotations

import argparse
import json

from bot.privacy import mask_name, mask_phone
from bot.tickets.database import make_engine, migrate
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketStore


def _store(args: argparse.Namespace) -> TicketStore:
    engine = make_engine(args.database_url)
    migrate(engine)
    return TicketStore(engine)


def _contact(ticket, full: bool) -> dict:
    if ticket.anonymous:
        return {"name": "匿名", "phone": None}
    if full:
        return {"name": ticket.contact_name, "phone": ticket.contact_phone}
    return {"name": mask_name(ticket.contact_name or ""), "phone": mask_phone(ticket.contact_phone or "")}


def ticket_dict(store: TicketStore, ticket, full: bool = False, history: bool = False) -> dict:
    data = {
        "number": ticket.number,
        "type": ticket.request_type,
        "type_label": REQUEST_TYPES.get(ticket.request_type, ticket.request_type),
        "status": ticket.status,
        "text": ticket.text,
        "facts": ticket.facts,
        "channel": ticket.channel,
        "contact": _contact(ticket, full),
        "consent_to_share": ticket.consent_to_share,
        "department": ticket.department,
        "created_at": store.local_time(ticket.created_at).isoformat(timespec="seconds"),
        "deadline": ticket.deadline.isoformat(),
    }
    if history:
        data["history"] = [{"at": store.local_time(e.at).isoformat(timespec="seconds"), "actor": e.actor,
                            "action": e.action, "detail": e.detail} for e in ticket.events]
    return data


def _cmd_list(args: argparse.Namespace) -> int:
    store = _store(args)
    tickets = store.list(limit=args.limit)
    if args.json:
        print(json.dumps([ticket_dict(store, t) for t in tickets], ensure_ascii=False, indent=1))
        return 0
    if not tickets:
        print("还没有工单。")
        return 0
    for t in tickets:
        created = store.local_time(t.created_at)
        print(f"{t.number}  {REQUEST_TYPES.get(t.request_type, '?')}  {t.status:<9} 期限 {t.deadline}  "
              f"{created:%m-%d %H:%M}  {t.text[:30]}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    store = _store(args)
    ticket = store.get(args.number)
    if ticket is None:
        print(f"没有编号为 {args.number} 的工单。")
        return 1
    print(json.dumps(ticket_dict(store, ticket, full=args.full, history=True), ensure_ascii=False, indent=1))
    return 0


def add_ticket_commands(commands) -> None:
    tickets = commands.add_parser("tickets", help="查看工单").add_subparsers(dest="tickets_command", required=True)
    listing = tickets.add_parser("list", help="最近的工单")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_cmd_list)
    show = tickets.add_parser("show", help="一张工单及其处理记录")
    show.add_argument("number")
    show.add_argument("--full", action="store_true", help="显示完整的联系人和电话（仅限有权查看的人员）")
    show.set_defaults(func=_cmd_show)
    for sub in (listing, show):
        sub.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
