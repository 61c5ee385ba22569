"""Knowledge-base benchmark (`make bench`): build rate, search latency and memory.

1. The shipped knowledge base with the configured encoder: real build rate (model encoding
   dominates) and end-to-end search latency (encode the question + search + score).
2. Synthetic indexes of 1,000 and 100,000 entries with the same layout (question, 3 alternatives,
   question+answer = 5 vectors per entry) and random unit vectors of the encoder's dimension:
   index build rate without the model, search latency (median, p99), incremental update of 10
   entries, and resident memory. Query vectors come from the real encoder.

    .venv/bin/python benchmarks/kb_bench.py [--sizes 1000,100000] [--queries 200]
Finishes in a few minutes on 2 cores; prints figures and writes reports/kb_bench.json.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge import KnowledgeBase, load_settings  # noqa: E402
from bot.knowledge.encoders import Encoder, make_encoder  # noqa: E402
from bot.knowledge.index import KnowledgeIndex  # noqa: E402
from bot.knowledge.source import Entry, KnowledgeSource, load_source  # noqa: E402

QUESTIONS = ["俺的社保卡找不着了，咋整啊", "我在外面租房住，公积金能拿出来交房租吗", "驾照快满六年了，换本要回发证的地方吗",
             "刚买了个电瓶车，要去哪挂牌子", "新单位入职让交个无犯罪的证明，去哪开", "暖气片摸着一点不热，屋里才十五度",
             "公司不给我结最后两个月工资，我要告他们去哪告", "娃今年九月满六岁，一年级啥时候报名"]


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class SyntheticEncoder(Encoder):
    """Random unit vectors with the real encoder's name, dimension and parts: measures the index."""

    def __init__(self, real: Encoder, seed: int = 0):
        self.name, self.dim, self._parts = real.name, real.dim, real.parts
        self._rng = np.random.default_rng(seed)

    @property
    def parts(self):
        return self._parts

    def encode(self, texts, kind="query"):
        rows = self._rng.standard_normal((len(texts), self.dim), dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def synthetic_source(n: int) -> KnowledgeSource:
    today = dt.date(2025, 3, 1)
    entries = tuple(Entry(id=f"syn-{i}", question=f"问题{i}", alternatives=(f"说法{i}a", f"说法{i}b", f"说法{i}c"),
                          answer=f"答案{i}，电话12345。", department="本市某局", phone="12345", source="合成",
                          updated=today, valid_until=None, file=Path("synthetic.yml"), line=i)
                    for i in range(n))
    return KnowledgeSource(entries, checksum=f"synthetic-{n}", files=())


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(values, p))


def latency(fn, queries: list, repeat: int) -> dict:
    times = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(queries[i % len(queries)])
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "p99_ms": round(percentile(times, 99), 2)}


def bench_real(settings, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        s = dataclasses.replace(settings, index_dir=Path(tmp))
        source = load_source(s.source_dir)
        started = time.perf_counter()
        kb = KnowledgeBase.open(s)  # index missing -> built here
        build_s = time.perf_counter() - started
        vectors = kb.index.faiss.ntotal
        kb.search(QUESTIONS[0])  # warm-up
        result = {"entries": len(source.entries), "vectors": vectors, "build_s": round(build_s, 1),
                  "build_entries_per_s": round(len(source.entries) / build_s, 1),
                  "search": latency(lambda q: kb.search(q, s.k), QUESTIONS, repeat),
                  "rss_mb": round(rss_mb()[0])}
    print(f"shipped KB, encoder {s.encoder}: {result['entries']} entries / {vectors} vectors built in "
          f"{result['build_s']} s ({result['build_entries_per_s']} entries/s, model included); "
          f"search end to end median {result['search']['median_ms']} ms, p99 {result['search']['p99_ms']} ms; "
          f"RSS {result['rss_mb']} MB")
    return result


def bench_synthetic(n: int, settings, real: Encoder, query_vectors: np.ndarray, repeat: int) -> dict:
    rss_before = rss_mb()[0]
    encoder = SyntheticEncoder(real)
    source = synthetic_source(n)
    with tempfile.TemporaryDirectory() as tmp:
        index = KnowledgeIndex(Path(tmp), encoder, settings.views)
        started = time.perf_counter()
        index.sync(source, progress=_progress(n))
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        index.save()
        save_s = time.perf_counter() - started
        rows = [q[None, :] for q in query_vectors]
        search = latency(lambda q: index.search_vectors(q, settings.k, settings.answer_weight), rows, repeat)
        changed = _change_ten(source)
        started = time.perf_counter()
        report = index.sync(changed)
        update_s = time.perf_counter() - started
        assert len(report.changed) == 10 and report.unchanged == n - 10
    current, peak = rss_mb()
    result = {"entries": n, "vectors": n * 5, "build_s": round(build_s, 2),
              "build_entries_per_s": round(n / build_s), "save_s": round(save_s, 2),
              "search": search, "update_10_s": round(update_s, 3),
              "rss_added_mb": round(current - rss_before), "rss_peak_mb": round(peak)}
    print(f"{n:>7,} entries ({n * 5:,} vectors, dim {real.dim}): index build {result['build_entries_per_s']:,} entries/s "
          f"({result['build_s']} s, save {result['save_s']} s); search median {search['median_ms']} ms, "
          f"p99 {search['p99_ms']} ms; update 10 entries {result['update_10_s']} s; "
          f"RSS +{result['rss_added_mb']} MB (peak {result['rss_peak_mb']} MB)")
    return result


def _change_ten(source: KnowledgeSource) -> KnowledgeSource:
    entries = list(source.entries)
    for i in range(10):
        entries[i] = dataclasses.replace(entries[i], question=entries[i].question + "（改）")
    return KnowledgeSource(tuple(entries), checksum=source.checksum + "-changed", files=())


def _progress(n: int):
    if n < 50_000:
        return None

    def report(done: int, total: int) -> None:
        if done == total or done % (total // 4 // 64 * 64 or 64) == 0:
            print(f"   indexed {done:,}/{total:,} vectors", file=sys.stderr, flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000,100000")
    p.add_argument("--queries", type=int, default=200, help="timed searches per size")
    p.add_argument("--skip-real", action="store_true", help="skip building the shipped KB with the real model")
    p.add_argument("--report", type=Path, default=ROOT / "reports" / "kb_bench.json")
    args = p.parse_args(argv)

    settings = load_settings()
    faiss.omp_set_num_threads(max(1, settings.faiss_threads))  # as KnowledgeBase.open does
    real = make_encoder(settings.encoder, settings.model, settings.threads, settings.weights)
    print(f"encoder {real.name} (dim {real.dim}), views {list(settings.views)}, threads {settings.threads}")
    report: dict = {"encoder": real.name, "dim": real.dim, "views": list(settings.views)}
    if not args.skip_real:
        report["shipped"] = bench_real(settings, args.queries)
    real.encode(QUESTIONS[:1]), real.encode(QUESTIONS[:2])  # warm-up: models load lazily
    started = time.perf_counter()
    query_vectors = real.encode(QUESTIONS)
    report["encode_query_ms"] = round((time.perf_counter() - started) * 1000 / len(QUESTIONS), 2)
    print(f"query encoding (batch of {len(QUESTIONS)}): {report['encode_query_ms']} ms per question")
    report["synthetic"] = [bench_synthetic(int(n), settings, real, query_vectors, args.queries)
                           for n in args.sizes.split(",")]
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"report: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
