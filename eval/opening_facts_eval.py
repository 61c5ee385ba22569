"""How well facts said in the opening are taken (bot/tickets/mentioned.py), on eval/opening_facts.yml.

For each slot: how many facts the openings hold, how many were taken right (the stored value and
the expected one name the same thing: one contains the other), taken wrong (a different value, or
a value where a seat would still ask), and missed. Precision matters most: a wrong fact is stored
on the ticket unless the citizen notices it in the summary; a missed one only costs a question.

    .venv/bin/python eval/opening_facts_eval.py
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.tickets.mentioned import SLOTS, mentioned_facts  # noqa: E402

CASES = ROOT / "eval" / "opening_facts.yml"


def same(expected: str, taken: str) -> bool:
    return expected in taken or taken in expected


def main() -> int:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    counts = {slot: Counter() for slot in SLOTS}
    wrong = []
    for case in cases:
        expected = {k: str(v) for k, v in (case.get("facts") or {}).items()}
        taken = mentioned_facts([case["text"]], SLOTS)
        for slot in SLOTS:
            want, got = expected.get(slot), taken.get(slot)
            counts[slot]["facts"] += bool(want)
            if got and want and same(want, got):
                counts[slot]["right"] += 1
            elif got:
                counts[slot]["wrong"] += 1
                wrong.append(f"  {slot}: {got!r} (期望 expected {want!r}) ← {case['text']}")
            elif want:
                counts[slot]["missed"] += 1
                wrong.append(f"  {slot}: 漏 missed {want!r} ← {case['text']}")
    print(f"开场白中的事实 facts in openings — {len(cases)} openings ({CASES.relative_to(ROOT)})")
    print(f"  {'slot':16}{'facts':>7}{'right':>7}{'wrong':>7}{'missed':>8}{'precision':>11}")
    total = Counter()
    for slot in SLOTS:
        c = counts[slot]
        total.update(c)
        taken = c["right"] + c["wrong"]
        precision = f"{c['right'] / taken:.0%}" if taken else "—"
        print(f"  {slot:16}{c['facts']:>7}{c['right']:>7}{c['wrong']:>7}{c['missed']:>8}{precision:>11}")
    taken = total["right"] + total["wrong"]
    print(f"  {'all':16}{total['facts']:>7}{total['right']:>7}{total['wrong']:>7}{total['missed']:>8}"
          f"{(total['right'] / taken if taken else 0):>11.0%}")
    print(f"  questions saved 省去的提问: {total['right']}；wrong facts 错取: {total['wrong']}")
    for line in wrong:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
