"""NLU accuracy on the held-out set eval/nlu_heldout.yml, which training never sees.

Runs in the Rasa environment (make eval). Parses every example with the trained model, including
the emergency safety net, and prints per-intent precision, recall and F1, the macro F1 over the
five request types, emergency recall and the confusion matrix; writes them to reports/nlu_eval.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUEST_TYPES = ["consult", "seek_help", "complain", "report", "suggest"]


def load_examples(path: Path) -> List[Tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data
    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


async def predict(model: Path, texts: List[str]) -> List[str]:
    from rasa.core.agent import Agent
    agent = Agent.load(str(model))
    predictions = []
    for i, text in enumerate(texts, 1):
        predictions.append((await agent.parse_message(text))["intent"]["name"])
        if i % 100 == 0:
            print(f"  已解析 {i}/{len(texts)}", file=sys.stderr)
    return predictions


def per_intent(gold: List[str], pred: List[str]) -> Dict[str, Dict[str, float]]:
    scores = {}
    for intent in sorted(set(gold)):
        tp = sum(g == p == intent for g, p in zip(gold, pred))
        fp = sum(p == intent and g != intent for g, p in zip(gold, pred))
        fn = sum(g == intent and p != intent for g, p in zip(gold, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return scores


def emergency_recall(gold: List[str], pred: List[str]) -> Tuple[float, float, int]:
    """Share of emergencies recognised as any emergency, and as the right kind."""
    pairs = [(g, p) for g, p in zip(gold, pred) if g.startswith("emergency")]
    if not pairs:
        return 0.0, 0.0, 0
    any_kind = sum(p.startswith("emergency") for _, p in pairs) / len(pairs)
    same_kind = sum(g == p for g, p in pairs) / len(pairs)
    return any_kind, same_kind, len(pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "hotline.tar.gz"))
    parser.add_argument("--data", default=str(ROOT / "eval" / "nlu_heldout.yml"))
    parser.add_argument("--out", default=str(ROOT / "reports" / "nlu_eval.json"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog   # Rasa 3.6 logs every parse through structlog at debug level
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    examples = load_examples(Path(args.data))
    print(f"held-out examples: {len(examples)} from {args.data}")
    gold = [intent for _, intent in examples]
    pred = asyncio.run(predict(Path(args.model), [text for text, _ in examples]))
    scores = per_intent(gold, pred)
    macro_f1 = sum(scores[t]["f1"] for t in REQUEST_TYPES) / len(REQUEST_TYPES)
    any_kind, same_kind, n_emergency = emergency_recall(gold, pred)
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    confusion = defaultdict(Counter)
    for g, p in zip(gold, pred):
        confusion[g][p] += 1

    print(f"\n{'intent':<30}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>5}")
    for intent, s in scores.items():
        print(f"{intent:<30}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>5}")
    print(f"\naccuracy (all intents): {accuracy:.3f}")
    print(f"macro F1, five request types: {macro_f1:.3f}   (aim ≥ 0.95)")
    print(f"emergency recall, any emergency: {any_kind:.3f}, right number: {same_kind:.3f} "
          f"on {n_emergency} cases   (aim 1.0)")
    print("\nconfusions (true -> predicted: count):")
    for g in sorted(confusion):
        wrong = {p: n for p, n in confusion[g].items() if p != g}
        if wrong:
            print(f"  {g} -> " + ", ".join(f"{p}: {n}" for p, n in sorted(wrong.items(), key=lambda x: -x[1])))
    misses = [{"text": t, "gold": g, "predicted": p} for (t, g), p in zip(examples, pred) if g != p]

    report = {"examples": len(gold), "accuracy": accuracy, "macro_f1_request_types": macro_f1,
              "emergency_recall_any": any_kind, "emergency_recall_kind": same_kind, "per_intent": scores,
              "confusion": {g: dict(c) for g, c in confusion.items()}, "misses": misses}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nreport written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
