"""Settings of the seats and of escalation, from settings/seats.yml and settings/escalation.yml.

Environment overrides: HOTLINE_SEAT_MAX_WAIT_MINUTES, HOTLINE_WECHAT_GATEWAY_URL. Secrets come
from the environment only (HOTLINE_GATEWAY_SECRET, HOTLINE_STAFF_TOKENS_FILE).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Tuple

from bot.settings import SettingsError, load_yaml

DEFAULT_PERIODS = ("00:00-24:00",)
DEFAULT_OUTCOMES = {"answered": "已解答", "ticket": "已登记工单", "referred": "转其他渠道",
                    "emergency": "转紧急电话", "invalid": "无效来电", "other": "其他"}


@dataclass(frozen=True)
class SeatSettings:
    workday_periods: Tuple[str, ...] = DEFAULT_PERIODS
    rest_day_periods: Tuple[str, ...] = DEFAULT_PERIODS
    max_wait_minutes: float = 15
    sweep_seconds: float = 30
    messages: Dict[str, str] = field(default_factory=dict)
    poll_queue_ms: int = 2000
    poll_conversation_ms: int = 1500
    kb_hits: int = 5
    kb_min_score: float = 0.75
    wechat_gateway_url: str = "http://127.0.0.1:8090"
    # How a seat may close a conversation: code -> label (settings/seats.yml outcomes).
    outcomes: Dict[str, str] = field(default_factory=lambda: dict(DEFAULT_OUTCOMES))

    def message(self, name: str, **values: Any) -> str:
        template = self.messages.get(name)
        if template is None:
            raise SettingsError(f"settings/seats.yml 缺少 messages.{name}")
        return template.format(**values)


def _periods(raw: Any, name: str) -> Tuple[str, ...]:
    if raw is None:
        return DEFAULT_PERIODS
    if not isinstance(raw, list):
        raise SettingsError(f"settings/seats.yml 中 hours.{name} 应为时间段列表，例如 [\"08:30-17:30\"]")
    return tuple(str(p) for p in raw)


def _outcomes(raw: Any) -> Dict[str, str]:
    if raw is None:
        return dict(DEFAULT_OUTCOMES)
    if not isinstance(raw, dict) or not raw or not all(isinstance(v, str) and v for v in raw.values()):
        raise SettingsError("settings/seats.yml 中 outcomes 应为“代码: 中文名称”的列表，例如 answered: 已解答")
    return {str(k)[:30]: v for k, v in raw.items()}


def seat_settings_from(raw: Dict[str, Any], env=None) -> SeatSettings:
    env = os.environ if env is None else env
    hours = raw.get("hours") or {}
    queue = raw.get("queue") or {}
    console = raw.get("console") or {}
    return SeatSettings(
        workday_periods=_periods(hours.get("workdays"), "workdays"),
        rest_day_periods=_periods(hours.get("rest_days"), "rest_days"),
        max_wait_minutes=float(env.get("HOTLINE_SEAT_MAX_WAIT_MINUTES") or queue.get("max_wait_minutes", 15)),
        sweep_seconds=float(queue.get("sweep_seconds", 30)),
        messages={str(k): str(v) for k, v in (raw.get("messages") or {}).items()},
        poll_queue_ms=int(console.get("poll_queue_ms", 2000)),
        poll_conversation_ms=int(console.get("poll_conversation_ms", 1500)),
        kb_hits=int(console.get("kb_hits", 5)),
        kb_min_score=float(console.get("kb_min_score", 0.75)),
        outcomes=_outcomes(raw.get("outcomes")),
        wechat_gateway_url=(env.get("HOTLINE_WECHAT_GATEWAY_URL") or raw.get("wechat_gateway_url")
                            or "http://127.0.0.1:8090").rstrip("/"),
    )


@lru_cache(maxsize=None)
def seat_settings() -> SeatSettings:
    return seat_settings_from(load_yaml("seats.yml"))


@dataclass(frozen=True)
class WeightedPattern:
    pattern: str
    weight: float = 1.0


@dataclass(frozen=True)
class Matter:
    name: str
    patterns: Tuple[str, ...] = ()
    intents: Tuple[str, ...] = ()


@dataclass(frozen=True)
class EscalationSettings:
    distress: Tuple[str, ...] = ()
    anger: Tuple[WeightedPattern, ...] = ()
    anger_threshold: float = 2.0
    anger_negations: str = ""
    matters: Tuple[Matter, ...] = ()


def _anger(raw: List[Any]) -> Tuple[WeightedPattern, ...]:
    patterns = []
    for item in raw or []:
        if isinstance(item, str):
            patterns.append(WeightedPattern(item))
        elif isinstance(item, dict) and item.get("pattern"):
            patterns.append(WeightedPattern(str(item["pattern"]), float(item.get("weight", 1))))
        else:
            raise SettingsError(f"settings/escalation.yml 中 anger 的条目格式错误：{item!r}")
    return tuple(patterns)


def _matters(raw: List[Any]) -> Tuple[Matter, ...]:
    matters = []
    for item in raw or []:
        if not isinstance(item, dict) or not item.get("name"):
            raise SettingsError(f"settings/escalation.yml 中 matters 的每一项都需要 name：{item!r}")
        matters.append(Matter(str(item["name"]), tuple(str(p) for p in item.get("patterns") or ()),
                              tuple(str(i) for i in item.get("intents") or ())))
    return tuple(matters)


def escalation_settings_from(raw: Dict[str, Any]) -> EscalationSettings:
    return EscalationSettings(
        distress=tuple(str(p) for p in raw.get("distress") or ()),
        anger=_anger(raw.get("anger")),
        anger_threshold=float(raw.get("anger_threshold", 2)),
        anger_negations=str(raw.get("anger_negations") or ""),
        matters=_matters(raw.get("matters")),
    )


@lru_cache(maxsize=None)
def escalation_settings() -> EscalationSettings:
    return escalation_settings_from(load_yaml("escalation.yml"))
