"""Dispatch benchmark (`make bench`): what the router costs per request, build time and memory,
beside the n-gram router it replaced (router.encoder: none), measured in the same run.

Requests: the routing development set (eval/routing_cases.yml) plus long letters made by joining
five of them, routed one at a time as the dialogue does when it opens a ticket (route(): lead,
co-handlers, explanation, 属地).

    .venv/bin/python benchmarks/routing_bench.py
Prints figures and writes reports/routing_bench.json.
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.routing import Router, load_catalogue  # noqa: E402

REPORT = ROOT / "reports" / "routing_bench.json"


def requests() -> list:
    cases = [c["text"] for c in yaml.safe_load((ROOT / "eval" / "routing_cases.yml").read_text(encoding="utf-8"))["cases"]]
    letters = ["。".join(cases[i:i + 5]) for i in range(0, 100, 5)]
    return cases + letters


def measure(name: str, encoder: str, texts: list) -> dict:
    started = time.perf_counter()
    router = Router.build(load_catalogue(), encoder=encoder)
    build = time.perf_counter() - started
    router.route(texts[0])                           # first request loads what is lazy
    times = []
    for text in texts:
        t = time.perf_counter()
        router.route(text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"router": name, "build_seconds": round(build, 2), "requests": len(texts),
            "median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> int:
    texts = requests()
    rows = [measure("基线：n-gram 质心（原路由）", "none", texts),
            measure("现用：质心 + e5 近邻", load_catalogue().router.encoder, texts)]
    print(f"派单基准：{len(texts)} 条诉求（含 20 封五段长信），逐条 route()")
    for r in rows:
        print(f"  {r['router']:<22} 构建 {r['build_seconds']:6.2f} s  中位 {r['median_ms']:7.2f} ms  "
              f"p95 {r['p95_ms']:7.2f} ms  进程峰值内存 {r['max_rss_mb']} MB")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
