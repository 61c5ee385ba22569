"""The heat index of a hotspot and the alert for a new, fast-growing one (settings/hotspots.yml).

    volume  = citizens + repeat_weight × (requests − citizens)
              (a citizen calling again counts half: many people matter more than one loud one)
    growth  = requests per day in the last recent_days ÷ requests per day before that, counted from
              the cluster's first request (a cluster born inside the recent window counts as
              growing at growth_cap); factor = clamp(growth, growth_floor, growth_cap) ^ growth_weight
    lasting = 1 + lasting_weight × min(1, days from first to last request ÷ lasting_days)
    heat    = volume × growth factor × lasting, one decimal

With the shipped settings a steady cluster of 6 citizens over four weeks scores 6 × 1 × 1.5 = 9;
the same 6 citizens in the last three days score 6 × 1.73 × 1.05 ≈ 10.9; one fading away (half its
pace of before) about 6 × 0.71 × 1.5 ≈ 6.4.

Alert: at least alert.min_recent requests in the last alert.hours before the end of the period (or
now, if earlier), and none of the cluster's requests older than alert.new_days: a matter that
appeared this week and is growing fast, which the office should look at today.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional, Sequence

from bot.office.hotspot_settings import AlertSettings, HeatSettings

DAY = 86400.0


@dataclass(frozen=True)
class Heat:
    heat: float
    growth: float
    recent: int           # requests in the recent window


@dataclass(frozen=True)
class Alert:
    recent: int
    reason: str


def heat_of(times: Sequence[dt.datetime], citizens: int, until: dt.datetime, settings: HeatSettings) -> Heat:
    times = sorted(times)
    volume = citizens + settings.repeat_weight * (len(times) - citizens)
    window_start = until - dt.timedelta(days=settings.recent_days)
    recent = sum(1 for t in times if t > window_start)
    growth = _growth(times, recent, window_start, settings)
    factor = min(max(growth, settings.growth_floor), settings.growth_cap) ** settings.growth_weight
    span_days = (times[-1] - times[0]).total_seconds() / DAY
    lasting = 1 + settings.lasting_weight * min(1.0, span_days / max(settings.lasting_days, 1))
    return Heat(round(volume * factor * lasting, 1), round(growth, 2), recent)


def _growth(times: Sequence[dt.datetime], recent: int, window_start: dt.datetime, settings: HeatSettings) -> float:
    earlier = len(times) - recent
    if earlier == 0:
        return settings.growth_cap if recent else 1.0
    earlier_days = max((window_start - times[0]).total_seconds() / DAY, 1.0)
    return (recent / max(settings.recent_days, 1)) / (earlier / earlier_days)


def burst_of(times: Sequence[dt.datetime], start: dt.datetime, until: dt.datetime,
             min_period_days: int) -> Optional[float]:
    """How much the requests crowd together in time, against an even spread over the period: the
    period's length over twice the span of the middle half of the requests (their interquartile
    range). About 1 for a question asked week in, week out (法律援助怎么申请 all year round: the
    background of a hotline, not a hotspot); several times more for a matter that flares up. The
    middle half, not the busiest window, because with a few dozen requests some window is always
    busy by chance. None when the period is shorter than min_period_days: too short to tell."""
    period_days = (until - start).total_seconds() / DAY
    if len(times) < 4 or period_days < min_period_days:
        return None
    ordered = sorted(times)
    quarter = len(ordered) // 4
    middle_days = (ordered[-1 - quarter] - ordered[quarter]).total_seconds() / DAY
    return period_days / (2 * max(middle_days, 1.0))


def alert_of(times: Sequence[dt.datetime], citizens_recent: int, until: dt.datetime,
             settings: AlertSettings) -> Optional[Alert]:
    since = until - dt.timedelta(hours=settings.hours)
    recent = sum(1 for t in times if t > since)
    if recent < settings.min_recent or min(times) < until - dt.timedelta(days=settings.new_days):
        return None
    return Alert(recent, f"近{settings.hours}小时新增{recent}件（{citizens_recent}位市民），"
                         f"{settings.new_days}天前尚无同类诉求")
