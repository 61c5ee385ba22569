"""Coordinates a citizen chose on the page (📍, the browser's geolocation, asked only on a tap).

The page sends them with each message of the request being filled in (customData.coordinates);
the socket proxy keeps them only when they are a real place on Earth, rounded to about a metre,
and the action that opens the ticket stores them beside the typed place (facts "coordinates").
"""
from __future__ import annotations

import math
from typing import Any, Dict, Optional

MAX_ACCURACY_METRES = 100_000     # coarser than this says nothing about where the matter is


def _number(value: Any, low: float, high: float) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and low <= value <= high else None


def coordinates_from(raw: Any) -> Optional[Dict[str, float]]:
    """{"lat", "lon", "accuracy"} when raw is a well-formed position, else None (dropped, never guessed)."""
    if not isinstance(raw, dict):
        return None
    lat = _number(raw.get("lat"), -90, 90)
    lon = _number(raw.get("lon"), -180, 180)
    accuracy = _number(raw.get("accuracy"), 0, MAX_ACCURACY_METRES)
    if lat is None or lon is None or accuracy is None:
        return None
    return {"lat": round(lat, 6), "lon": round(lon, 6), "accuracy": round(accuracy)}
