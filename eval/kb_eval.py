"""Evaluate knowledge-base retrieval on eval/kb_questions.yml (`make eval`).

For each encoder: top-1, top-3 and MRR over the answerable questions, and the dialogue's
decision with the thresholds from settings/knowledge.yml: answered right, offered right (the
expected entry among the offered buttons), wrongly answered (answered with a wrong entry, or
answered a question the knowledge base has no answer for). Indexes are built in a temporary
folder, so kb_embeddings/ is not touched. Writes reports/kb_eval.json.

    .venv/bin/python eval/kb_eval.py                       # all encoders
    .venv/bin/python eval/kb_eval.py --encoders use+e5 --sweep   # plus a threshold sweep
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge import KnowledgeBase, decide_from_hits, load_settings  # noqa: E402
from bot.knowledge.encoders import PASSAGE, QUERY, make_encoder  # noqa: E402
from bot.knowledge.index import build  # noqa: E402
from bot.knowledge.source import load_source  # noqa: E402

DEFAULT_ENCODERS = ("use", "e5", "use+e5")
DEPTH = 10  # ranks looked at for MRR


def load_questions(path: Path) -> list[dict]:
    """Questions with `accept`: the entry ids that answer it (empty for expect: none)."""
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    for q in questions:
        expect = q["expect"]
        q["accept"] = [] if expect == "none" else ([expect] if isinstance(expect, str) else list(expect))
    return questions


def open_kb(settings, encoder_name: str, views, folder: Path) -> tuple[KnowledgeBase, float]:
    s = dataclasses.replace(settings, encoder=encoder_name, views=tuple(views), index_dir=folder)
    source = load_source(s.source_dir)
    encoder = make_encoder(s.encoder, s.model, s.threads, s.weights)
    started = time.perf_counter()
    index, _ = build(source, encoder, folder, s.views, full=True)
    return KnowledgeBase(s, source, index, encoder), time.perf_counter() - started


def retrieval_metrics(ranked: list[list[str]], questions: list[dict]) -> dict:
    pairs = [(r, q["accept"]) for r, q in zip(ranked, questions) if q["accept"]]
    ranks = [next((i + 1 for i, eid in enumerate(r) if eid in accept), None) for r, accept in pairs]
    n = len(ranks)
    return {
        "answerable": n,
        "top1": sum(1 for x in ranks if x == 1) / n,
        "top3": sum(1 for x in ranks if x and x <= 3) / n,
        "mrr": sum(1 / x for x in ranks if x) / n,
    }


def decision_metrics(all_hits, questions, settings) -> dict:
    counts = {"answered_right": 0, "offered_right": 0, "wrongly_answered": 0,
              "none_declined": 0, "none_offered": 0, "missed": 0}
    for hits, q in zip(all_hits, questions):
        d = decide_from_hits(hits[: settings.k], settings)
        ids = [h.id for h in d.hits]
        if d.action == "answer":
            counts["answered_right" if ids[0] in q["accept"] else "wrongly_answered"] += 1
        elif not q["accept"]:
            counts["none_declined" if d.action == "none" else "none_offered"] += 1
        elif d.action == "offer" and set(q["accept"]) & set(ids):
            counts["offered_right"] += 1
        else:
            counts["missed"] += 1
    total = len(questions)
    return {**counts, "total": total, **{f"{k}_rate": v / total for k, v in counts.items()}}


def evaluate(encoder_name: str, settings, questions, views) -> tuple[dict, list]:
    with tempfile.TemporaryDirectory() as tmp:
        kb, build_s = open_kb(settings, encoder_name, views, Path(tmp))
        started = time.perf_counter()
        all_hits = kb.search_many([q["q"] for q in questions], DEPTH)
        search_ms = (time.perf_counter() - started) * 1000 / len(questions)
    ranked = [[h.id for h in hits] for hits in all_hits]
    result = {"encoder": encoder_name, "encoder_fingerprint": kb.encoder.name, "views": list(views),
              "build_seconds": round(build_s, 2), "search_ms_per_question": round(search_ms, 2),
              **retrieval_metrics(ranked, questions),
              "decision": decision_metrics(all_hits, questions, settings)}
    return result, all_hits


def sweep(all_hits, questions, settings) -> list[dict]:
    """Decision outcomes over a grid of thresholds: the data the settings were chosen on."""
    rows = []
    for answer in [x / 100 for x in range(70, 96, 2)]:
        for margin in (0.0, 0.01, 0.02, 0.03, 0.04, 0.06):
            for offer in [x / 100 for x in range(55, 81, 5)]:
                if offer > answer:
                    continue
                s = dataclasses.replace(settings, answer_threshold=answer, offer_threshold=offer, margin=margin)
                rows.append({"answer": answer, "margin": margin, "offer": offer,
                             **decision_metrics(all_hits, questions, s)})
    return rows


def cross_validate(settings, questions) -> dict:
    """How well do the use+e5 weights and answer_weight generalise? Pick them on one half of the
    answerable questions, measure top-1 on the other half, and swap. Scores are computed as in
    index.py (per-model best phrasing, plus answer_weight * question+answer cosine) in numpy,
    so the 49 combinations need one encoding pass, not 49 index builds."""
    entries = list(load_source(settings.source_dir).entries)
    answerable = [q for q in questions if q["accept"]]
    position = {e.id: i for i, e in enumerate(entries)}
    accept = [{position[a] for a in q["accept"]} for q in answerable]
    phrasings = [(i, t) for i, e in enumerate(entries) for t in (e.question, *e.alternatives)]
    starts = np.searchsorted([i for i, _ in phrasings], np.arange(len(entries)))
    scores = {}
    for name in ("use", "e5"):
        enc = make_encoder(name, threads=settings.threads)
        q = enc.encode([x["q"] for x in answerable], QUERY)
        best = np.maximum.reduceat(q @ enc.encode([t for _, t in phrasings], QUERY).T, starts, axis=1)
        answer = q @ enc.encode([f"{e.question}\n{e.answer}" for e in entries], PASSAGE).T
        scores[name] = (best, answer)

    def top1(w_use: float, lam: float, rows: np.ndarray) -> float:
        fused = sum(w * (scores[n][0] + lam * scores[n][1]) for n, w in (("use", w_use), ("e5", 1 - w_use)))
        picks = fused.argmax(axis=1)
        return float(np.mean([picks[i] in accept[i] for i in np.flatnonzero(rows)]))

    grid = [(round(float(w), 1), lam) for w in np.arange(0.2, 0.81, 0.1) for lam in (0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7)]
    even = np.arange(len(answerable)) % 2 == 0
    folds, held_out = [], 0.0
    for train, test in ((even, ~even), (~even, even)):
        w, lam = max(grid, key=lambda g: top1(*g, train))
        folds.append({"weights": [w, round(1 - w, 1)], "answer_weight": lam,
                      "train_top1": top1(w, lam, train), "held_out_top1": top1(w, lam, test)})
        held_out += top1(w, lam, test) * test.sum()
    result = {"folds": folds, "held_out_top1": held_out / len(answerable)}
    print(f"2-fold cross-validation of use+e5 weights and answer_weight: held-out top-1 "
          f"{result['held_out_top1']:.3f} (" + "; ".join(
              f"picked {f['weights']}/{f['answer_weight']}: train {f['train_top1']:.3f}, held out "
              f"{f['held_out_top1']:.3f}" for f in folds) + ")")
    return result


def print_result(r: dict) -> None:
    d = r["decision"]
    print(f"{r['encoder']:8s} top1 {r['top1']:.3f}  top3 {r['top3']:.3f}  MRR {r['mrr']:.3f}  | "
          f"answered right {d['answered_right_rate']:.3f}  offered right {d['offered_right_rate']:.3f}  "
          f"wrongly answered {d['wrongly_answered_rate']:.3f}  (no-answer declined {d['none_declined']}, "
          f"offered {d['none_offered']}; missed {d['missed']})  build {r['build_seconds']}s, "
          f"search {r['search_ms_per_question']} ms/q")


def print_misses(all_hits, questions) -> None:
    for hits, q in zip(all_hits, questions):
        top = hits[0] if hits else None
        if q["accept"] and (top is None or top.id not in q["accept"]):
            got = f"{top.id} {top.score:.3f}" if top else "-"
            print(f"   miss: {q['q']}  expected {q['expect']}, got {got}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--encoders", default=",".join(DEFAULT_ENCODERS))
    p.add_argument("--views", default=None, help="comma-separated; default from settings")
    p.add_argument("--weights", default=None, help="use+e5 weights, e.g. 0.5,0.5; default from settings")
    p.add_argument("--answer-weight", type=float, default=None, help="default from settings")
    p.add_argument("--questions", type=Path, default=ROOT / "eval" / "kb_questions.yml")
    p.add_argument("--report", type=Path, default=ROOT / "reports" / "kb_eval.json")
    p.add_argument("--sweep", action="store_true", help="also print a threshold sweep for each encoder")
    p.add_argument("--misses", action="store_true", help="list questions whose top-1 is wrong")
    p.add_argument("--cv", action="store_true", help="cross-validate the use+e5 fusion parameters")
    args = p.parse_args(argv)

    weights = tuple(float(w) for w in args.weights.split(",")) if args.weights else None
    settings = load_settings(weights=weights, answer_weight=args.answer_weight)
    views = args.views.split(",") if args.views else list(settings.views)
    questions = load_questions(args.questions)
    print(f"{len(questions)} questions ({sum(q['expect'] == 'none' for q in questions)} without an answer); "
          f"thresholds answer={settings.answer_threshold} offer={settings.offer_threshold} "
          f"margin={settings.margin}; views={views}; use+e5 weights={list(settings.weights)}; "
          f"answer_weight={settings.answer_weight}")
    report = {"questions": len(questions), "views": views, "weights": list(settings.weights),
              "answer_weight": settings.answer_weight,
              "thresholds": {"answer": settings.answer_threshold, "offer": settings.offer_threshold,
                             "margin": settings.margin},
              "results": []}
    for name in args.encoders.split(","):
        result, all_hits = evaluate(name, settings, questions, views)
        print_result(result)
        if args.misses:
            print_misses(all_hits, questions)
        if args.sweep:
            result["sweep"] = sweep(all_hits, questions, settings)
            print_sweep(result["sweep"])
        report["results"].append(result)
    if args.cv:
        report["cross_validation"] = cross_validate(settings, questions)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"report: {args.report}")
    return 0


def print_sweep(rows: list[dict]) -> None:
    """The settings worth considering: at most 3% wrongly answered, most answered right first."""
    ok = [r for r in rows if r["wrongly_answered_rate"] <= 0.03]
    ok.sort(key=lambda r: (-r["answered_right"], -r["none_declined"], r["missed"]))
    print("   answer margin offer | ans.right off.right wrong | no-answer declined/offered | missed")
    for r in ok[:25]:
        print(f"   {r['answer']:.2f}  {r['margin']:.2f}  {r['offer']:.2f}  |  {r['answered_right_rate']:.3f}    "
              f"{r['offered_right_rate']:.3f}   {r['wrongly_answered_rate']:.3f} | "
              f"{r['none_declined']:3d}/{r['none_offered']:3d} | {r['missed']}")


if __name__ == "__main__":
    sys.exit(main())
