"""The router's settings: the `router:` section of settings/departments.yml, with environment overrides.

Every key can be left out (the defaults below are the measured operating point); a value that
does not validate is reported with the catalogue's other problems, so nobody routes half-configured.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bot.settings import PROJECT_ROOT


@dataclass(frozen=True)
class RouterConfig:
    training_files: Tuple[Path, ...]
    ngram_min: int
    ngram_max: int
    temperature: float
    review_below: float
    filler_phrases: Tuple[str, ...]


_ENV = {
    "training_files": "HOTLINE_ROUTING_TRAINING_FILES",
    "temperature": "HOTLINE_ROUTING_TEMPERATURE",
    "review_below": "HOTLINE_ROUTING_REVIEW_BELOW",
}
ENV_VARIABLES = tuple(_ENV.values())
_DEFAULT = RouterConfig((), 1, 3, 0.017, 0.5, ())


def read_router_config(raw: Dict[str, Any], problems: List[str]) -> RouterConfig:
    values = dict(raw)
    for key, var in _ENV.items():
        if os.environ.get(var, "").strip():
            values[key] = os.environ[var].split(",") if key == "training_files" else os.environ[var]
    try:
        config = RouterConfig(
            training_files=tuple(_project_path(p) for p in values.get("training_files") or []),
            ngram_min=int(values.get("ngram_min", 1)),
            ngram_max=int(values.get("ngram_max", 3)),
            temperature=float(values.get("temperature", 0.017)),
            review_below=float(values.get("review_below", 0.5)),
            filler_phrases=tuple(str(p) for p in values.get("filler_phrases") or []),
        )
    except (TypeError, ValueError) as exc:
        problems.append(f"router 配置项的值无效：{exc}")
        return _DEFAULT
    if not 1 <= config.ngram_min <= config.ngram_max <= 5:
        problems.append("router.ngram_min/ngram_max 应满足 1 ≤ ngram_min ≤ ngram_max ≤ 5")
    if config.temperature <= 0:
        problems.append("router.temperature 必须大于 0")
    if not 0 <= config.review_below <= 1:
        problems.append("router.review_below 应在 0 到 1 之间")
    return config


def _project_path(value: Any) -> Path:
    path = Path(str(value).strip()).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path
