"""Evaluate the router (智能派单) on eval/routing_cases.yml (`make eval`).

Prints accuracy, top-2 accuracy, per-department accuracy, the confusions, territory (属地)
accuracy, how well the confidence is calibrated and the time per request; writes
reports/routing_eval.json. The cases are held out: the script refuses to count a case whose text
is also in the training data.

    .venv/bin/python eval/routing_eval.py               # the held-out set
    .venv/bin/python eval/routing_eval.py --cv          # plus 5-fold cross-validation on the training file
    .venv/bin/python eval/routing_eval.py --calibrate   # plus the softmax temperature fitted by CV
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.routing import Router, load_catalogue  # noqa: E402
from bot.routing.classifier import CentroidClassifier, Features, softmax  # noqa: E402
from bot.routing.text import normalize, runs  # noqa: E402
from bot.routing.training import catalogue_examples, load_requests  # noqa: E402

CASES = ROOT / "eval" / "routing_cases.yml"
REPORT = ROOT / "reports" / "routing_eval.json"
FOLDS = 5


def load_cases(path: Path) -> List[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def _key(text: str) -> str:
    return "".join(runs(normalize(text)))


def leaked(cases: Sequence[dict], training: Sequence[Tuple[str, str]]) -> List[str]:
    """Eval texts that also appear (after normalisation) in the training data."""
    seen = {_key(t) for t, _ in training}
    return [c["text"] for c in cases if _key(c["text"]) in seen]


# ------------------------------------------------------------------------------ held-out set

def evaluate(router: Router, cases: Sequence[dict]) -> dict:
    rows, times = [], []
    for case in cases:
        started = time.perf_counter()
        ranked = router.rank(case["text"])
        territory = router.territory(case["text"])
        times.append((time.perf_counter() - started) * 1000)
        rows.append({"text": case["text"], "expect": case["department"],
                     "ranked": [s.id for s in ranked[:2]], "confidence": ranked[0].confidence,
                     "territory_expect": case.get("territory"),
                     "territory": territory.id if territory else None})
    return summarise(rows, times, router.catalogue.router.review_below)


def summarise(rows: List[dict], times: List[float], review_below: float) -> dict:
    n = len(rows)
    right = [r["ranked"][0] == r["expect"] for r in rows]
    per_dept: Dict[str, List[bool]] = defaultdict(list)
    for r, ok in zip(rows, right):
        per_dept[r["expect"]].append(ok)
    confusions = Counter((r["expect"], r["ranked"][0]) for r, ok in zip(rows, right) if not ok)
    sure = [ok for r, ok in zip(rows, right) if r["confidence"] >= review_below]
    return {
        "cases": n,
        "accuracy": sum(right) / n,
        "top2_accuracy": sum(r["expect"] in r["ranked"] for r in rows) / n,
        "per_department": {d: {"cases": len(v), "accuracy": sum(v) / len(v)} for d, v in sorted(per_dept.items())},
        "confusions": [{"expected": e, "predicted": p, "count": c} for (e, p), c in confusions.most_common()],
        "territory_accuracy": sum(r["territory"] == r["territory_expect"] for r in rows) / n,
        "territory_named": sum(1 for r in rows if r["territory_expect"]),
        "calibration": calibration([r["confidence"] for r in rows], right),
        "review": {"threshold": review_below, "share_confident": len(sure) / n,
                   "accuracy_when_confident": (sum(sure) / len(sure)) if sure else None},
        "ms_per_request": {"median": statistics.median(times), "max": max(times)},
        "errors": [{"text": r["text"], "expected": r["expect"], "predicted": r["ranked"][0],
                    "confidence": round(r["confidence"], 3)} for r, ok in zip(rows, right) if not ok],
        "territory_errors": [{"text": r["text"], "expected": r["territory_expect"], "found": r["territory"]}
                             for r in rows if r["territory"] != r["territory_expect"]],
    }


def calibration(confidences: Sequence[float], right: Sequence[bool], bins: int = 5) -> dict:
    """Expected calibration error: how far the stated confidence is from the observed accuracy."""
    conf, ok = np.asarray(confidences), np.asarray(right, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    table, ece = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if inside.any():
            gap = abs(conf[inside].mean() - ok[inside].mean())
            ece += inside.mean() * gap
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "cases": int(inside.sum()),
                          "mean_confidence": float(conf[inside].mean()), "accuracy": float(ok[inside].mean())})
    return {"mean_confidence": float(conf.mean()), "ece": float(ece), "bins": table}


# ---------------------------------------------------------------------- cross-validation on training

def out_of_fold(catalogue, seed: int = 0) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Similarities of every training request to every department, from a router that never saw it."""
    cfg = catalogue.router
    requests = load_requests(cfg.training_files, catalogue)
    random.Random(seed).shuffle(requests)
    labels = [d.id for d in catalogue.departments]
    features = Features(cfg.ngram_min, cfg.ngram_max, cfg.filler_phrases)
    sims, gold = [], []
    for fold in range(FOLDS):
        train = catalogue_examples(catalogue) + [x for i, x in enumerate(requests) if i % FOLDS != fold]
        router = Router(catalogue, CentroidClassifier.fit(train, labels, features))
        for text, dept in requests[fold::FOLDS]:
            sims.append(router.similarities(text))
            gold.append(labels.index(dept))
    return np.array(sims), np.array(gold), labels


