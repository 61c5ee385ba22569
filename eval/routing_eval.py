"""Evaluate dispatch (智能派单) for `make eval`: the routers compared, the kept one in detail.

Sets (none is learned from; the script refuses to run when one shares a text with the training data):
  eval/routing_cases.yml            development set, written with the catalogue in mind (239)
  eval/routing_heldout_voices.yml   held-out set in other voices: letters, dialect, transcripts,
                                    place-only, multi-department (257); the figure issue 16 is judged on
  eval/routing_multi_dev.yml        development set for the co-handler rule (multi and single cases)

Prints the comparison table (5-fold cross-validation on the training files, the development set,
the held-out set), then for the kept router: accuracy at each coverage level and at the operating
point (router.abstain_below), calibration, accuracy per voice and per department, the
confusions, co-handler precision and recall, territory (属地) accuracy and time per request.
"Topic-consistent" counts a suggestion right when it is the lead or one of the co-handlers a
careful seat would name (the held-out multi cases list them under `also`).

    .venv/bin/python eval/routing_eval.py               # everything above, writes reports/routing_eval.json
    .venv/bin/python eval/routing_eval.py --calibrate   # plus calibration and operating point fitted by CV
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.routing import Router, load_catalogue  # noqa: E402
from bot.routing.neighbours import Labelled  # noqa: E402
from bot.routing.text import normalize, runs  # noqa: E402
from bot.routing.training import labelled_examples  # noqa: E402
from eval.routing_candidates import BEFORE, CANDIDATES, KEPT, variant  # noqa: E402

CASES = ROOT / "eval" / "routing_cases.yml"
HELDOUT = ROOT / "eval" / "routing_heldout_voices.yml"
MULTI_DEV = ROOT / "eval" / "routing_multi_dev.yml"
REPORT = ROOT / "reports" / "routing_eval.json"
FOLDS = 5
COVERAGES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5)
TARGET_COVERAGE = 0.85     # the operating point dispatches this share automatically (issue 16: >= 95% at >= 85%)


def load_cases(path: Path) -> List[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"] if path.exists() else []


def _key(text: str) -> str:
    return "".join(runs(normalize(text)))


def leaked(cases: Sequence[dict], training: Sequence[Tuple[str, str]]) -> List[str]:
    """Eval texts that also appear (after normalisation) in the training data."""
    seen = {_key(t) for t, _ in training}
    return [c["text"] for c in cases if _key(c["text"]) in seen]


# ----------------------------------------------------------------------------------- measures

def topic(case: dict) -> set:
    return {case["department"], *(case.get("also") or [])}


def scores(probs: np.ndarray, labels: Sequence[str], cases: Sequence[dict]) -> dict:
    top = np.argsort(-probs, axis=1)
    best = [labels[i] for i in top[:, 0]]
    return {
        "cases": len(cases),
        "accuracy": float(np.mean([b == c["department"] for b, c in zip(best, cases)])),
        "topic_accuracy": float(np.mean([b in topic(c) for b, c in zip(best, cases)])),
        "top3_accuracy": float(np.mean([c["department"] in {labels[i] for i in row[:3]} for row, c in zip(top, cases)])),
    }


def coverage_curve(confidence: np.ndarray, right: np.ndarray, threshold: float) -> dict:
    """Accuracy when only the surest share of requests is dispatched automatically."""
    order = np.argsort(-confidence, kind="stable")
    curve = []
    for share in COVERAGES:
        n = max(1, int(round(share * len(order))))
        curve.append({"coverage": share, "accuracy": float(right[order[:n]].mean()),
                      "threshold": float(confidence[order[n - 1]])})
    sure = confidence >= threshold
    return {"curve": curve, "operating_point": {
        "threshold": threshold, "coverage": float(sure.mean()),
        "accuracy": float(right[sure].mean()) if sure.any() else None}}


def calibration(confidence: np.ndarray, right: np.ndarray, bins: int = 5) -> dict:
    """Expected calibration error: how far the stated confidence is from the observed accuracy."""
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence >= lo) & ((confidence < hi) if hi < 1 else (confidence <= hi))
        if inside.any():
            ece += inside.mean() * abs(confidence[inside].mean() - right[inside].mean())
    return {"mean_confidence": float(confidence.mean()), "accuracy": float(right.mean()), "ece": float(ece)}


# ------------------------------------------------------------------------------ the comparison

def split_training(catalogue) -> Tuple[List[Labelled], List[Labelled]]:
    everything = labelled_examples(catalogue)
    return [e for e in everything if e.source == "catalogue"], [e for e in everything if e.source != "catalogue"]


def out_of_fold(build, catalogue, base: List[Labelled], requests: List[Labelled], seed: int = 0):
    """Probabilities of every training request from a router that never saw it (catalogue kept)."""
    shuffled = requests[:]
    random.Random(seed).shuffle(shuffled)
    probs, gold = [], []
    for fold in range(FOLDS):
        router = build(catalogue, base + [x for i, x in enumerate(shuffled) if i % FOLDS != fold])
        held = shuffled[fold::FOLDS]
        probs.append(router.probabilities([e.text for e in held])[0])
        gold += [{"department": e.department} for e in held]
    return np.vstack(probs), gold


def compare(catalogue, sets: Dict[str, List[dict]], say=print) -> Dict[str, dict]:
    labels = [d.id for d in catalogue.departments]
    base, requests = split_training(catalogue)
    table: Dict[str, dict] = {}
    for name, build in CANDIDATES.items():
        started = time.perf_counter()
        oof, gold = out_of_fold(build, catalogue, base, requests)
        router = build(catalogue, base + requests)
        row = {"cv": scores(oof, labels, gold)}
        for set_name, cases in sets.items():
            row[set_name] = scores(router.probabilities([c["text"] for c in cases])[0], labels, cases)
        row["seconds"] = time.perf_counter() - started
        table[name] = row
        say(f"  已评测：{name}（{row['seconds']:.0f} 秒）", file=sys.stderr)
    return table


# --------------------------------------------------------------------------- the kept router

def detail(router: Router, catalogue, cases: List[dict], multi_dev: List[dict]) -> dict:
    labels = list(router.classifier.labels)
    started = time.perf_counter()
    decisions = [router.route(c["text"]) for c in cases]
    ms = (time.perf_counter() - started) * 1000 / max(len(cases), 1)
    confidence = np.array([d.confidence for d in decisions])
    right = np.array([d.department.id in topic(c) for d, c in zip(decisions, cases)], dtype=float)
    strict = np.array([d.department.id == c["department"] for d, c in zip(decisions, cases)], dtype=float)
    threshold = catalogue.router.abstain_below
    per_voice: Dict[str, List[float]] = defaultdict(list)
    per_dept: Dict[str, List[float]] = defaultdict(list)
    for case, ok in zip(cases, right):
        per_voice[case.get("voice", "-")].append(ok)
        per_dept[case["department"]].append(ok)
    confusions = Counter((c["department"], d.department.id) for d, c, ok in zip(decisions, cases, right) if not ok)
    return {
        "topic_accuracy": float(right.mean()), "accuracy": float(strict.mean()),
        "coverage": coverage_curve(confidence, right, threshold),
        "coverage_strict": coverage_curve(confidence, strict, threshold),
        "calibration": calibration(confidence, right),
        "per_voice": {v: {"cases": len(x), "accuracy": float(np.mean(x))} for v, x in sorted(per_voice.items())},
        "per_department": {d: {"cases": len(x), "accuracy": float(np.mean(x))} for d, x in sorted(per_dept.items())},
        "confusions": [{"expected": e, "predicted": p, "count": n} for (e, p), n in confusions.most_common()],
        "co_handlers": {"held_out": co_handler_scores(decisions, cases),
                        "multi_dev": co_handler_scores([router.route(c["text"]) for c in multi_dev], multi_dev)},
        "territory": territory_scores(router, cases),
        "ms_per_request": ms,
        "labels": labels,
    }


def co_handler_scores(decisions, cases: List[dict]) -> Optional[dict]:
    """Precision and recall of the suggested co-handlers. The departments a co-handler may rightly
    be are the case's topic (lead and `also`) less the lead the router chose: when the router leads
    with a seat's co-handler, naming the seat's lead as co-handler is right too."""
    pairs = [(d, c) for d, c in zip(decisions, cases) if "also" in c or c.get("voice") != "multi"]
    if not pairs:
        return None
    truth = [topic(c) - {d.department.id} for d, c in pairs]
    suggested = sum(len(d.co_handlers) for d, _ in pairs)
    expected = sum(len(t) for t, (_, c) in zip(truth, pairs) if c.get("also"))
    hit = sum(len({s.id for s in d.co_handlers} & t) for t, (d, _) in zip(truth, pairs))
    single = [d for d, c in pairs if not c.get("also")]
    return {"cases": len(pairs), "suggested": suggested, "expected": expected,
            "precision": hit / suggested if suggested else None, "recall": hit / expected if expected else None,
            "single_with_co_handlers": sum(1 for d in single if d.co_handlers) / len(single) if single else None}


def territory_scores(router: Router, cases: List[dict]) -> dict:
    found = [router.territory(c["text"]) for c in cases]
    right = [(t.id if t else None) == c.get("territory") for t, c in zip(found, cases)]
    return {"accuracy": float(np.mean(right)), "named": sum(1 for c in cases if c.get("territory")),
            "errors": [{"text": c["text"][:40], "expected": c.get("territory"), "found": t.id if t else None}
                       for t, c, ok in zip(found, cases, right) if not ok]}


def fit_calibration(router: Router, catalogue) -> dict:
    """Fitted on out-of-fold predictions of the training requests, never on an evaluation set: the
    calibration temperature with the lowest NLL, and the operating point — the confidence above
    which TARGET_COVERAGE of the requests are dispatched automatically — with its CV accuracy."""
    base, requests = split_training(catalogue)
    oof, gold = out_of_fold(lambda c, ex: Router.build(c, examples=ex), catalogue, base, requests)
    labels = list(router.classifier.labels)
    y = np.array([labels.index(g["department"]) for g in gold])
    logits = catalogue.router.calibration * np.log(oof + 1e-12)    # undo the configured temperature
    best = min((_nll(logits / t, y), float(t)) for t in np.round(np.geomspace(0.3, 5, 120), 3))
    probs = _softmax(logits / best[1])
    confidence, right = probs.max(axis=1), (probs.argmax(axis=1) == y).astype(float)
    threshold = round(float(np.quantile(confidence, 1 - TARGET_COVERAGE)), 2)
    sure = confidence >= threshold
    return {"calibration": best[1], "nll": best[0], "configured": catalogue.router.calibration,
            "abstain_below": threshold, "configured_abstain_below": catalogue.router.abstain_below,
            "cv_coverage": float(sure.mean()), "cv_accuracy": float(right[sure].mean()),
            "cv_accuracy_all": float(right.mean())}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _nll(z: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(np.log(_softmax(z)[np.arange(len(y)), y] + 1e-12)))


# ---------------------------------------------------------------------------------- printing

def print_table(table: Dict[str, dict]) -> None:
    print("派单模型对比（准确率 / 前三准确率；留出集另列话题一致率）")
    print(f"  {'模型':<22}{'5折交叉验证':>14}{'开发集':>14}{'留出集':>14}{'留出话题一致':>10}")
    for name, row in table.items():
        cv, dev, held = row["cv"], row.get("dev"), row.get("held_out")
        cells = [f"{cv['accuracy']:.1%}/{cv['top3_accuracy']:.1%}"]
        cells += [f"{x['accuracy']:.1%}/{x['top3_accuracy']:.1%}" if x else "-" for x in (dev, held)]
        cells.append(f"{held['topic_accuracy']:.1%}" if held else "-")
        print(f"  {name:<20}" + "".join(f"{c:>16}" for c in cells))


def print_detail(d: dict, names: Dict[str, str]) -> None:
    print(f"\n采用的路由在留出集上：话题一致 {d['topic_accuracy']:.1%}，牵头部门 {d['accuracy']:.1%}，"
          f"每条 {d['ms_per_request']:.0f} ms")
    print("  覆盖率-准确率（按置信度从高到低自动派单，其余转人工派单）：")
    for point, strict in zip(d["coverage"]["curve"], d["coverage_strict"]["curve"]):
        print(f"    覆盖 {point['coverage']:4.0%}  话题一致 {point['accuracy']:6.1%}  牵头 {strict['accuracy']:6.1%}"
              f"  （置信度 ≥ {point['threshold']:.2f}）")
    op, ops = d["coverage"]["operating_point"], d["coverage_strict"]["operating_point"]
    print(f"  工作点 abstain_below = {op['threshold']}：自动派单 {op['coverage']:.1%}，其中话题一致 "
          f"{op['accuracy'] or 0:.1%}，牵头 {ops['accuracy'] or 0:.1%}")
    c = d["calibration"]
    print(f"  置信度均值 {c['mean_confidence']:.2f}，实际准确率 {c['accuracy']:.2f}，ECE {c['ece']:.3f}")
    print("  各语体：" + "，".join(f"{v} {x['accuracy']:.0%}（{x['cases']}）" for v, x in d["per_voice"].items()))
    weak = sorted(d["per_department"].items(), key=lambda kv: kv[1]["accuracy"])[:8]
    print("  最弱的部门：" + "，".join(f"{names[k]} {v['accuracy']:.0%}（{v['cases']}）" for k, v in weak))
    print("  混淆（应派 → 实派 × 次数）：" + "；".join(
        f"{names[x['expected']]}→{names[x['predicted']]}×{x['count']}" for x in d["confusions"][:12]))
    for key, label in (("multi_dev", "协办开发集"), ("held_out", "留出集")):
        x = d["co_handlers"][key]
        if x:
            print(f"  协办建议（{label}，{x['cases']} 条）：建议 {x['suggested']} 个，应有 {x['expected']} 个，"
                  f"精确率 {_pct(x['precision'])}，召回率 {_pct(x['recall'])}，"
                  f"单部门事项被加协办 {_pct(x['single_with_co_handlers'])}")
    t = d["territory"]
    print(f"  属地准确率 {t['accuracy']:.1%}（{t['named']} 条提到本市地名，其余应为空）")


def _pct(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.0%}"


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="派单（智能派单）评测")
    parser.add_argument("--calibrate", action="store_true", help="用交叉验证拟合校准温度和工作点")
    parser.add_argument("--no-compare", action="store_true", help="只评测采用的路由，不做模型对比")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    catalogue = variant(load_catalogue(), learned_file=None)   # what the office taught is not evaluated here
    sets = {"dev": load_cases(CASES), "held_out": load_cases(HELDOUT)}
    multi_dev = load_cases(MULTI_DEV)
    training = [(e.text, e.department) for e in labelled_examples(catalogue)]
    overlap = [t for cases in (*sets.values(), multi_dev) for t in leaked(cases, training)]
    if overlap:
        print(f"错误：{len(overlap)} 条评测诉求也出现在训练数据中，评测无效：", *overlap[:10], sep="\n  ")
        return 1
    names = {d.id: d.name for d in catalogue.departments}
    report: Dict[str, object] = {}
    if not args.no_compare:
        report["comparison"] = compare(catalogue, sets)
        print_table(report["comparison"])
    router = Router.build(catalogue)
    report["dev"] = detail(router, catalogue, sets["dev"], [])
    report["held_out"] = detail(router, catalogue, sets["held_out"], multi_dev)
    print_detail(report["held_out"], names)
    if args.calibrate:
        fit = report["calibration_fit"] = fit_calibration(router, catalogue)
        print(f"\n交叉验证拟合：calibration = {fit['calibration']}（配置 {fit['configured']}），"
              f"abstain_below = {fit['abstain_below']}（配置 {fit['configured_abstain_below']}）："
              f"交叉验证中自动派单 {fit['cv_coverage']:.0%}，其准确率 {fit['cv_accuracy']:.1%}"
              f"（全部 {fit['cv_accuracy_all']:.1%}）")
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n报告已写入 {args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}"
          f"（对比中的“{BEFORE}”即改进前的做法，“{KEPT}”为现用）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
