"""`hotline route "诉求文本" [--json]`, `hotline route -` and `hotline route --check`.

The top-level CLI calls add_route_commands(subparsers) and then args.func(args).
  route "文本"          the suggestion, readable by a dispatcher
  route "文本" --json   {"department", "confidence", "runner_up", "territory"} on one line
  route -               one request a line from standard input, one JSON object a line out, in
                        order; a blank or unusable line gives {"error": ...} so lines stay aligned
  route --check         validate settings/departments.yml and the training files
Standalone: python -m bot.routing.cli route "楼下烧烤摊油烟太大"
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional, TextIO

from .errors import CatalogueError, EmptyRequestError
from .places import territory_summary
from .router import Router, RoutingDecision, load_router

EXIT_BAD_INPUT = 1
EXIT_BAD_CATALOGUE = 2


def add_route_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    route = subparsers.add_parser("route", help="智能派单：建议承办部门和属地")
    route.add_argument("text", nargs="?", help='诉求文本；写 "-" 则从标准输入每行读一条')
    route.add_argument("--json", action="store_true", help="输出 JSON（department、confidence、runner_up、territory）")
    route.add_argument("--check", action="store_true", help="只校验部门目录和训练文件")
    route.set_defaults(func=cmd_route)
    return route


def cmd_route(args: argparse.Namespace, stdin: Optional[TextIO] = None, stdout: Optional[TextIO] = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout     # looked up per call: tests redirect them
    try:
        router = load_router()
    except CatalogueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_CATALOGUE
    if args.check:
        return _check(router, stdout)
    if args.text is None:
        print('请提供诉求文本，例如：hotline route "楼下烧烤摊油烟太大"；或用 - 从标准输入逐行读取。', file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.text == "-":
        return _route_lines(router, stdin, stdout)
    try:
        decision = router.route(args.text)
    except EmptyRequestError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False) if args.json else f"错误：{exc}", file=stdout)
        return EXIT_BAD_INPUT
    print(json.dumps(decision.to_json(), ensure_ascii=False) if args.json else describe(decision, router), file=stdout)
    return 0


def _route_lines(router: Router, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON object per input line, flushed at once: callers may feed requests one by one."""
    for number, line in enumerate(stdin, 1):
        try:
            out = router.route(line.strip()).to_json()
        except EmptyRequestError as exc:
            out = {"error": f"第{number}行：{exc}"}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def describe(decision: RoutingDecision, router: Router) -> str:
    d, r = decision.department, decision.runner_up
    lines = [f"建议派往：{d.name}{_hotline(d.hotline)}  置信度 {d.confidence:.0%}",
             f"备选部门：{r.name}{_hotline(r.hotline)}  置信度 {r.confidence:.0%}"]
    t = decision.territory
    if t is None:
        lines.append("属地：未提到本市地名")
    elif t.street:
        lines.append(f"属地：{t.district} {t.office}（依据“{t.matched}”）")
    else:
        lines.append(f"属地：{t.office}（依据“{t.matched}”，未能确定街道/乡镇）")
    if decision.needs_review:
        lines.append(f"提示：置信度低于 {router.catalogue.router.review_below:.0%}，建议派单员人工确认。")
    return "\n".join(lines)


def _hotline(number: Optional[str]) -> str:
    return f"（{number}）" if number else ""


def _check(router: Router, stdout: TextIO) -> int:
    c = router.catalogue
    print(f"部门目录校验通过：{c.source}", file=stdout)
    print(f"  {len(c.departments)} 个部门；训练文件 {len(c.router.training_files)} 个", file=stdout)
    print(f"  属地：{territory_summary(c.offices, c.places)}", file=stdout)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="hotline", description="12345 热线助手：智能派单")
    add_route_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
