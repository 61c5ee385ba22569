"""`hotline places check` and `hotline places unknown` for the hotline office.

    hotline places check                       validate the territory (departments.yml, divisions.csv,
                                               places.csv) and count its names
    hotline places unknown [--from D] [--to D] [--json]
                                               place names citizens gave that the list does not know,
                                               most frequent first, with example ticket numbers

The office adds the names that matter to settings/places.csv (or divisions.csv); the next tickets
then get their 属地. A ticket opened since the router reports unknown places carries
routing["unknown_place"]; an older one is read again from its text and the place it gave.
Here, not in bot/routing, because it reads the ticket store: the router stays free of it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from typing import Dict, Iterable, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.routing import CatalogueError, load_catalogue
from bot.routing.places import territory_summary
from bot.routing.territory import PlaceMatcher
from bot.tickets import query
from bot.tickets.database import open_store
from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore

EXAMPLES = 3
EXIT_BAD_CATALOGUE = 2


def add_places_commands(subparsers: argparse._SubParsersAction) -> None:
    places = subparsers.add_parser("places", help="属地地名表：校验、列出未收录的地名").add_subparsers(
        dest="places_command", required=True)
    check = places.add_parser("check", help="校验属地（departments.yml、divisions.csv、places.csv）并统计")
    check.set_defaults(func=cmd_check)
    unknown = places.add_parser("unknown", help="工单里出现、地名表未收录的地名，按次数排列")
    unknown.add_argument("--from", dest="created_from", type=_date, help="受理日期不早于（YYYY-MM-DD）")
    unknown.add_argument("--to", dest="created_to", type=_date, help="受理日期不晚于（YYYY-MM-DD）")
    unknown.add_argument("--json", action="store_true", help="输出 JSON 列表")
    unknown.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    unknown.set_defaults(func=cmd_unknown)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from exc


def _catalogue():
    """The catalogue, or None after saying on stderr what is wrong with it."""
    try:
        return load_catalogue()
    except CatalogueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    catalogue = _catalogue()
    if catalogue is None:
        return EXIT_BAD_CATALOGUE
    print(f"属地校验通过：{catalogue.source}")
    print(f"  {territory_summary(catalogue.offices, catalogue.places)}")
    return 0


def cmd_unknown(args: argparse.Namespace) -> int:
    catalogue = _catalogue()
    if catalogue is None:
        return EXIT_BAD_CATALOGUE
    matcher = PlaceMatcher(catalogue.places, catalogue.offices)
    store = open_store(args.database_url)
    found = unknown_places(_tickets(store, args.created_from, args.created_to), matcher)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
    elif not found:
        print("没有未收录的地名。")
    else:
        print(f"未收录的地名 {len(found)} 个（次数  地名  示例工单）：")
        for item in found:
            print(f"  {item['count']:>4}  {item['place']}  {'、'.join(item['tickets'])}")
        print("需要的请加到 settings/places.csv（或 divisions.csv），再运行 hotline places check。")
    return 0


def _tickets(store: TicketStore, created_from: Optional[dt.date],
             created_to: Optional[dt.date]) -> List[Tuple[str, str, Dict, Optional[Dict]]]:
    """(number, text, facts, routing of the opened event or None), oldest first."""
    where = query.conditions(store, query.TicketQuery(created_from=created_from, created_to=created_to),
                             store.local_now())
    statement = select(Ticket).where(*where).options(selectinload(Ticket.events)).order_by(Ticket.id)
    with store.sessions() as session:
        rows = []
        for ticket in session.execute(statement).scalars():
            opened = next((e for e in ticket.events if e.action == "opened"), None)
            routing = (opened.detail or {}).get("routing") if opened is not None else None
            rows.append((ticket.number, ticket.text, dict(ticket.facts or {}), routing))
        return rows


def unknown_places(tickets: Iterable[Tuple[str, str, Dict, Optional[Dict]]], matcher: PlaceMatcher) -> List[Dict]:
    """[{"place", "count", "tickets": [up to 3 numbers]}], most frequent first."""
    counts: Counter = Counter()
    examples: Dict[str, List[str]] = {}
    for number, text, facts, routing in tickets:
        place = _unknown_of(text, facts, routing, matcher)
        if place:
            counts[place] += 1
            examples.setdefault(place, [])
            if len(examples[place]) < EXAMPLES:
                examples[place].append(number)
    return [{"place": p, "count": n, "tickets": examples[p]} for p, n in counts.most_common()]


def _unknown_of(text: str, facts: Dict, routing: Optional[Dict], matcher: PlaceMatcher) -> Optional[str]:
    # A ticket routed since unknown places are reported says so itself (None: none was named);
    # an older one is read again with today's list, so names added since no longer show.
    if isinstance(routing, dict) and "unknown_place" in routing:
        place = routing["unknown_place"]
        return place if place and matcher.locate(place).unknown_place else None
    location = facts.get("location") if isinstance(facts.get("location"), str) else None
    return matcher.locate(text or "", location).unknown_place
