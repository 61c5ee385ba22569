"""来件预测: next week's expected tickets per request type or department, with an interval, the
actual figures beside it, and how good the forecasts were on held-out weeks.

The model, in the order forecast() applies it:
1. Weekly counts, weeks Monday–Sunday in the store's local time (forecast_counts.py). A series starts
   at its first week with a ticket; the first, partial week of the whole history is dropped.
2. Holidays: a week is worth its working days plus its days off weighted by how busy a day off is
   (weekend days and weekday holidays separately, estimated from the history's daily counts: the
   only parameters fitted on the whole history). Counts are divided by that worth before modelling
   and forecasts multiplied by the target week's, so the Spring Festival week is expected quiet and
   does not drag the next week down. The calendar (bot/workdays.py, settings/policy.yml) knows the
   holidays in advance.
3. Candidates (forecast_models.py): last week's level, the mean of the last weeks, and damped-trend
   exponential smoothing. With model: auto, before each forecast the candidate with the lowest
   WAPE over the previous selection_weeks weeks (pooled over the series) is used; its choice at
   each held-out week uses only weeks before it, so the backtest measures the whole procedure.
4. Interval: quantiles of past forecasts' residuals scaled by sqrt(expected + 1) (counts vary
   roughly with their level), per series when it has enough of them, else pooled.
5. Backtest: rolling origin over the last K complete weeks, each forecast from the data there was at
   the time with the same horizon as the forecast asked for; MAE, WAPE (sum of errors / sum of
   actuals: safe with small counts) and MAPE (weeks with tickets only) per series and pooled,
   beside the naive baseline "same as the last known week", and the interval's coverage.
The horizon: next week is two weeks after the last complete week (this week is not over yet).

How good, 12 held-out weeks (10 Aug – 1 Nov 2026, National Day included), WAPE pooled over the
series, this procedure (auto) against the naive "same as last week"; each candidate fixed in brackets:
- the generated history of the tests (tests/support/forecast_history.py, ~11 000 tickets, seed 21),
  horizon 1, by type: auto 10.1 % vs naive 14.9 % (last_week 12.1 %, mean 10.1 %, holt 10.5 %);
  the total 4.6 % vs 9.2 %; interval coverage 90 % for a nominal 80 %.
- eval/office_history.py (seed 1, 3000 records over six months, imported with hotline tickets
  import; not tuned on): by type auto 21.6 % vs naive 23.8 % (last_week 24.5 %, mean 21.3 %, holt
  21.0 %), the total 8.3 % vs 9.7 %; by department (28 departments of 1–25 tickets a week) 39.0 % vs
  48.8 %; coverage 92–95 %: at a few tickets a week most of the error is chance, and the interval
  says so. The National Day week of 28 September: expected 97 (73–122), actual 89, naive 120.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from bot.office import forecast_counts as counts
from bot.office import forecast_models as models
from bot.office.forecast_counts import BY_TYPE, DIMENSIONS, TOTAL
from bot.settings import SettingsError, load_yaml
from bot.tickets.policy import ticket_policy
from bot.tickets.store import TicketStore
from bot.workdays import WorkdayCalendar

WEEK = dt.timedelta(days=7)
AUTO = "auto"


class ForecastError(ValueError):
    """A request the forecast refuses (a week too far ahead, an unknown dimension), in Chinese."""


@dataclass(frozen=True)
class ForecastSettings:
    history_weeks: int = 104
    min_history_weeks: int = 6
    max_horizon_weeks: int = 4
    backtest_weeks: int = 8
    max_backtest_weeks: int = 52
    model: str = AUTO
    selection_weeks: int = 8
    mean_weeks: int = 4
    holt: Dict[str, float] = field(default_factory=lambda: {"alpha": 0.5, "beta": 0.1, "damping": 0.85})
    interval: float = 0.8
    interval_weeks: int = 26
    min_series_residuals: int = 12
    off_day_weights: Dict[str, Any] = field(default_factory=lambda: {"weekend": AUTO, "holiday": AUTO})
    default_off_day_weights: Dict[str, float] = field(default_factory=lambda: {"weekend": 0.6, "holiday": 0.45})
    min_days_to_estimate: Dict[str, int] = field(default_factory=lambda: {"weekend": 8, "holiday": 3})
    recent_weeks: int = 12

    @classmethod
    def load(cls) -> "ForecastSettings":
        raw = load_yaml("forecast.yml")
        unknown = set(raw) - set(cls.__dataclass_fields__)
        if unknown:
            raise SettingsError(f"forecast.yml 中有未知的设置：{'、'.join(sorted(unknown))}")
        made = cls(**raw)
        if made.model != AUTO and made.model not in models.MODELS:
            raise SettingsError(f"forecast.yml 的 model 应为 auto 或 {'、'.join(models.MODELS)}：{made.model}")
        if not 0.5 <= made.interval < 1:
            raise SettingsError(f"forecast.yml 的 interval 应在 0.5 到 1 之间：{made.interval}")
        return made


@dataclass
class Grid:
    """The weeks of the forecast, oldest first: known weeks up to `last` (index), the target at `target`."""
    mondays: List[dt.date]
    last: int
    target: int
    horizon: int
    capacity: np.ndarray          # working-day equivalents per week
    weights: Dict[str, float]
    kinds: List[Dict[str, int]]   # per week: how many working days, weekend days off, holidays


@dataclass
class Series:
    key: str
    label: str
    actual: np.ndarray            # weekly counts; nan where not known (yet)
    start: Optional[int]          # index of its first week with a ticket (None: none before the origin)
    forecast: Dict[str, np.ndarray] = field(default_factory=dict)   # candidate -> per week (nan: none)
    naive: Optional[np.ndarray] = None
    chosen: Optional[np.ndarray] = None
    low: Optional[np.ndarray] = None
    high: Optional[np.ndarray] = None


# --- the weeks -------------------------------------------------------------------------------------

def target_monday(today: dt.date, week: Optional[dt.date], settings: ForecastSettings) -> Tuple[dt.date, int]:
    """The target week's Monday and the horizon: weeks from the last week known in full before it."""
    current = counts.monday_of(today)
    target = counts.monday_of(week) if week else current + WEEK
    last_known = min(current - WEEK, target - WEEK)
    horizon = (target - last_known).days // 7
    if horizon > settings.max_horizon_weeks:
        latest = current - WEEK + settings.max_horizon_weeks * WEEK
        raise ForecastError(f"只能预测到最近一个完整周之后 {settings.max_horizon_weeks} 周以内"
                            f"（最晚 {latest.isoformat()} 开始的一周）：{target.isoformat()}")
    return target, horizon