def cv_metrics(sims: np.ndarray, gold: np.ndarray) -> dict:
    top = np.argsort(-sims, axis=1)
    return {"requests": len(gold), "folds": FOLDS, "accuracy": float((top[:, 0] == gold).mean()),
            "top2_accuracy": float((top[:, :2] == gold[:, None]).any(axis=1).mean())}


def fit_temperature(sims: np.ndarray, gold: np.ndarray) -> Tuple[float, float]:
    """The softmax temperature with the lowest negative log-likelihood of the right department."""
    best = (float("inf"), 0.0)
    for t in np.round(np.geomspace(0.005, 0.5, 200), 4):
        nll = -np.mean([np.log(softmax(s, t)[g] + 1e-12) for s, g in zip(sims, gold)])
        best = min(best, (float(nll), float(t)))
    return best[1], best[0]


# ----------------------------------------------------------------------------------------- output

def names(catalogue) -> Dict[str, str]:
    return {d.id: d.name for d in catalogue.departments}


def print_report(report: dict, catalogue) -> None:
    r, name = report["held_out"], names(catalogue)
    print(f"路由评测：{r['cases']} 条留出诉求（{CASES.relative_to(ROOT)}）")
    print(f"  准确率 accuracy        {r['accuracy']:.1%}")
    print(f"  前二准确率 top-2       {r['top2_accuracy']:.1%}")
    print(f"  属地准确率 territory   {r['territory_accuracy']:.1%}（{r['territory_named']} 条提到地名，其余应为 null）")
    c, rv = r["calibration"], r["review"]
    print(f"  置信度 mean {c['mean_confidence']:.2f}，ECE {c['ece']:.3f}；置信度 ≥ {rv['threshold']} 的占 "
          f"{rv['share_confident']:.0%}，其中准确率 {rv['accuracy_when_confident'] or 0:.1%}")
    print(f"  每条耗时 median {r['ms_per_request']['median']:.2f} ms，max {r['ms_per_request']['max']:.2f} ms；"
          f"构建 {report['build_seconds']:.2f} s")
    print("\n各部门准确率：")
    for dept, v in sorted(r["per_department"].items(), key=lambda kv: kv[1]["accuracy"]):
        print(f"  {v['accuracy']:6.0%}  ({v['cases']:2d})  {name[dept]}")
    print("\n混淆（应派 → 实派 × 次数）：")
    for item in r["confusions"]:
        print(f"  {name[item['expected']]} → {name[item['predicted']]} × {item['count']}")
    if r["territory_errors"]:
        print("\n属地错误：")
        for e in r["territory_errors"]:
            print(f"  {e['text'][:30]}  应为 {e['expected']}，得到 {e['found']}")
    for key, label in (("catalogue_only", "只用部门目录（不含训练文件）"), ("cv", f"{FOLDS} 折交叉验证（训练文件）")):
        if key in report:
            x = report[key]
            print(f"\n{label}：accuracy {x['accuracy']:.1%}，top-2 {x['top2_accuracy']:.1%}")
    if "calibration_fit" in report:
        f = report["calibration_fit"]
        print(f"\n交叉验证拟合的温度 temperature = {f['temperature']}（NLL {f['nll']:.3f}；"
              f"配置中为 {f['configured']}）")


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="路由（智能派单）评测")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--cv", action="store_true", help="另做训练文件上的交叉验证")
    parser.add_argument("--calibrate", action="store_true", help="用交叉验证拟合 softmax 温度")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    catalogue = load_catalogue()
    cases = load_cases(args.cases)
    training = catalogue_examples(catalogue) + load_requests(catalogue.router.training_files, catalogue)
    overlap = leaked(cases, training)
    if overlap:
        print(f"错误：{len(overlap)} 条评测诉求也出现在训练数据中，评测无效：", *overlap[:10], sep="\n  ")
        return 1
    started = time.perf_counter()
    router = Router.build(catalogue)
    report = {"build_seconds": time.perf_counter() - started, "held_out": evaluate(router, cases)}
    report["catalogue_only"] = {k: v for k, v in evaluate(Router.build(catalogue, extra_training=False), cases).items()
                                if k in ("accuracy", "top2_accuracy")}
    if args.cv or args.calibrate:
        sims, gold, _ = out_of_fold(catalogue)
        report["cv"] = cv_metrics(sims, gold)
        if args.calibrate:
            t, nll = fit_temperature(sims, gold)
            report["calibration_fit"] = {"temperature": t, "nll": nll, "configured": catalogue.router.temperature}
    print_report(report, catalogue)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n报告已写入 {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
