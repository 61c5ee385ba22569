"""`hotline route "诉求文本" [--json] [--place 地点]`, `hotline route -`, `--check`, `--build`, `retrain`.

The top-level CLI calls add_route_commands(subparsers) and then args.func(args).
  route "文本"          the suggestion, readable by a dispatcher: lead, co-handlers, top three,
                        属地, and why (the duty matched, similar requests, the place rule)
  route "文本" --json   RoutingDecision.to_json() on one line
  route -               one request a line from standard input, one JSON object a line out, in
                        order; a blank or unusable line gives {"error": ...} so lines stay aligned
  route --check         validate settings/departments.yml and the training files
  route --build         build the router now (the labelled requests' embeddings, cached on disk)
  route retrain         learn from the office's corrections (hotline/route_retrain_cli.py: it reads
                        the ticket store, which this package does not know; the top-level CLI hands
                        it in as args.retrain)
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
SOURCE_LABELS = {"catalogue": "部门目录", "training": "训练诉求", "ticket": "工单"}


def add_route_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    route = subparsers.add_parser("route", help="智能派单：建议承办部门和属地")
    route.add_argument("text", nargs="?", help='诉求文本；写 "-" 则从标准输入每行读一条；写 retrain 则学习改派')
    route.add_argument("--place", help="市民说的事发地点（优先用于判断属地）")
    route.add_argument("--json", action="store_true", help="输出 JSON（牵头、协办、前三候选、属地、依据）")
    route.add_argument("--check", action="store_true", help="只校验部门目录和训练文件")
    route.add_argument("--build", action="store_true", help="立即构建派单模型（句向量缓存）")
    retrain = route.add_argument_group("retrain（学习热线办公室的改派）")
    retrain.add_argument("--since", help="只看该日期（YYYY-MM-DD）以后的改派")
    retrain.add_argument("--dry-run", action="store_true", help="只检验和报告，不写入")
    retrain.add_argument("--every", type=float, metavar="小时", help="常驻运行，每隔这么多小时学习一次")
    retrain.add_argument("--database-url", help="工单库地址（默认用配置）")
    route.set_defaults(func=cmd_route, retrain=None)
    return route


def cmd_route(args: argparse.Namespace, stdin: Optional[TextIO] = None, stdout: Optional[TextIO] = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout     # looked up per call: tests redirect them
    if args.text == "retrain":
        if args.retrain is None:
            print("错误：retrain 需要工单库，请用 hotline route retrain。", file=sys.stderr)
            return EXIT_BAD_INPUT
        return args.retrain(args)
    try:
        router = load_router()
    except CatalogueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_CATALOGUE
    if args.check:
        return _check(router, stdout)
    if args.build:
        return _built(router, stdout)
    if args.text is None:
        print('请提供诉求文本，例如：hotline route "楼下烧烤摊油烟太大"；或用 - 从标准输入逐行读取。', file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.text == "-":
        return _route_lines(router, stdin, stdout)
    try:
        decision = router.route(args.text, args.place)
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
    d = decision.department
    if decision.abstain:
        lines = [f"不自动派单：最高置信度 {d.confidence:.0%} 低于 {router.config.abstain_below:.0%}，"
                 "请派单员人工派单。候选部门："]
    else:
        lines = [f"建议牵头：{d.name}{_hotline(d.hotline)}  置信度 {d.confidence:.0%}"]
        lines += [f"建议协办：{c.name}{_hotline(c.hotline)}" for c in decision.co_handlers]
        lines.append("其他候选：")
    lines += [f"  {c.name}{_hotline(c.hotline)}  {c.confidence:.0%}"
              for c in decision.candidates[(0 if decision.abstain else 1):]]
    lines.append(_territory_line(decision))
    why = decision.why
    if why.duty:
        lines.append(f"依据职责：{why.duty}")
    for n in why.similar:
        source = f"工单 {n.example.ticket}" if n.example.ticket else SOURCE_LABELS.get(n.example.source, n.example.source)
        lines.append(f"相似诉求（{source}，相似度 {n.similarity:.2f}）：{n.example.text[:40]}")
    return "\n".join(lines)


def _territory_line(decision: RoutingDecision) -> str:
    t = decision.territory
    if t is not None:
        where = f"{t.district} {t.office}" if t.street else f"{t.office}（未能确定街道/乡镇）"
        return f"属地：{where}（依据“{t.matched}”）"
    if decision.located.unknown_place:
        return f"属地：待人工确定（“{decision.located.unknown_place}”不在地名库中）"
    return "属地：未提到本市地名"


def _hotline(number: Optional[str]) -> str:
    return f"（{number}）" if number else ""


def _built(router: Router, stdout: TextIO) -> int:
    voter = router.voter
    examples = len(voter.examples) if voter else 0
    how = f"{router.config.encoder} 句向量近邻 + n-gram 质心" if voter else "仅 n-gram 质心（句向量编码器不可用）"
    print(f"派单模型已构建：{len(router.catalogue.departments)} 个部门，{examples} 条标注诉求，{how}", file=stdout)
    return 0


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
