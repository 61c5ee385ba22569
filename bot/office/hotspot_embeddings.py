"""Sentence embeddings of ticket texts for hotspots, encoded in batches and cached.

Encoding dominates a hotspot run (e5-small: about 100 short texts a second on two cores), and the
same history is analysed again and again (each morning, each period the office looks at), so rows
are kept in one .npz file per encoder, keyed by a hash of the text: a re-run encodes only the
tickets that are new since (the file: bot/knowledge/row_files.py).
"""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence

import numpy as np

from bot.knowledge.row_files import load_rows, save_rows, text_key

Progress = Callable[[int, int], None]    # (texts done, texts in all)
BATCH = 64


class CachedEncoder:
    def __init__(self, encoder, folder: Optional[Path]):
        self.encoder = encoder
        slug = hashlib.sha1(encoder.name.encode("utf-8")).hexdigest()[:12]
        self.path = Path(folder) / f"hotspots-{slug}.npz" if folder else None
        self._rows: Dict[str, np.ndarray] = self._load()
        # The web server may run two hotspot requests at once: one encodes, the other waits.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], progress: Optional[Progress] = None) -> np.ndarray:
        """Unit rows for the texts, new ones encoded BATCH at a time with progress reported."""
        with self._lock:
            return self._encode(texts, progress)

    def _encode(self, texts: Sequence[str], progress: Optional[Progress]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        missing = list({k: t for k, t in zip(keys, texts) if k not in self._rows}.items())
        for done in range(0, len(missing), BATCH):
            chunk = missing[done:done + BATCH]
            rows = self.encoder.encode([t for _, t in chunk])
            self._rows.update({k: r for (k, _), r in zip(chunk, rows)})
            if progress:
                progress(min(done + BATCH, len(missing)), len(missing))
        if missing:
            self._save()
        if not texts:
            return np.zeros((0, getattr(self.encoder, "dim", 1)), np.float32)
        return np.asarray([self._rows[k] for k in keys], np.float32)

    def _load(self) -> Dict[str, np.ndarray]:
        return load_rows(self.path, "hotspot embedding cache")

    def _save(self) -> None:
        save_rows(self.path, self._rows, "hotspot embedding cache")


_SHARED: Dict[tuple, CachedEncoder] = {}
_SHARED_LOCK = threading.Lock()


def make_cached_encoder(name: str, folder: Optional[Path]) -> CachedEncoder:
    """One per encoder and folder in a process: the web server reads the cache file once."""
    with _SHARED_LOCK:
        if (name, folder) not in _SHARED:
            from bot.knowledge.encoders import make_encoder
            _SHARED[(name, folder)] = CachedEncoder(make_encoder(name), folder)
        return _SHARED[(name, folder)]
