"""Learning from the office's corrections (`hotline route retrain`).

Every reassignment and every accepted return is a labelled example (bot/tickets/corrections.py
finds them). They are added to what the router learns from, beside the catalogue's examples and the
training files, never instead of them — but only when they do not make the router worse on the
held-out requests (router.retrain_heldout). All new corrections are tried together first; when
that lowers accuracy, each is tried alone and the ones that lower it are reported, not applied
(a wrong label, or a one-off decision that contradicts the catalogue, should reach a person).

The accepted corrections are kept in router.learned_file (YAML, one entry per ticket, the latest
decision wins), which the router reads like a training file on its next build.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Protocol, Sequence

import yaml

from .catalogue import Catalogue
from .neighbours import Labelled
from .router import Router
from .training import labelled_examples, load_learned

MAX_ONE_BY_ONE = 200      # corrections tried alone when the batch hurts; beyond, the rest wait


class CorrectionLike(Protocol):
    number: str
    text: str
    department_id: str
    kind: str
    at: dt.datetime


@dataclass(frozen=True)
class Accuracy:
    right: int
    cases: int

    @property
    def share(self) -> float:
        return self.right / self.cases if self.cases else 0.0


@dataclass
class RetrainResult:
    before: Accuracy
    after: Accuracy
    known: int                                   # corrections learned before this run
    accepted: List[CorrectionLike] = field(default_factory=list)
    rejected: List[CorrectionLike] = field(default_factory=list)   # would lower held-out accuracy
    postponed: List[CorrectionLike] = field(default_factory=list)  # beyond MAX_ONE_BY_ONE
    written: Optional[Path] = None


def heldout_cases(catalogue: Catalogue) -> List[Dict[str, Any]]:
    """The held-out requests the gate measures on (router.retrain_heldout)."""
    known = {d.id for d in catalogue.departments}
    cases: List[Dict[str, Any]] = []
    for path in catalogue.router.retrain_heldout:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        cases += [c for c in data.get("cases") or [] if c.get("department") in known]
    return cases


def retrain(catalogue: Catalogue, corrections: Sequence[CorrectionLike], cases: Sequence[Dict[str, Any]],
            dry_run: bool = False, progress: Callable[[str], None] = lambda _: None) -> RetrainResult:
    """Learn the corrections that do not lower held-out accuracy; write the learned file unless dry_run."""
    path = catalogue.router.learned_file
    base = labelled_examples(replace(catalogue, router=replace(catalogue.router, learned_file=None)))
    learned = load_learned(path, catalogue)
    already = {e.ticket: e for e in learned}
    known = {d.id for d in catalogue.departments}
    new = [c for c in corrections if c.department_id in known and c.text.strip()
           and (c.number not in already or already[c.number].department != c.department_id)]
    kept = [e for e in learned if e.ticket not in {c.number for c in new}]   # a newer decision replaces
    measure = _measurer(catalogue, cases)
    progress(f"已学到的改派 {len(learned)} 条，新的 {len(new)} 条；留出集 {len(cases)} 条")
    before = measure(base + learned)
    result = RetrainResult(before, before, len(learned))
    if not new:
        return result
    accepted, rejected, postponed, together = _gate(measure, base + kept, new, before, progress)
    result.accepted, result.rejected, result.postponed = accepted, rejected, postponed
    # When every correction passed together, that measurement is already the figure after.
    result.after = together if len(accepted) == len(new) else measure(base + kept + [_labelled(c) for c in accepted])
    if not dry_run and accepted:
        result.written = write_learned(path, [*kept, *map(_labelled, accepted)], {c.number: c for c in accepted})
    return result


def _gate(measure, examples: List[Labelled], new: Sequence[CorrectionLike], before: Accuracy,
          progress: Callable[[str], None]):
    together = measure(examples + [_labelled(c) for c in new])
    progress(f"全部加入：留出集准确率 {before.share:.1%} → {together.share:.1%}")
    if together.right >= before.right:
        return list(new), [], [], together
    accepted, rejected = [], []
    for number, correction in enumerate(new[:MAX_ONE_BY_ONE], 1):
        alone = measure(examples + [_labelled(correction)])
        (accepted if alone.right >= before.right else rejected).append(correction)
        if number % 10 == 0:
            progress(f"逐条检验 {number}/{min(len(new), MAX_ONE_BY_ONE)}")
    return accepted, rejected, list(new[MAX_ONE_BY_ONE:]), together


def _measurer(catalogue: Catalogue, cases: Sequence[Dict[str, Any]]):
    texts = [c["text"] for c in cases]
    gold = [c["department"] for c in cases]

    def measure(examples: List[Labelled]) -> Accuracy:
        router = Router.build(catalogue, examples=examples)
        probs, _ = router.probabilities(texts) if texts else (None, None)
        labels = router.classifier.labels
        right = sum(labels[int(row.argmax())] == g for row, g in zip(probs, gold)) if texts else 0
        return Accuracy(right, len(texts))
    return measure


def _labelled(c: CorrectionLike) -> Labelled:
    return Labelled(c.text, c.department_id, "ticket", c.number)


def write_learned(path: Optional[Path], examples: Sequence[Labelled], fresh: Dict[str, CorrectionLike]) -> Path:
    """The learned file, written beside and renamed so a router never reads half of it."""
    if path is None:
        raise ValueError("router.learned_file 未配置，无法保存学到的改派")
    entries = []
    for e in examples:
        c = fresh.get(e.ticket or "")
        entry = {"number": e.ticket, "department": e.department, "text": e.text}
        if c is not None:
            entry.update(kind=c.kind, at=c.at.isoformat() if c.at else None)
        entries.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# 由 `hotline route retrain` 写入：热线办公室改派、退单后重新派单学到的样本。勿手工编辑。\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".yml")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(header + yaml.safe_dump({"corrections": entries}, allow_unicode=True, sort_keys=False))
    os.replace(tmp, path)
    return path
