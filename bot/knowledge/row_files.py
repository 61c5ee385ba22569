"""Sentence-embedding rows kept on disk between runs, keyed by a hash of their text.

The router (bot/routing/neighbours.py) and hotspots (bot/office/hotspot_embeddings.py) both encode
the same kind of texts again and again; each keeps its rows in one .npz file per encoder. The file
is written beside and renamed, so a reader never sees half of it; an unreadable or unwritable file
only costs the time to encode again.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Dict, Optional

import numpy as np

logger = logging.getLogger(__name__)


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_rows(path: Optional[Path], what: str) -> Dict[str, np.ndarray]:
    """The rows in the file, {} when there is none or it cannot be read (what: for the log line)."""
    if path is None or not path.exists():
        return {}
    try:
        with np.load(path) as data:
            return dict(zip(data["keys"].tolist(), data["rows"]))
    except (OSError, ValueError, KeyError):
        logger.warning("%s %s unreadable; rebuilding it", what, path)
        return {}


def save_rows(path: Optional[Path], rows: Dict[str, np.ndarray], what: str) -> None:
    """All the rows written to the file at once; on failure they are kept in memory only."""
    if path is None or not rows:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(rows)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as out:
            np.savez(out, keys=np.array(keys), rows=np.stack([rows[k] for k in keys]))
        os.replace(tmp, path)
    except OSError:
        logger.warning("%s %s not writable; rows kept in memory only", what, path)
