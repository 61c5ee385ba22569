"""Configuration of the knowledge base: settings/knowledge.yml, overridden by environment.

Nothing tunable lives in code. Precedence, lowest to highest:
built-in defaults < settings file < HOTLINE_KB_* environment variables < explicit overrides
(the CLI's flags and tests). Relative paths are resolved against the project root
(HOTLINE_ROOT, or the folder that holds bot/), so the CLI works from any working directory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VIEWS = ("question", "alternatives", "question_answer")
ON_STALE = ("rebuild", "refuse")


@dataclass(frozen=True)
class KBSettings:
    source_dir: Path = Path("knowledge")
    index_dir: Path = Path("kb_embeddings")
    encoder: str = "use+e5"
    model: str = ""
    threads: int = 2
    weights: tuple[float, ...] = ()
    views: tuple[str, ...] = ("question", "alternatives", "question_answer")
    answer_weight: float = 0.0
    k: int = 3
    faiss_threads: int = 1
    answer_threshold: float = 0.75
    offer_threshold: float = 0.55
    margin: float = 0.0
    on_stale: str = "rebuild"
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


# Environment variable -> (settings field, converter).
ENV_VARS: dict[str, tuple[str, Any]] = {
    "HOTLINE_KB_SOURCE_DIR": ("source_dir", Path),
    "HOTLINE_KB_INDEX_DIR": ("index_dir", Path),
    "HOTLINE_KB_ENCODER": ("encoder", str),
    "HOTLINE_KB_MODEL": ("model", str),
    "HOTLINE_KB_THREADS": ("threads", int),
    "HOTLINE_KB_ENCODER_WEIGHTS": ("weights", lambda s: tuple(float(v) for v in s.split(",") if v.strip())),
    "HOTLINE_KB_ANSWER_WEIGHT": ("answer_weight", float),
    "HOTLINE_KB_VIEWS": ("views", lambda s: tuple(v.strip() for v in s.split(",") if v.strip())),
    "HOTLINE_KB_K": ("k", int),
    "HOTLINE_KB_FAISS_THREADS": ("faiss_threads", int),
    "HOTLINE_KB_ANSWER_THRESHOLD": ("answer_threshold", float),
    "HOTLINE_KB_OFFER_THRESHOLD": ("offer_threshold", float),
    "HOTLINE_KB_MARGIN": ("margin", float),
    "HOTLINE_KB_ON_STALE": ("on_stale", str),
}


def project_root() -> Path:
    return Path(os.environ.get("HOTLINE_ROOT") or PROJECT_ROOT)


def settings_path() -> Path:
    env = os.environ.get("HOTLINE_KB_SETTINGS")
    return Path(env) if env else project_root() / "settings" / "knowledge.yml"


def load_settings(path: Path | None = None, **overrides: Any) -> KBSettings:
    """Read the settings file, apply HOTLINE_KB_* variables, then keyword overrides."""
    path = Path(path) if path else settings_path()
    values: dict[str, Any] = _flatten(_read_yaml(path)) if path.exists() else {}
    for var, (name, convert) in ENV_VARS.items():
        if os.environ.get(var, "") != "":
            values[name] = _convert(var, convert, os.environ[var])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return _validate(_build(values))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"配置文件 {path} 不是合法的 YAML (invalid YAML): {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"配置文件 {path} 顶层必须是映射 (top level must be a mapping)")
    return data


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """Map the nested, human-friendly file layout onto KBSettings fields."""
    enc = data.get("encoder") or {}
    if isinstance(enc, str):
        enc = {"name": enc}
    thresholds = data.get("thresholds") or {}
    search = data.get("search") or {}
    index = data.get("index") or {}
    flat = {
        "source_dir": data.get("source_dir"),
        "index_dir": data.get("index_dir"),
        "encoder": enc.get("name"),
        "model": enc.get("model"),
        "threads": enc.get("threads"),
        "weights": tuple(enc["weights"]) if enc.get("weights") else None,
        "answer_weight": index.get("answer_weight"),
        "views": tuple(index["views"]) if index.get("views") else None,
        "on_stale": index.get("on_stale"),
        "k": search.get("k"),
        "faiss_threads": search.get("faiss_threads"),
        "answer_threshold": thresholds.get("answer"),
        "offer_threshold": thresholds.get("offer"),
        "margin": thresholds.get("margin"),
    }
    known = {"source_dir", "index_dir", "encoder", "thresholds", "search", "index"}
    flat["extra"] = {k: v for k, v in data.items() if k not in known}
    return {k: v for k, v in flat.items() if v is not None}


def _convert(var: str, convert: Any, raw: str) -> Any:
    try:
        return convert(raw)
    except ValueError as exc:
        raise ConfigError(f"环境变量 {var}={raw!r} 无效 (invalid value): {exc}") from exc


def _build(values: dict[str, Any]) -> KBSettings:
    names = {f.name for f in fields(KBSettings)}
    unknown = set(values) - names
    if unknown:
        raise ConfigError(f"未知的配置项 (unknown settings): {sorted(unknown)}")
    s = KBSettings(**values)
    root = project_root()
    return replace(
        s,
        source_dir=_absolute(root, s.source_dir),
        index_dir=_absolute(root, s.index_dir),
        views=tuple(s.views),
        weights=tuple(float(w) for w in s.weights),
        answer_weight=float(s.answer_weight),
        threads=int(s.threads),
        k=int(s.k),
        faiss_threads=int(s.faiss_threads),
        answer_threshold=float(s.answer_threshold),
        offer_threshold=float(s.offer_threshold),
        margin=float(s.margin),
    )


def _absolute(root: Path, p: Path | str) -> Path:
    p = Path(p).expanduser()
    return p if p.is_absolute() else root / p


def _validate(s: KBSettings) -> KBSettings:
    bad_views = [v for v in s.views if v not in VIEWS]
    if bad_views or not s.views:
        raise ConfigError(f"index.views 只能取 {VIEWS} (views must be some of these): {list(s.views)}")
    if s.on_stale not in ON_STALE:
        raise ConfigError(f"index.on_stale 只能是 {ON_STALE} (got {s.on_stale!r})")
    if not 0.0 <= s.offer_threshold <= s.answer_threshold <= 1.0:
        raise ConfigError(
            "阈值须满足 0 ≤ offer ≤ answer ≤ 1 (thresholds must satisfy 0 <= offer <= answer <= 1): "
            f"offer={s.offer_threshold}, answer={s.answer_threshold}"
        )
    if any(w <= 0 for w in s.weights):
        raise ConfigError(f"encoder.weights 必须为正数 (weights must be positive): {list(s.weights)}")
    if s.answer_weight < 0:
        raise ConfigError(f"index.answer_weight 不能为负 (must be >= 0): {s.answer_weight}")
    if s.k < 1:
        raise ConfigError(f"search.k 必须 ≥ 1 (got {s.k})")
    return s
