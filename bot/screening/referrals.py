"""What to tell a caller whose matter the hotline must not handle itself.

Wording and numbers come from settings/screening.yml so that each city can adapt them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional

from bot.screening.emergency import KINDS
from bot.settings import SettingsError, hotline_settings, load_yaml

NOT_ACCEPTED_PREFIX = "not_accepted"


@dataclass(frozen=True)
class EmergencyReferral:
    kind: str
    number: str
    service: str
    advice: str


@dataclass(frozen=True)
class NotAcceptedReferral:
    route: str
    reason: str
    where_to_go: str


def route_of_intent(intent: Optional[str]) -> Optional[str]:
    """'not_accepted_litigation' -> 'litigation'; any other intent -> None."""
    if intent and intent.startswith(NOT_ACCEPTED_PREFIX + "_"):
        return intent[len(NOT_ACCEPTED_PREFIX) + 1:]
    return None


@lru_cache(maxsize=None)
def _screening() -> Dict:
    return load_yaml("screening.yml")


def emergency_referral(kind: str) -> EmergencyReferral:
    entry = _screening().get("emergencies", {}).get(kind)
    if not entry:
        raise SettingsError(f"screening.yml 缺少紧急类型 {kind} 的转介信息")
    return EmergencyReferral(kind, str(entry["number"]), entry["service"], entry["advice"])


def not_accepted_referral(route: str) -> NotAcceptedReferral:
    routes = _screening().get("not_accepted", {})
    entry = routes.get(route) or routes.get("unlawful")
    if not entry:
        raise SettingsError(f"screening.yml 缺少不予受理类型 {route} 的说明")
    city = hotline_settings().city
    return NotAcceptedReferral(route, entry["reason"].format(city=city), entry["route"].format(city=city))


def _ordered_kinds(kinds: Iterable[str]) -> List[str]:
    ordered: List[str] = []
    for kind in kinds:
        if kind in KINDS and kind not in ordered:
            ordered.append(kind)
    return ordered or ["police"]


def emergency_numbers(kinds: Iterable[str]) -> List[str]:
    """The numbers emergency_message names, in its order (the first is the one to put a caller through to)."""
    numbers: List[str] = []
    for kind in _ordered_kinds(kinds):
        number = emergency_referral(kind).number
        if number not in numbers:
            numbers.append(number)
    return numbers


def emergency_message(kinds: Iterable[str]) -> str:
    """One message naming every number the caller needs, the most pressing first."""
    ordered = _ordered_kinds(kinds)
    first = emergency_referral(ordered[0])
    # The number comes first: a caller in danger may read no further.
    lines = [f"请立即拨打{first.number}（{first.service}）！这是紧急情况，12345热线无法处置。", first.advice]
    for kind in ordered[1:]:
        other = emergency_referral(kind)
        if other.number not in first.advice:
            lines.append(f"同时请拨打{other.number}（{other.service}）。")
    lines.append("电话接通前请保持冷静，说清楚具体地点和现场情况。")
    return "\n".join(lines)


def not_accepted_message(route: str) -> str:
    referral = not_accepted_referral(route)
    return f"很抱歉，{referral.reason}\n建议：{referral.where_to_go}"
