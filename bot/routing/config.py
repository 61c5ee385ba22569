"""The router's settings: the `router:` section of settings/departments.yml, with environment overrides.

Every key can be left out (the defaults below are the measured operating point, see
eval/routing_eval.py); a value that does not validate is reported with the catalogue's other
problems, so nobody routes half-configured.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot.settings import PROJECT_ROOT


@dataclass(frozen=True)
class RouterConfig:
    training_files: Tuple[Path, ...] = ()
    ngram_min: int = 1
    ngram_max: int = 3
    temperature: float = 0.017          # softmax of the n-gram centroids' cosines
    encoder: str = "e5"                 # sentence encoder of the neighbours; "none": n-grams alone
    neighbours: int = 20                # k of the k nearest labelled texts
    neighbour_temperature: float = 0.02
    centroid_weight: float = 0.3        # the n-grams' share of the combined log-probability
    calibration: float = 0.5            # temperature of the combined scores (fitted by CV)
    abstain_below: float = 0.64         # the operating point: below, the office dispatches by hand
    co_handler_clause: float = 0.4      # a clause this sure of another department ...
    co_handler_share: float = 0.05      # ... which also has this share of the whole request
    co_handlers_max: int = 2
    filler_phrases: Tuple[str, ...] = ()
    cache_dir: Optional[Path] = None    # sentence embeddings of the labelled texts
    learned_file: Optional[Path] = None  # office corrections accepted by `hotline route retrain`
    retrain_heldout: Tuple[Path, ...] = ()  # labelled requests a correction must not make worse


_ENV = {
    "training_files": "HOTLINE_ROUTING_TRAINING_FILES",
    "temperature": "HOTLINE_ROUTING_TEMPERATURE",
    "encoder": "HOTLINE_ROUTING_ENCODER",
    "abstain_below": "HOTLINE_ROUTING_ABSTAIN_BELOW",
    "cache_dir": "HOTLINE_ROUTING_CACHE_DIR",
    "learned_file": "HOTLINE_ROUTING_LEARNED_FILE",
}
ENV_VARIABLES = tuple(_ENV.values())
ENCODERS = ("e5", "use", "use+e5", "none")
_PATHS = {"cache_dir", "learned_file"}
_FRACTIONS = ("centroid_weight", "abstain_below", "co_handler_clause", "co_handler_share")


# Keys of earlier versions, read under their new names so an upgrade does not stop dispatch.
_RENAMED = {"review_below": "abstain_below"}


def read_router_config(raw: Dict[str, Any], problems: List[str]) -> RouterConfig:
    values = dict(raw)
    for old, new in _RENAMED.items():
        if old in values:
            values.setdefault(new, values[old])
            del values[old]
    for key, var in _ENV.items():
        if os.environ.get(var, "").strip():
            values[key] = os.environ[var].split(",") if key == "training_files" else os.environ[var]
    unknown = sorted(set(values) - {f.name for f in fields(RouterConfig)})
    if unknown:
        problems.append(f"router 中有未知的配置项：{'、'.join(unknown)}")
    try:
        config = _typed(values)
    except (TypeError, ValueError) as exc:
        problems.append(f"router 配置项的值无效：{exc}")
        return RouterConfig()
    problems.extend(_check(config))
    return config


def _typed(values: Dict[str, Any]) -> RouterConfig:
    kwargs: Dict[str, Any] = {}
    for f in fields(RouterConfig):
        if f.name not in values or f.name in ("training_files", "retrain_heldout", "filler_phrases"):
            continue
        value = values[f.name]
        if f.name in _PATHS:
            kwargs[f.name] = _project_path(value) if value else None
        else:
            kwargs[f.name] = type(getattr(RouterConfig, f.name))(value)
    return RouterConfig(
        training_files=tuple(_project_path(p) for p in values.get("training_files") or []),
        retrain_heldout=tuple(_project_path(p) for p in values.get("retrain_heldout") or []),
        filler_phrases=tuple(str(p) for p in values.get("filler_phrases") or []),
        **kwargs)


def _check(c: RouterConfig) -> List[str]:
    problems = []
    if not 1 <= c.ngram_min <= c.ngram_max <= 5:
        problems.append("router.ngram_min/ngram_max 应满足 1 ≤ ngram_min ≤ ngram_max ≤ 5")
    for name in ("temperature", "neighbour_temperature", "calibration"):
        if getattr(c, name) <= 0:
            problems.append(f"router.{name} 必须大于 0")
    for name in _FRACTIONS:
        if not 0 <= getattr(c, name) <= 1:
            problems.append(f"router.{name} 应在 0 到 1 之间")
    if c.encoder not in ENCODERS:
        problems.append(f"router.encoder 应为 {'、'.join(ENCODERS)} 之一：{c.encoder!r}")
    if c.neighbours < 1 or c.co_handlers_max < 0:
        problems.append("router.neighbours 至少为 1，router.co_handlers_max 不能为负")
    return problems


def _project_path(value: Any) -> Path:
    path = Path(str(value).strip()).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path
