"""`hotline restrict`: the restriction list of abusive callers, for operators (bot/restrictions).

    hotline restrict add --kind phone --value 13812345678 --days 30 --reason "多次辱骂话务员"
    hotline restrict list [--all] [--json]
    hotline restrict lift 3 --reason "误加"

Only masked values are printed. The operator is recorded as 运维:<OS user name>.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys

from bot.restrictions.models import KIND_LABELS, KINDS
from bot.restrictions.service import RestrictionError, RestrictionList, RestrictionNotFound
from bot.tickets.database import make_engine, migrate


def _restrictions(args: argparse.Namespace) -> RestrictionList:
    engine = make_engine(args.database_url)
    migrate(engine)
    return RestrictionList(engine)


def _actor() -> str:
    try:
        return "运维:" + getpass.getuser()
    except (KeyError, OSError):    # no login name (a container without a passwd entry)
        return "运维:unknown"


def _refused(exc: RestrictionError) -> int:
    print(f"错误：{exc}", file=sys.stderr)
    return 1 if isinstance(exc, RestrictionNotFound) else 2


def _line(view: dict) -> str:
    line = (f"{view['id']:>5}  {view['status_label']}  {view['kind_label']} {view['shown']:<14} "
            f"至{view['until']:<11}  {view['created_by']}  {view['reason'][:30]}")
    if view["lifted_by"]:
        line += f"（{view['lifted_by']} 解除：{view['lift_reason'][:20]}）"
    return line


def _cmd_add(args: argparse.Namespace) -> int:
    restrictions = _restrictions(args)
    try:
        added = restrictions.add(args.kind, args.value, args.reason, args.days, _actor())
    except RestrictionError as exc:
        return _refused(exc)
    print(f"已限制{KIND_LABELS[added.kind]} {added.shown} {args.days} 天，至{restrictions.until(added)}"
          f"（限制记录 {added.id}）。")
    print(f"市民将听到：{restrictions.message(added)}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    restrictions = _restrictions(args)
    views = [restrictions.view(r) for r in restrictions.list(include_past=args.all)]
    if args.json:
        print(json.dumps(views, ensure_ascii=False, indent=1))
        return 0
    if not views:
        print("没有限制记录。" if args.all else "目前没有生效的限制（--all 查看全部记录）。")
        return 0
    print("   编号  状态    类型 号码/用户        截止           操作人  原因")
    for view in views:
        print(_line(view))
    return 0


def _cmd_lift(args: argparse.Namespace) -> int:
    restrictions = _restrictions(args)
    try:
        lifted = restrictions.lift(args.id, _actor(), args.reason)
    except RestrictionError as exc:
        return _refused(exc)
    print(f"已解除限制记录 {lifted.id}：{KIND_LABELS[lifted.kind]} {lifted.shown} 现在可以正常使用热线。")
    return 0


def add_restrict_commands(commands) -> None:
    restrict = commands.add_parser("restrict", help="限制名单：限制滥用热线的来电人（最长30个自然日）")
    sub = restrict.add_subparsers(dest="restrict_command", required=True)
    add = sub.add_parser("add", help="限制一个号码或用户")
    add.add_argument("--kind", required=True, choices=KINDS, help="phone 电话号码、openid 微信用户、caller 来电号码、web 网页用户")
    add.add_argument("--value", required=True, help="号码或用户标识（只保存摘要和打码后的形式）")
    add.add_argument("--days", required=True, type=int, help="限制的自然日天数（最长见 settings/limits.yml）")
    add.add_argument("--reason", required=True, help="限制原因")
    add.set_defaults(func=_cmd_add)
    listing = sub.add_parser("list", help="生效中的限制")
    listing.add_argument("--all", action="store_true", help="包括已解除和已到期的记录")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_cmd_list)
    lift = sub.add_parser("lift", help="提前解除一条限制")
    lift.add_argument("id", type=int, help="限制记录编号（见 hotline restrict list）")
    lift.add_argument("--reason", required=True, help="解除原因")
    lift.set_defaults(func=_cmd_lift)
    for command in (add, listing, lift):
        command.add_argument("--database-url", help="默认取 settings/hotline.yml 或 HOTLINE_DATABASE_URL")
