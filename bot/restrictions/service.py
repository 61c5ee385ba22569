"""RestrictionList: restrict an abusive caller, lift a restriction early, and ask whether a caller is
restricted now (seed 004 (二)1: at most 30 natural days).

    restrictions = RestrictionList(engine)
    r = restrictions.add("phone", "+86 138 1234 5678", "多次辱骂话务员", 30, "热线坐席:王芳")
    restrictions.active("phone", "13812345678")      # -> r until it expires or is lifted
    restrictions.message(r)                          # what the citizen is told

Values are compared by the SHA-256 digest of their normalised form: 138-1234-5678, +8613812345678
and 0086 138 1234 5678 are one phone. Times are stored in UTC and shown in the hotline's time zone.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, Callable, Dict, List, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import sessionmaker

from bot.privacy import mask_phone, mask_text
from bot.restrictions.models import CALLER, KIND_LABELS, KINDS, PHONE, Restriction
from bot.settings import SettingsError, hotline_settings, load_yaml

MAX_REASON_CHARS = 500
_PHONE_KINDS = (PHONE, CALLER)
_MOBILE_WITH_COUNTRY = re.compile(r"^(?:0086|86)(1[3-9]\d{9})$")
STATUS_LABELS = {"active": "生效中", "expired": "已到期", "lifted": "已解除"}


class RestrictionError(ValueError):
    """A restriction request refused as it is; the message can be shown to people as it is."""


class RestrictionNotFound(RestrictionError):
    def __init__(self, restriction_id: Any):
        super().__init__(f"没有编号为 {restriction_id} 的限制记录")


class RestrictionConflict(RestrictionError):
    """Refused because of the restriction's state: already lifted or expired, or already restricted."""