def off_day_weights(daily: counts.DailyCounts, calendar: WorkdayCalendar, first: dt.date, last: dt.date,
                    settings: ForecastSettings) -> Dict[str, float]:
    """How busy a weekend day and a weekday holiday are compared with a working day, from the total
    daily counts (days without tickets count as 0), or the configured values."""
    by_kind: Dict[str, List[int]] = {counts.WEEKDAY: [], counts.WEEKEND: [], counts.HOLIDAY: []}
    day = first
    while day <= last:
        by_kind[counts.day_kind(calendar, day)].append(daily.total.get(day, 0))
        day += dt.timedelta(days=1)
    working = np.mean(by_kind[counts.WEEKDAY]) if by_kind[counts.WEEKDAY] else 0.0
    weights = {}
    for kind in (counts.WEEKEND, counts.HOLIDAY):
        configured = settings.off_day_weights.get(kind, AUTO)
        if configured != AUTO:
            weights[kind] = float(configured)
        elif working > 0 and len(by_kind[kind]) >= settings.min_days_to_estimate.get(kind, 3):
            weights[kind] = float(np.clip(np.mean(by_kind[kind]) / working, 0.05, 2.0))
        else:
            weights[kind] = float(settings.default_off_day_weights[kind])
    return weights


def build_grid(daily: counts.DailyCounts, calendar: WorkdayCalendar, target: dt.date, horizon: int,
               settings: ForecastSettings) -> Optional[Grid]:
    """None when there is not one complete week of history before the target."""
    first_day = daily.first_day
    if first_day is None:
        return None
    # The history's first week is counted only if it starts on its Monday (an import rarely does).
    first = counts.monday_of(first_day) if first_day.weekday() == 0 else counts.monday_of(first_day) + WEEK
    last_known = target - horizon * WEEK
    if first > last_known:
        return None
    mondays = [first + i * WEEK for i in range((target - first).days // 7 + 1)]
    weights = off_day_weights(daily, calendar, first, last_known + dt.timedelta(days=6), settings)
    kinds = [counts.week_kinds(calendar, m) for m in mondays]
    capacity = np.array([counts.capacity(k, weights) for k in kinds])
    return Grid(mondays, mondays.index(last_known), len(mondays) - 1, horizon, capacity, weights, kinds)


def weekly(per_day: Dict[dt.date, int], grid: Grid, today: dt.date) -> np.ndarray:
    """Counts per grid week; weeks not over by today are nan (their actual is not known yet)."""
    values = np.full(len(grid.mondays), np.nan)
    for i, monday in enumerate(grid.mondays):
        if monday + dt.timedelta(days=6) < today:
            values[i] = sum(per_day.get(d, 0) for d in counts.week_days(monday))
    return values


def so_far(per_day: Dict[dt.date, int], monday: dt.date, today: dt.date) -> int:
    return sum(per_day.get(d, 0) for d in counts.week_days(monday) if d <= today)


# --- the candidates, the choice and the interval ---------------------------------------------------

def first_needed(grid: Grid, backtest_weeks: int, settings: ForecastSettings) -> int:
    """The earliest week whose forecast any evaluated week's choice or interval looks at."""
    earliest_evaluated = min(grid.last - backtest_weeks + 1, grid.target)
    return max(0, earliest_evaluated - grid.horizon - max(settings.selection_weeks, settings.interval_weeks))


def fit_candidates(series: Series, grid: Grid, start_week: int, settings: ForecastSettings) -> None:
    """Every candidate's forecast of each week from start_week on, from the weeks up to week - horizon."""
    size = len(grid.mondays)
    series.forecast = {name: np.full(size, np.nan) for name in models.MODELS}
    series.naive = np.full(size, np.nan)
    if series.start is None:
        return
    rates = series.actual / grid.capacity
    options = dict(settings.holt, mean_weeks=settings.mean_weeks)
    for week in range(start_week, size):
        origin = week - grid.horizon
        if origin - series.start + 1 < settings.min_history_weeks:
            continue
        history = rates[series.start: origin + 1]
        for name, model in models.MODELS.items():
            series.forecast[name][week] = model(history, grid.horizon, **options) * grid.capacity[week]
        series.naive[week] = series.actual[origin]


def wape(actual: np.ndarray, predicted: np.ndarray) -> Optional[float]:
    known = ~np.isnan(actual) & ~np.isnan(predicted)
    total = actual[known].sum()
    return float(np.abs(actual[known] - predicted[known]).sum() / total) if total > 0 else None


def choose(group: List[Series], grid: Grid, settings: ForecastSettings) -> np.ndarray:
    """The candidate used for each week: fixed, or the one with the lowest pooled WAPE over the
    selection weeks known at that week's origin (MEAN when nothing can be compared yet)."""
    choice = np.array([models.MEAN if settings.model == AUTO else settings.model] * len(grid.mondays), dtype=object)
    if settings.model != AUTO:
        return choice
    for week in range(len(grid.mondays)):
        origin = week - grid.horizon
        window = slice(max(0, origin - settings.selection_weeks + 1), origin + 1)
        scores = {}
        for name in models.CANDIDATES:
            actual = np.concatenate([s.actual[window] for s in group]) if group else np.array([])
            predicted = np.concatenate([s.forecast[name][window] for s in group]) if group else np.array([])
            score = wape(actual, predicted) if origin >= 0 and actual.size else None
            if score is not None:
                scores[name] = score
        if scores:
            choice[week] = min(scores, key=scores.get)
    return choice


def apply_choice(series: Series, choice: np.ndarray) -> None:
    series.chosen = np.array([series.forecast[name][week] for week, name in enumerate(choice)])


def scaled_residuals(series: Series, weeks: slice) -> np.ndarray:
    actual, expected = series.actual[weeks], series.chosen[weeks]
    known = ~np.isnan(actual) & ~np.isnan(expected)
    return (actual[known] - expected[known]) / np.sqrt(expected[known] + 1)


def intervals(series: Series, pooled_of, grid: Grid, settings: ForecastSettings) -> None:
    """Per week: the chosen forecast ± the quantiles of residuals known at its origin."""
    size = len(grid.mondays)
    series.low, series.high = np.full(size, np.nan), np.full(size, np.nan)
    tail = (1 - settings.interval) / 2
    for week in range(size):
        expected = series.chosen[week]
        if np.isnan(expected):
            continue
        origin = week - grid.horizon
        window = slice(max(0, origin - settings.interval_weeks + 1), origin + 1)
        residuals = scaled_residuals(series, window) if origin >= 0 else np.array([])
        if residuals.size < settings.min_series_residuals:
            residuals = pooled_of(window) if origin >= 0 else np.array([])
        if residuals.size < 5:
            continue
        spread = math.sqrt(expected + 1)
        # The (n + 1)/n widening of split conformal prediction: the plain empirical quantiles of a
        # few dozen residuals cover less than their nominal share.
        upper = min(1.0, (1 - tail) * (1 + 1 / residuals.size))
        low, high = np.quantile(residuals, [1 - upper, upper])
        series.low[week] = max(0.0, math.floor(expected + low * spread))
        series.high[week] = max(series.low[week], math.ceil(expected + high * spread))


# --- the accuracy ----------------------------------------------------------------------------------

def errors(actual: np.ndarray, predicted: np.ndarray) -> Dict[str, Any]:
    known = ~np.isnan(actual) & ~np.isnan(predicted)
    a, p = actual[known], predicted[known]
    if not a.size:
        return {"weeks": 0, "mae": None, "wape": None, "mape": None}
    positive = a > 0
    mape = float(np.mean(np.abs(a[positive] - p[positive]) / a[positive])) if positive.any() else None
    return {"weeks": int(a.size), "mae": round(float(np.mean(np.abs(a - p))), 2),
            "wape": _round(wape(a, p)), "mape": _round(mape)}


def _round(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 4)


def coverage(group: List[Series], weeks: slice) -> Optional[float]:
    inside = total = 0
    for s in group:
        a, low, high = s.actual[weeks], s.low[weeks], s.high[weeks]
        known = ~np.isnan(a) & ~np.isnan(low)
        total += int(known.sum())
        inside += int(((a[known] >= low[known]) & (a[known] <= high[known])).sum())
    return round(inside / total, 4) if total else None


def backtest(group: List[Series], total: Series, grid: Grid, weeks: int, choice: np.ndarray) -> Dict[str, Any]:
    held_out = slice(max(0, grid.last - weeks + 1), grid.last + 1)
    def pooled(attribute: str) -> Dict[str, Any]:
        actual = np.concatenate([s.actual[held_out] for s in group]) if group else np.array([])
        predicted = np.concatenate([getattr(s, attribute)[held_out] for s in group]) if group else np.array([])
        return errors(actual, predicted)
    mondays = grid.mondays[held_out]
    return {
        "weeks": len(mondays), "asked": weeks,
        "from": mondays[0].isoformat() if mondays else None,
        "to": (mondays[-1] + dt.timedelta(days=6)).isoformat() if mondays else None,
        "model": dict(pooled("chosen"), coverage=coverage(group, held_out)),
        "naive": pooled("naive"),
        "total": {"model": dict(errors(total.actual[held_out], total.chosen[held_out]),
                                coverage=coverage([total], held_out)),
                  "naive": errors(total.actual[held_out], total.naive[held_out])},
        "series": [{"key": s.key, "label": s.label, "model": errors(s.actual[held_out], s.chosen[held_out]),
                    "naive": errors(s.actual[held_out], s.naive[held_out])} for s in group],
        "chosen": [{"week": m.isoformat(), "model": str(c)} for m, c in zip(mondays, choice[held_out])],
    }


# --- the forecast ----------------------------------------------------------------------------------

def _value(array: Optional[np.ndarray], week: int, digits: int = 1) -> Optional[float]:
    if array is None or np.isnan(array[week]):
        return None
    return round(float(array[week]), digits) if digits else int(array[week])


def series_view(s: Series, grid: Grid, settings: ForecastSettings, current: Optional[int]) -> Dict[str, Any]:
    target, last = grid.target, grid.last
    known_weeks = 0 if s.start is None else last - s.start + 1
    data = {"key": s.key, "label": s.label, "expected": _value(s.chosen, target),
            "low": _value(s.low, target, 0), "high": _value(s.high, target, 0),
            "last_week": _value(s.actual, last, 0), "actual": _value(s.actual, target, 0),
            "so_far": current, "history_weeks": known_weeks, "note": None}
    if data["expected"] is None:
        data["note"] = (f"历史不足：只有 {known_weeks} 个完整周，至少需要 {settings.min_history_weeks} 周，不作预测"
                        if known_weeks < settings.min_history_weeks else "无法预测")
    return data


def recent_view(group: List[Series], total: Series, grid: Grid, settings: ForecastSettings) -> Dict[str, Any]:
    """The chart's data: the last weeks' actual counts and the forecasts made for them, up to the target."""
    weeks = slice(max(0, grid.last - settings.recent_weeks + 1), grid.target + 1)
    as_list = lambda array, digits=0: [None if np.isnan(v) else (round(float(v), 1) if digits else int(v))  # noqa: E731
                                       for v in array[weeks]]
    return {"weeks": [m.isoformat() for m in grid.mondays[weeks]],
            "series": [{"key": s.key, "label": s.label, "actual": as_list(s.actual),
                        "expected": as_list(s.chosen, 1), "low": as_list(s.low), "high": as_list(s.high)}
                       for s in [total] + group]}


def stale_warning(daily: counts.DailyCounts, grid: Grid, target: dt.date) -> Optional[str]:
    """The database stops before the weeks the forecast treats as known (an imported history that
    was never kept up to date): those weeks would count as weeks without tickets."""
    last_ticket = max(daily.total)
    known_until = grid.mondays[grid.last] + dt.timedelta(days=6)
    if last_ticket >= known_until:
        return None
    return (f"工单记录只到 {last_ticket.isoformat()}，之后的日子按没有来件计算，预测和回测会因此偏低；"
            f"如果只导入了历史记录，请指定历史之内的一周（例如 {counts.monday_of(last_ticket).isoformat()} 所在的周）")


def _empty(by: str, target: dt.date, horizon: int, message: str) -> Dict[str, Any]:
    return {"by": by, "by_label": DIMENSIONS[by], "week": {"from": target.isoformat(),
            "to": (target + dt.timedelta(days=6)).isoformat()}, "horizon": horizon, "enough_history": False,
            "message": message, "warning": None, "series": [], "total": None, "recent": None, "backtest": None}


def _series(key: str, label: str, per_day: Dict[dt.date, int], grid: Grid, today: dt.date) -> Series:
    actual = weekly(per_day, grid, today)
    seen = [i for i in range(grid.last + 1) if actual[i] > 0]
    return Series(key, label, actual, seen[0] if seen else None)


def forecast(store: TicketStore, by: str = BY_TYPE, week: Optional[dt.date] = None,
             backtest_weeks: Optional[int] = None, scope: Optional[str] = None,
             settings: Optional[ForecastSettings] = None, calendar: Optional[WorkdayCalendar] = None,
             today: Optional[dt.date] = None) -> Dict[str, Any]:
    """The forecast of the target week (default: next week) as JSON-ready data; scope limits the
    tickets to one department's (a handler's view)."""
    if by not in DIMENSIONS:
        raise ForecastError(f"预测维度应为 type（诉求类型）或 department（承办部门）：{by}")
    settings = settings or ForecastSettings.load()
    backtest_weeks = settings.backtest_weeks if backtest_weeks is None else backtest_weeks
    if not 1 <= backtest_weeks <= settings.max_backtest_weeks:
        raise ForecastError(f"回测周数应在 1 到 {settings.max_backtest_weeks} 之间：{backtest_weeks}")
    calendar = calendar or ticket_policy().calendar
    today = today or store.today()
    target, horizon = target_monday(today, week, settings)
    start = target - (horizon + settings.history_weeks) * WEEK
    daily = counts.daily_counts(store, by, start, target + dt.timedelta(days=6), scope)
    grid = build_grid(daily, calendar, target, horizon, settings)
    if grid is None:
        return _empty(by, target, horizon, "没有足够的历史工单：目标周之前至少要有一个完整周的来件记录")
    group = [_series(k, daily.labels[k], per_day, grid, today) for k, per_day in daily.counts.items()]
    group = [s for s in group if s.start is not None]
    group.sort(key=lambda s: (-np.nansum(s.actual[: grid.last + 1]), s.key))
    total = _series(TOTAL, "合计", daily.total, grid, today)
    return assemble(group, total, grid, daily, settings, backtest_weeks, today, by, target)


def assemble(group: List[Series], total: Series, grid: Grid, daily: counts.DailyCounts,
             settings: ForecastSettings, backtest_weeks: int, today: dt.date, by: str,
             target: dt.date) -> Dict[str, Any]:
    start_week = first_needed(grid, backtest_weeks, settings)
    for s in group + [total]:
        fit_candidates(s, grid, start_week, settings)
    choice = choose(group, grid, settings)
    for s in group + [total]:
        apply_choice(s, choice)
    pooled = lambda window: (np.concatenate([scaled_residuals(s, window) for s in group])  # noqa: E731
                             if group else np.array([]))
    for s in group + [total]:
        intervals(s, pooled, grid, settings)
    # The week running today, counted so far: the target itself (a forecast of this week) or the
    # week between the last complete one and next week's target.
    current = counts.monday_of(today)
    so_far_of = (lambda per_day: so_far(per_day, current, today)) if target >= current else (lambda _: None)
    views = [series_view(s, grid, settings, so_far_of(daily.counts.get(s.key, {}))) for s in group]
    total_view = series_view(total, grid, settings, so_far_of(daily.total))
    enough = any(v["expected"] is not None for v in views)
    warning = stale_warning(daily, grid, target)
    if max(daily.total) < target + dt.timedelta(days=6):
        # The records stop inside or before the target week (only history imported): its count so
        # far is not its actual count.
        for view in views + [total_view]:
            view["actual"] = None
    return {
        "by": by, "by_label": DIMENSIONS[by],
        "week": {"from": target.isoformat(), "to": (target + dt.timedelta(days=6)).isoformat(),
                 "working_days": grid.kinds[grid.target][counts.WEEKDAY],
                 "days_off": grid.kinds[grid.target][counts.WEEKEND] + grid.kinds[grid.target][counts.HOLIDAY],
                 "holidays": grid.kinds[grid.target][counts.HOLIDAY],
                 "capacity": round(float(grid.capacity[grid.target]), 2)},
        "horizon": grid.horizon, "last_week": grid.mondays[grid.last].isoformat(),
        "current_week": current.isoformat() if target >= current else None,
        "history": {"from": grid.mondays[0].isoformat(),
                    "to": (grid.mondays[grid.last] + dt.timedelta(days=6)).isoformat(),
                    "weeks": grid.last + 1},
        "model": str(choice[grid.target]), "model_label": models.LABELS[str(choice[grid.target])],
        "setting": settings.model, "interval": settings.interval,
        "off_day_weights": {k: round(v, 3) for k, v in grid.weights.items()},
        "enough_history": enough,
        "message": None if enough else f"历史不足：每个序列至少需要 {settings.min_history_weeks} 个完整周的记录才作预测",
        "series": views,
        "total": total_view, "warning": warning,
        "recent": recent_view(group, total, grid, settings),
        "backtest": backtest(group, total, grid, backtest_weeks, choice),
    }
