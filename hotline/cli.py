"""`hotline`: the operator command line of the 12345 assistant.

Subcommands:
  run                      start Rasa, the action server and the web chat page (make run)
  db upgrade               bring the ticket database schema up to date
  tickets list / show N    look at tickets (personal data masked unless --full)
  tickets import FILE      historical tickets from an older system's CSV or .xlsx (--dry-run, --skip-bad)
  screen "文本"            show what the emergency safety net sees in a text
  route "诉求文本" [--json] suggest the lead, co-handlers and territorial office for a request, and why
  route retrain            learn from the office's reassignments (checked on held-out requests)
  places check / unknown   the place list of the territory: validate it, list names it lacks
  kb ...                   the knowledge base (build, search, ...)
  restrict add / list / lift  the restriction list of abusive callers (at most 30 days)
  stats --from D --to D    the office's statistics (--json, --xlsx FILE, --report FILE, --department ID)
  forecast                 next week's expected tickets per type or department, with its backtest
  hotspots                 requests about one matter at one place, ranked by heat; --alerts for cron
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from bot.routing.cli import add_route_commands
from hotline import tickets_cli
from hotline.forecast_cli import add_forecast_commands
from hotline.hotspots_cli import add_hotspots_command
from hotline.places_cli import add_places_commands
from hotline.route_retrain_cli import cmd_retrain
from hotline.stats_cli import add_stats_commands
from hotline.retention_cli import add_retention_commands


def _cmd_run(args: argparse.Namespace) -> int:
    from hotline.stack import Ports, Stack, run_forever
    return run_forever(Stack(ports=Ports(args.rasa_port, args.actions_port, args.web_port, args.wechat_port,
                                         staff=args.staff_port)))


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.tickets.database import make_engine, migrate
    engine = make_engine(args.database_url)
    migrate(engine)
    print(f"数据库已是最新结构：{engine.url.render_as_string(hide_password=True)}")
    return 0


def _cmd_screen(args: argparse.Namespace) -> int:
    from bot.screening.emergency import detect_all
    matches = [{"kind": m.kind, "phrase": m.phrase} for m in detect_all(args.text)]
    print(json.dumps({"text": args.text, "emergencies": matches}, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline", description="12345 热线助手运维命令")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    run = commands.add_parser("run", help="启动整个助手（Rasa、动作服务器、网页聊天、坐席工作台、语音网关）")
    run.add_argument("--rasa-port", type=int, default=5005)
    run.add_argument("--actions-port", type=int, default=5055)
    run.add_argument("--web-port", type=int, default=8080)
    run.add_argument("--wechat-port", type=int, default=8090)
    run.add_argument("--staff-port", type=int, default=8081, help="坐席工作台和员工接口")
    run.set_defaults(func=_cmd_run)

    db = commands.add_parser("db", help="工单数据库").add_subparsers(dest="db_command", required=True)
    upgrade = db.add_parser("upgrade", help="执行数据库迁移")
    upgrade.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
    upgrade.set_defaults(func=_cmd_db_upgrade)

    screen = commands.add_parser("screen", help="查看紧急情况规则对一段文字的判断")
    screen.add_argument("text")
    screen.set_defaults(func=_cmd_screen)

    tickets_cli.add_ticket_commands(commands)
    add_route_commands(commands).set_defaults(retrain=cmd_retrain)
    add_places_commands(commands)
    add_retention_commands(commands)
    add_stats_commands(commands)
    add_forecast_commands(commands)
    add_hotspots_command(commands)
    _add_optional_commands(commands)
    return parser


def _add_optional_commands(commands) -> None:
    """Commands of parts that may be absent from an older checkout register themselves here."""
    try:
        from bot.knowledge.cli import add_kb_commands
    except ImportError:
        pass
    else:
        add_kb_commands(commands)
    try:
        from hotline.restrict_cli import add_restrict_commands
    except ImportError:
        return
    add_restrict_commands(commands)


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