def utc(moment: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """SQLite returns stored UTC values without their zone."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise RestrictionError(f"未知的限制类型：{kind}（可用：{'、'.join(KINDS)}）")
    return kind


def normalise(kind: str, value: str) -> str:
    """Phones to their digits (a mobile with +86/0086 to its 11 digits); other ids trimmed."""
    check_kind(kind)
    if kind in _PHONE_KINDS:
        digits = re.sub(r"\D", "", value or "")
        mobile = _MOBILE_WITH_COUNTRY.match(digits)
        return mobile.group(1) if mobile else digits
    return (value or "").strip()


def value_digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def shown_value(kind: str, normalised: str) -> str:
    """The masked value for people; short ids give away at most half of themselves."""
    if kind in _PHONE_KINDS:
        return mask_phone(normalised)
    return normalised[:min(4, len(normalised) // 2)] + "***"


def _local_date(moment: dt.datetime, zone: ZoneInfo) -> str:
    day = utc(moment).astimezone(zone).date()
    return f"{day.year}年{day.month}月{day.day}日"


class RestrictionList:
    def __init__(self, engine: Engine, timezone: Optional[str] = None,
                 clock: Optional[Callable[[], dt.datetime]] = None):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.zone = ZoneInfo(timezone or hotline_settings().timezone)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.max_days, self.restricted_message = _settings()

    def now(self) -> dt.datetime:
        return self.clock().astimezone(dt.timezone.utc)

    # -- changing ----------------------------------------------------------------------------

    def add(self, kind: str, value: str, reason: str, days: int, actor: str) -> Restriction:
        """Restrict for `days` natural days from now. A value already restricted is refused rather
        than stacked, so that one caller is never restricted beyond the maximum in a row."""
        normalised = self._checked_value(kind, value)
        reason = self._checked_reason(reason)
        self._check_days(days)
        digest = value_digest(normalised)
        now = self.now()
        with self.sessions.begin() as session:
            current = session.scalars(self._active_query(kind, digest, now)).first()
            if current is not None:
                raise RestrictionConflict(
                    f"{KIND_LABELS[kind]} {current.shown} 已被限制至{self.until(current)}（限制记录 {current.id}），"
                    "如需调整请先解除")
            restriction = Restriction(kind=kind, value_digest=digest, shown=shown_value(kind, normalised),
                                      reason=reason, created_by=_actor(actor), created_at=now,
                                      expires_at=now + dt.timedelta(days=days))
            session.add(restriction)
        return restriction

    def lift(self, restriction_id: int, actor: str, reason: str) -> Restriction:
        """End a restriction early. One conditional UPDATE: two people lifting at once cannot both win."""
        reason = self._checked_reason(reason, "解除原因")
        restriction = self.get(restriction_id)
        if restriction is None:
            raise RestrictionNotFound(restriction_id)
        now = self.now()
        self._check_liftable(restriction, now)
        changes = dict(lifted_by=_actor(actor), lifted_at=now, lift_reason=reason)
        with self.sessions.begin() as session:
            done = session.execute(update(Restriction).where(
                Restriction.id == restriction.id, Restriction.lifted_at.is_(None)).values(**changes)).rowcount
        if not done:
            self._check_liftable(self.get(restriction_id), now)   # says who lifted it first
        return self.get(restriction_id)

    # -- reading -----------------------------------------------------------------------------

    def get(self, restriction_id: int) -> Optional[Restriction]:
        with self.sessions() as session:
            return session.get(Restriction, restriction_id)

    def active(self, kind: str, value: str) -> Optional[Restriction]:
        """The restriction in force for this caller, or None. A value with nothing to compare (no
        caller number, say) is simply not restricted: the channels call this on every message."""
        normalised = normalise(kind, value)
        if not normalised:
            return None
        with self.sessions() as session:
            return session.scalars(self._active_query(kind, value_digest(normalised), self.now())).first()

    def list(self, include_past: bool = False, limit: int = 200) -> List[Restriction]:
        """Newest first: those in force, or with include_past every one ever made."""
        query = select(Restriction).order_by(Restriction.created_at.desc(), Restriction.id.desc()).limit(limit)
        if not include_past:
            query = query.where(Restriction.lifted_at.is_(None), Restriction.expires_at > self.now())
        with self.sessions() as session:
            return list(session.scalars(query))

    def status(self, restriction: Restriction) -> str:
        if restriction.lifted_at is not None:
            return "lifted"
        return "active" if utc(restriction.expires_at) > self.now() else "expired"

    def until(self, restriction: Restriction) -> str:
        """The local date the restriction ends, as said to people: 2026年12月23日."""
        return _local_date(restriction.expires_at, self.zone)

    def message(self, restriction: Restriction) -> str:
        """What the restricted citizen is told (settings/limits.yml restricted_message)."""
        return self.restricted_message.format(until=self.until(restriction))

    def view(self, restriction: Restriction) -> Dict[str, Any]:
        """The restriction for staff (API, CLI): masked value only, local times."""
        status = self.status(restriction)
        return {
            "id": restriction.id, "kind": restriction.kind, "kind_label": KIND_LABELS.get(restriction.kind),
            "shown": restriction.shown, "reason": restriction.reason, "status": status,
            "status_label": STATUS_LABELS[status], "active": status == "active",
            "created_by": restriction.created_by, "created_at": self._time(restriction.created_at),
            "expires_at": self._time(restriction.expires_at), "until": self.until(restriction),
            "lifted_by": restriction.lifted_by, "lifted_at": self._time(restriction.lifted_at),
            "lift_reason": restriction.lift_reason,
        }

    # -- checks ------------------------------------------------------------------------------

    @staticmethod
    def _active_query(kind: str, digest: str, now: dt.datetime):
        return (select(Restriction)
                .where(Restriction.kind == kind, Restriction.value_digest == digest,
                       Restriction.lifted_at.is_(None), Restriction.expires_at > now)
                .order_by(Restriction.expires_at.desc()))

    @staticmethod
    def _checked_value(kind: str, value: str) -> str:
        normalised = normalise(kind, value)
        if not normalised:
            raise RestrictionError(f"{KIND_LABELS[kind]}不能为空" + ("（没有数字）" if kind in _PHONE_KINDS else ""))
        if kind in _PHONE_KINDS and len(normalised) < 7:
            raise RestrictionError(f"{KIND_LABELS[kind]}至少应有7位数字")
        return normalised

    @staticmethod
    def _checked_reason(reason: str, what: str = "限制原因") -> str:
        """Masked before it is stored: a reason that quotes the caller's number must not keep it."""
        reason = (reason or "").strip()
        if not reason:
            raise RestrictionError(f"请填写{what}")
        if len(reason) > MAX_REASON_CHARS:
            raise RestrictionError(f"{what}不能超过{MAX_REASON_CHARS}字")
        return mask_text(reason)

    def _check_days(self, days: Any) -> None:
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise RestrictionError(f"限制天数应为 1 到 {self.max_days} 之间的整数（自然日）：{days}")
        if days > self.max_days:
            raise RestrictionError(f"限制最长 {self.max_days} 个自然日（settings/limits.yml 的 restriction_max_days），"
                                   f"不能设为 {days} 天")

    def _check_liftable(self, restriction: Restriction, now: dt.datetime) -> None:
        if restriction.lifted_at is not None:
            raise RestrictionConflict(f"限制记录 {restriction.id} 已于{_local_date(restriction.lifted_at, self.zone)}"
                                      f"由 {restriction.lifted_by} 解除")
        if utc(restriction.expires_at) <= now:
            raise RestrictionConflict(f"限制记录 {restriction.id} 已于{self.until(restriction)}到期，无需解除")

    def _time(self, moment: Optional[dt.datetime]) -> Optional[str]:
        return utc(moment).astimezone(self.zone).isoformat(timespec="seconds") if moment else None


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise RestrictionError("缺少操作人")
    return actor[:100]


def _settings():
    raw = load_yaml("limits.yml")
    max_days, message = raw.get("restriction_max_days"), raw.get("restricted_message")
    if not isinstance(max_days, int) or isinstance(max_days, bool) or max_days < 1:
        raise SettingsError(f"settings/limits.yml 的 restriction_max_days 应为正整数：{max_days!r}")
    if not isinstance(message, str) or "{until}" not in message:
        raise SettingsError("settings/limits.yml 的 restricted_message 应为文字，并含有 {until}")
    return max_days, message
