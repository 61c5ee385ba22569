"""settings/hotspots.yml read and checked: every value a city may tune for hotspots (热点)."""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, Optional

from bot.settings import SettingsError, load_yaml, project_path

FILE = "hotspots.yml"
# Where the embedding cache lives, overriding cache_dir (a deployment's writable folder, the tests' own).
CACHE_VARIABLE = "HOTLINE_HOTSPOTS_CACHE"
ENCODERS = ("e5", "use", "use+e5")


@dataclass(frozen=True)
class HeatSettings:
    repeat_weight: float = 0.5
    recent_days: int = 7
    growth_floor: float = 0.5
    growth_cap: float = 3.0
    growth_weight: float = 0.5
    lasting_days: int = 28
    lasting_weight: float = 0.5


@dataclass(frozen=True)
class AlertSettings:
    hours: int = 48
    min_recent: int = 3
    new_days: int = 7


@dataclass(frozen=True)
class HotspotSettings:
    encoder: str = "e5"
    similarity: float = 0.90             # the floor of the threshold
    margin: float = 0.042                # above the period's typical pair similarity
    citywide_similarity: float = 0.92
    citywide_margin: float = 0.062
    citywide_min_citizens: int = 6
    # A citywide group must be a burst, not the steady background of a common question (see
    # hotspot_heat.burst_of), checked in periods of at least citywide_burst_period days.
    citywide_burst_period: int = 56
    citywide_min_burst: float = 3.5
    min_requests: int = 3
    min_citizens: int = 3
    max_chars: int = 160
    heat: HeatSettings = HeatSettings()
    alert: AlertSettings = AlertSettings()
    cache_dir: Optional[Path] = None

    def with_cache(self, folder: Optional[Path]) -> "HotspotSettings":
        return replace(self, cache_dir=folder)


def _number(raw: Dict[str, Any], key: str, default, kind, low, high, where: str):
    value = raw.get(key, default)
    try:
        value = kind(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{FILE} 的 {where}{key} 应为数字：{value!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{FILE} 的 {where}{key} 应在 {low} 到 {high} 之间：{value}")
    return value


def _section(raw: Dict[str, Any], key: str) -> Dict[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise SettingsError(f"{FILE} 的 {key} 应为键值表")
    return value


def parse_settings(raw: Dict[str, Any]) -> HotspotSettings:
    encoder = str(raw.get("encoder", "e5"))
    if encoder not in ENCODERS:
        raise SettingsError(f"{FILE} 的 encoder 应为 {'、'.join(ENCODERS)} 之一：{encoder}")
    citywide, heat, alert = _section(raw, "citywide"), _section(raw, "heat"), _section(raw, "alert")
    d, h, a = HotspotSettings(), HeatSettings(), AlertSettings()
    return HotspotSettings(
        encoder=encoder,
        similarity=_number(raw, "similarity", d.similarity, float, 0.0, 1.0, ""),
        margin=_number(raw, "margin", d.margin, float, 0.0, 1.0, ""),
        citywide_similarity=_number(citywide, "similarity", d.citywide_similarity, float, 0.0, 1.0, "citywide."),
        citywide_margin=_number(citywide, "margin", d.citywide_margin, float, 0.0, 1.0, "citywide."),
        citywide_min_citizens=_number(citywide, "min_citizens", d.citywide_min_citizens, int, 1, 10000, "citywide."),
        citywide_burst_period=_number(citywide, "burst_period_days", d.citywide_burst_period, int, 1, 3660,
                                      "citywide."),
        citywide_min_burst=_number(citywide, "min_burst", d.citywide_min_burst, float, 0.0, 1000.0, "citywide."),
        min_requests=_number(raw, "min_requests", d.min_requests, int, 2, 10000, ""),
        min_citizens=_number(raw, "min_citizens", d.min_citizens, int, 1, 10000, ""),
        max_chars=_number(raw, "max_chars", d.max_chars, int, 10, 2000, ""),
        heat=HeatSettings(*(_number(heat, k, getattr(h, k), type(getattr(h, k)), 0, 1000, "heat.")
                            for k in HeatSettings.__dataclass_fields__)),
        alert=AlertSettings(*(_number(alert, k, getattr(a, k), int, 1, 10000, "alert.")
                              for k in AlertSettings.__dataclass_fields__)),
        cache_dir=project_path(os.environ.get(CACHE_VARIABLE) or raw.get("cache_dir")),
    )


def hotspot_settings() -> HotspotSettings:
    return parse_settings(load_yaml(FILE))
