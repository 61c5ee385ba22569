"""`hotline kb ...` commands.

The top-level CLI calls add_kb_commands(subparsers) and then args.func(args). Every handler
returns 0 on success; on a knowledge-base error it prints the (Chinese + English) message to
stderr and raises SystemExit(2), so a failure is never an exit code 0 whatever the caller does.
Standalone: python -m bot.knowledge.cli kb search "社保卡丢了"
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, TextIO

from .errors import IndexMissingError, KnowledgeError, SourceError, StaleIndexError
from .index import KnowledgeIndex
from .service import KnowledgeBase, build_index
from .settings import KBSettings, load_settings
from .source import load_file, load_source
from .encoders import make_encoder

Handler = Callable[[argparse.Namespace], int]


def add_kb_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `kb build|search|decide|check|stats` under an existing subparsers object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", type=Path, help="配置文件 (default settings/knowledge.yml or $HOTLINE_KB_SETTINGS)")
    common.add_argument("--encoder", help="覆盖编码器 use | e5 | use+e5 | sentence-transformers")
    kb = subparsers.add_parser("kb", help="知识库：构建、检索、校验 (knowledge base)")
    sub = kb.add_subparsers(dest="kb_command", metavar="{build,search,decide,check,stats,stale,unanswered,proposals}")
    sub.required = True

    p = sub.add_parser("build", parents=[common], help="构建或增量更新索引 (build / update the index)")
    p.add_argument("--full", action="store_true", help="丢弃现有索引，全量重建 (rebuild from scratch)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("search", parents=[common], help="检索知识库；问题写 - 则逐行读标准输入")
    p.add_argument("question", help='问题，或 "-" 从标准输入每行读一个问题 (one question a line)')
    p.add_argument("-k", type=int, default=None, help="返回条数 (default: search.k)")
    p.add_argument("--json", action="store_true", help="输出 JSON 列表 (best first)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("decide", parents=[common], help="显示对话的决定：直接回答 / 推荐三条 / 转工单")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_decide)

    p = sub.add_parser("check", parents=[common], help="校验源文件，报告文件和行号 (validate sources)")
    p.add_argument("files", nargs="*", type=Path, help="只校验这些文件 (default: the whole source folder)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("stats", parents=[common], help="条目数、部门分布与索引状态 (entries and index status)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    from .editorial.cli import add_upkeep_commands   # stale | unanswered | proposals (knowledge upkeep)
    add_upkeep_commands(sub, common, _handles_errors)
    return kb


def _handles_errors(fn: Handler) -> Handler:
    @functools.wraps(fn)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except KnowledgeError as exc:
            print(f"错误 (error): {exc}", file=sys.stderr)
            raise SystemExit(2) from exc
    return wrapper


def _settings(args: argparse.Namespace) -> KBSettings:
    return load_settings(getattr(args, "settings", None), encoder=getattr(args, "encoder", None))


def _progress(stream: TextIO | None = None) -> Callable[[int, int], None]:
    """Report roughly every 10% (and at the end), so long builds show they are alive."""
    last = [-1]

    def report(done: int, total: int) -> None:
        step = done * 10 // max(total, 1)
        if step != last[0] or done == total:
            last[0] = step
            print(f"  已编码 {done}/{total} 条文本 (encoded texts)", file=stream or sys.stderr, flush=True)
    return report


@_handles_errors
def cmd_build(args: argparse.Namespace) -> int:
    s = _settings(args)
    print(f"构建知识库索引：源 {s.source_dir} → {s.index_dir}，编码器 {s.encoder}", file=sys.stderr)
    index, report = build_index(s, full=args.full, progress=_progress())
    print(f"完成 (done)：{report.summary()}；共 {index.entry_count} 条，{index.faiss.ntotal} 个向量")
    return 0


@_handles_errors
def cmd_search(args: argparse.Namespace) -> int:
    kb = KnowledgeBase.open(_settings(args), progress=_progress())
    k = args.k or kb.settings.k
    if args.question == "-":
        return _search_stdin(kb, k, sys.stdin, sys.stdout)
    hits = kb.search(args.question, k)
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False))
    else:
        _print_hits(hits)
    return 0


def _search_stdin(kb: KnowledgeBase, k: int, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON list per input line, in order; a blank line gives [] to keep lines aligned."""
    for line in stdin:
        question = line.strip()
        hits = kb.search(question, k) if question else []
        stdout.write(json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n")
        stdout.flush()  # callers may pipe questions in one by one and wait for each answer
    return 0


def _print_hits(hits) -> None:
    if not hits:
        print("（没有找到相关条目）(no entries)")
    for rank, h in enumerate(hits, 1):
        print(f"{rank}. [{h.score:.3f}] {h.id}  {h.question}")
        print(f"   部门：{h.department}  电话：{h.phone}")
        print(f"   答：{h.answer}\n")


@_handles_errors
def cmd_decide(args: argparse.Namespace) -> int:
    kb = KnowledgeBase.open(_settings(args), progress=_progress())
    d = kb.decide(args.question)
    if args.json:
        print(json.dumps({"action": d.action, "hits": [h.to_json() for h in d.hits]}, ensure_ascii=False))
        return 0
    label = {"answer": "直接回答 (answer)", "offer": "推荐候选 (offer top 3)", "none": "未匹配，转工单 (no match)"}
    print(f"决定：{label[d.action]}  阈值 answer={kb.settings.answer_threshold} offer={kb.settings.offer_threshold}")
    _print_hits(d.hits)
    return 0


@_handles_errors
def cmd_check(args: argparse.Namespace) -> int:
    s = _settings(args)
    try:
        if args.files:
            count = sum(len(load_file(f)) for f in args.files)
            warnings = ()
        else:
            source = load_source(s.source_dir)
            count, warnings = len(source.entries), source.warnings
    except SourceError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for w in warnings:
        print(f"提醒 (warning): {w}")
    print(f"校验通过 (valid)：{count} 条")
    return 0


@_handles_errors
def cmd_stats(args: argparse.Namespace) -> int:
    s = _settings(args)
    source = load_source(s.source_dir)
    status = _index_status(s, source)
    stats = {
        "entries": len(source.entries),
        "alternatives": sum(len(e.alternatives) for e in source.entries),
        "files": {str(f.relative_to(s.source_dir)): n for f, n in
                  Counter(e.file for e in source.entries).items()},
        "departments": dict(Counter(e.department for e in source.entries).most_common()),
        "encoder": s.encoder, "index_dir": str(s.index_dir), "index": status,
        "thresholds": {"answer": s.answer_threshold, "offer": s.offer_threshold, "margin": s.margin},
    }
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return 0
    print(f"条目 {stats['entries']}，备选问法 {stats['alternatives']}，文件 {len(stats['files'])}")
    for dept, n in stats["departments"].items():
        print(f"  {n:4d}  {dept}")
    print(f"编码器 {s.encoder}；索引 {s.index_dir}：{status}")
    return 0


def _index_status(s: KBSettings, source) -> str:
    try:
        idx = KnowledgeIndex.load(s.index_dir, make_encoder(s.encoder, s.model, s.threads, s.weights), s.views)
        idx.check_fresh(source)
    except IndexMissingError:
        return "未构建 (missing)"
    except StaleIndexError as exc:
        return f"已过期 (stale): {exc.reason}"
    return f"最新 (fresh)，{idx.entry_count} 条，{idx.faiss.ntotal} 个向量，构建于 {idx.manifest.built_at}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hotline", description="12345 热线助手知识库")
    add_kb_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
