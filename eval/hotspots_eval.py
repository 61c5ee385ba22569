"""Held-out check of hotspots (热点) on a generated office history (eval/office_history.py).

    .venv/bin/python eval/hotspots_eval.py [--seeds 1 2 3] [--count 3000] [--json reports/hotspots_eval.json]

For each seed: write the history, import it into a fresh SQLite database (`hotline tickets import`'s
code), run find_hotspots over the whole period, and compare with the truth file the generator
wrote. The hotspot code was written without seeing the generator or its data; neither is tuned to
the other. A hotspot "is" a planted cluster when most of its tickets (≥ 80%) belong to it.

Printed per seed and in total:
  planted found       planted clusters matched by some hotspot (recall of the real hotspots)
  top-k pure          of the k best hotspots (k = number planted), how many are planted clusters
  ticket recall       share of a found cluster's tickets inside its hotspot (mean)
  false hotspots      hotspots that are not a planted cluster (decoys or one-offs grouped)
  one-offs grouped    one-off requests that ended up in any hotspot
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

PURE = 0.8


def run_seed(seed: int, count: int, workdir: Path) -> Dict:
    import office_history
    from bot.office.hotspots import find_hotspots
    from bot.tickets.database import open_store
    from bot.tickets.importing import import_file

    csv_path = workdir / f"history-{seed}.csv"
    office_history.main(["--out", str(csv_path), "--seed", str(seed), "--count", str(count)])
    truth = json.loads(csv_path.with_name(csv_path.stem + ".truth.json").read_text(encoding="utf-8"))
    store = open_store(f"sqlite:///{workdir / f'history-{seed}.db'}")
    report = import_file(store, csv_path)
    if report.rejected:
        raise SystemExit(f"种子 {seed}：导入时有 {len(report.rejected)} 行被拒绝，无法评估")
    started = time.perf_counter()
    hotspots = find_hotspots(store, dt.date.fromisoformat(truth["from"]), dt.date.fromisoformat(truth["to"]),
                             now=dt.datetime.combine(dt.date.fromisoformat(truth["to"]) + dt.timedelta(days=1),
                                                     dt.time(), tzinfo=store.zone))
    seconds = time.perf_counter() - started
    return score(hotspots, truth, original_numbers(store), seconds)


def original_numbers(store) -> Dict[str, str]:
    """Ticket number -> the old system's number (原工单号) the truth file uses."""
    from sqlalchemy import select
    from bot.tickets.models import Ticket
    with store.sessions() as session:
        return {number: ((facts or {}).get("imported") or {}).get("原工单号")
                for number, facts in session.execute(select(Ticket.number, Ticket.facts))}


def score(hotspots, truth: Dict, originals: Dict[str, str], seconds: float) -> Dict:
    cluster_of = {n: c["id"] for c in truth["clusters"] for n in c["numbers"]}
    sizes = {c["id"]: len(c["numbers"]) for c in truth["clusters"]}
    one_offs = set(truth["one_offs"]["numbers"])
    matched: Dict[str, float] = {}
    labels: List[str] = []
    grouped_one_offs = 0
    for spot in hotspots:
        members = [originals.get(n) for n in spot.tickets]
        grouped_one_offs += sum(1 for m in members if m in one_offs)
        best, hits = (Counter(cluster_of.get(m) for m in members).most_common(1) or [(None, 0)])[0]
        if best is not None and hits / len(members) >= PURE:
            labels.append(best)
            matched[best] = max(matched.get(best, 0.0), hits / sizes[best])
        else:
            labels.append("-")
    k = len(truth["clusters"])
    return {"planted": k, "found": len(matched), "top_k_pure": sum(1 for label in labels[:k] if label != "-"),
            "ticket_recall": round(sum(matched.values()) / max(1, len(matched)), 3),
            "hotspots": len(hotspots), "false_hotspots": labels.count("-"), "one_offs_grouped": grouped_one_offs,
            "one_offs": len(one_offs), "records": truth["records"], "seconds": round(seconds, 1),
            "ranking": labels}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="热点识别的留出评估（生成的历史工单）")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--json", type=Path, default=HERE.parent / "reports" / "hotspots_eval.json")
    parser.add_argument("--keep", type=Path, help="keep the histories and databases in this folder")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="hotline-hotspots-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for seed in args.seeds:
            print(f"== 种子 seed {seed}：生成、导入、聚类 …", file=sys.stderr, flush=True)
            (workdir / f"history-{seed}.db").unlink(missing_ok=True)
            results[seed] = run_seed(seed, args.count, workdir)
    print("热点留出评估 hotspots on held-out histories (eval/office_history.py)")
    print(f"  {'seed':>4} {'records':>8} {'planted':>8} {'found':>6} {'top-k pure':>11} {'ticket recall':>14} "
          f"{'false':>6} {'one-offs grouped':>17} {'seconds':>8}")
    for seed, r in results.items():
        print(f"  {seed:>4} {r['records']:>8} {r['planted']:>8} {r['found']:>6} {r['top_k_pure']:>8}/{r['planted']:<2} "
              f"{r['ticket_recall']:>14.1%} {r['false_hotspots']:>6} {r['one_offs_grouped']:>8}/{r['one_offs']:<8} "
              f"{r['seconds']:>8}")
        print(f"       ranking: {' '.join(r['ranking'])}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"report written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
