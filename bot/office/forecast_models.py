"""The candidate forecasting models, on one series' weekly rates (tickets per working-day
equivalent, forecast_counts.capacity). Each takes the rates up to the forecast origin and the horizon
in weeks and returns the expected rate; forecast.py multiplies it by the target week's capacity, so
a holiday week is expected to be quieter and the week after it is not dragged down.

Deliberately simple: a hotline's weekly volume is mostly a level that drifts, with holidays and the
odd burst; these three cover "like last week", "like the last month" and "the level and its trend".
"""
from __future__ import annotations

from typing import Callable, Dict

import numpy as np

LAST_WEEK, MEAN, HOLT = "last_week", "mean", "holt"
NAIVE = "naive"   # the baseline: the raw count of the last known week, no holiday adjustment
LABELS = {
    LAST_WEEK: "上周水平（按工作日折算）",
    MEAN: "近几周均值（按工作日折算）",
    HOLT: "阻尼趋势指数平滑（按工作日折算）",
    NAIVE: "朴素基线（同上周）",
}
CANDIDATES = (LAST_WEEK, MEAN, HOLT)


def last_week(rates: np.ndarray, horizon: int, **_) -> float:
    return float(rates[-1])


def mean(rates: np.ndarray, horizon: int, mean_weeks: int = 4, **_) -> float:
    return float(np.mean(rates[-mean_weeks:]))


def holt(rates: np.ndarray, horizon: int, alpha: float = 0.5, beta: float = 0.1, damping: float = 0.85,
         **_) -> float:
    """Holt's linear method with a damped trend (Gardner & McKenzie). Starts from the mean of the
    first weeks and no trend, so a short history behaves like a smoothed mean."""
    start = rates[: min(4, len(rates))]
    level, trend = float(np.mean(start)), 0.0
    for value in rates[len(start):]:
        previous = level
        level = alpha * value + (1 - alpha) * (level + damping * trend)
        trend = beta * (level - previous) + (1 - beta) * damping * trend
    steps = sum(damping ** i for i in range(1, horizon + 1))
    return max(0.0, level + steps * trend)


MODELS: Dict[str, Callable[..., float]] = {LAST_WEEK: last_week, MEAN: mean, HOLT: holt}
