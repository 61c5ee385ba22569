"""`hotline route retrain [--since D] [--dry-run] [--every 小时]`: the router learns from the office.

Reads the office's corrections from the ticket store (bot/tickets/corrections.py), lets the router
learn the ones that do not lower held-out accuracy (bot/routing/retrain.py), prints the figures
before and after and every correction it refused, and writes router.learned_file. Processes that
route pick the file up at their next request (the router watches its inputs' modification times).

Scheduled: `--every 24` keeps running and learns once a day (a systemd timer or cron running it
without --every does the same); a failed round is reported and the next one still runs.
Here, not in bot/routing, because it reads the ticket store: the router stays free of it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from typing import Optional

from bot.routing import CatalogueError, load_catalogue
from bot.routing.retrain import RetrainResult, heldout_cases, retrain
from bot.tickets.corrections import KIND_LABELS, labelled_corrections
from bot.tickets.database import open_store

EXIT_BAD_INPUT, EXIT_BAD_CATALOGUE = 1, 2


def cmd_retrain(args: argparse.Namespace) -> int:
    try:
        since_day = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"错误：--since 应为日期 YYYY-MM-DD：{args.since!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.every is not None and args.every <= 0:
        print("错误：--every 应为正数（小时）", file=sys.stderr)
        return EXIT_BAD_INPUT
    while True:
        code = _round(args, since_day)
        if args.every is None:
            return code
        print(f"下一次学习在 {args.every:g} 小时后。", flush=True)
        time.sleep(args.every * 3600)


def _round(args: argparse.Namespace, since_day: Optional[dt.date]) -> int:
    try:
        catalogue = load_catalogue()
        cases = heldout_cases(catalogue)
    except (CatalogueError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_CATALOGUE
    if not cases:
        print("错误：没有留出集（router.retrain_heldout），无法检验改派是否有益，不学习。", file=sys.stderr)
        return EXIT_BAD_CATALOGUE
    store = open_store(getattr(args, "database_url", None))
    # The day starts at midnight where the hotline is, not in UTC.
    since = dt.datetime.combine(since_day, dt.time(), tzinfo=store.zone) if since_day else None
    corrections = labelled_corrections(store, since)
    print(f"工单库中的改派样本：{len(corrections)} 条", flush=True)
    result = retrain(catalogue, corrections, cases, dry_run=args.dry_run,
                     progress=lambda line: print(line, flush=True))
    _report(result, args.dry_run)
    return 0


def _report(r: RetrainResult, dry_run: bool) -> None:
    print(f"留出集准确率：学习前 {r.before.share:.1%}（{r.before.right}/{r.before.cases}），"
          f"学习后 {r.after.share:.1%}（{r.after.right}/{r.after.cases}）")
    print(f"新学到 {len(r.accepted)} 条；拒绝 {len(r.rejected)} 条（会降低留出集准确率）；"
          f"暂缓 {len(r.postponed)} 条（超出单次逐条检验上限，下次再试）")
    for c in r.rejected:
        print(f"  拒绝：工单 {c.number}（{KIND_LABELS.get(c.kind, c.kind)} → {c.department_id}）：{c.text[:40]}")
    if dry_run:
        print("（试运行：没有写入）")
    elif r.written:
        print(f"已写入 {r.written}")
    else:
        print("没有需要写入的新样本。")
