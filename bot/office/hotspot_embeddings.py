"""Sentence embeddings of ticket texts for hotspots, encoded in batches and cached.

Encoding dominates a hotspot run (e5-small: about 100 short texts a second on two cores), and the
same history is analysed again and again (each morning, each period the office looks at), so rows
are kept in one .npz file per encoder, keyed by a hash of the text: a re-run encodes only the
tickets that are new since. The file is written beside and renamed, so a reader never sees half of
it; an unreadable or unwritable cache only costs time.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence

import numpy as np

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]    # (texts done, texts in all)
BATCH = 64


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


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
        if self.path is None or not self.path.exists():
            return {}
        try:
            with np.load(self.path) as data:
                return dict(zip(data["keys"].tolist(), data["rows"]))
        except (OSError, ValueError, KeyError):
            logger.warning("hotspot embedding cache %s unreadable; rebuilding it", self.path)
            return {}

    def _save(self) -> None:
        if self.path is None or not self._rows:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self._rows)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
            with os.fdopen(fd, "wb") as out:
                np.savez(out, keys=np.array(keys), rows=np.stack([self._rows[k] for k in keys]))
            os.replace(tmp, self.path)
        except OSError:
            logger.warning("hotspot embedding cache %s not writable; rows kept in memory only", self.path)


_SHARED: Dict[tuple, CachedEncoder] = {}
_SHARED_LOCK = threading.Lock()


def make_cached_encoder(name: str, folder: Optional[Path]) -> CachedEncoder:
    """One per encoder and folder in a process: the web server reads the cache file once."""
    with _SHARED_LOCK:
        if (name, folder) not in _SHARED:
            from bot.knowledge.encoders import make_encoder
            _SHARED[(name, folder)] = CachedEncoder(make_encoder(name), folder)
        return _SHARED[(name, folder)]
