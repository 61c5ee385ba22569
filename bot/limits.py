"""Limits against abuse: at most N of something per window, per sender, address or phone.

The figures are in settings/limits.yml; HOTLINE_LIMIT_<NAME>="count/window_seconds" overrides one.

    limits = Limits.from_settings()
    limits.hit("message_per_sender", sender_id)      # raises Refusal(Chinese reason) when over

Counters are fixed windows: Redis (INCR + EXPIRE, shared by every process) when HOTLINE_REDIS_URL
is set, else this process's memory. Keys are hashed, so no phone or openid sits in Redis in clear.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional, Protocol, Tuple

from bot.settings import SettingsError, hotline_settings, load_yaml

logger = logging.getLogger(__name__)


class Refusal(Exception):
    """Over a limit; str() is what the citizen is told."""


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window_seconds: int
    message: str


class Counter(Protocol):
    def hit(self, key: str, window_seconds: int) -> int:
        """Count one more in key's current window; the count so far, this one included."""


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: Dict[str, Tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            started, count = self._counts.get(key, (now, 0))
            if now - started >= window_seconds:
                started, count = now, 0
            self._counts[key] = (started, count + 1)
            if len(self._counts) > 100_000:         # forget finished windows now and then
                self._counts = {k: v for k, v in self._counts.items() if now - v[0] < 86400}
            return count + 1


class RedisCounter:
    def __init__(self, url: str, prefix: str = "hotline-limits") -> None:
        import redis
        self.client = redis.Redis.from_url(url, socket_timeout=2)
        self.prefix = prefix

    def hit(self, key: str, window_seconds: int) -> int:
        import redis
        window = int(time.time() // window_seconds)
        name = f"{self.prefix}:{key}:{window}"
        try:
            with self.client.pipeline() as pipe:
                pipe.incr(name)
                pipe.expire(name, window_seconds + 5)
                count, _ = pipe.execute()
        except redis.RedisError:
            # Redis down: nobody is refused for our failure (the limits are against abuse, not load).
            logger.warning("limits: Redis unavailable, not counting")
            return 0
        return int(count)


def _override(name: str) -> Optional[Tuple[int, int]]:
    """HOTLINE_LIMIT_<NAME>="count/window_seconds" overrides limits.yml (a deployment's own figures)."""
    raw = os.environ.get(f"HOTLINE_LIMIT_{name.upper()}")
    if not raw:
        return None
    count, window = raw.split("/")
    return int(count), int(window)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]


class Limits:
    def __init__(self, limits: Dict[str, Limit], counter: Counter):
        self.limits = limits
        self.counter = counter

    @classmethod
    def from_settings(cls, counter: Optional[Counter] = None) -> "Limits":
        raw = load_yaml("limits.yml").get("limits") or {}
        limits = {}
        for name, entry in raw.items():
            try:
                count, window = _override(name) or (int(entry["count"]), int(entry["window_seconds"]))
                limits[name] = Limit(name, count, window, str(entry["message"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise SettingsError(f"limits.yml 中 {name} 应有 count、window_seconds 和 message；"
                                    f"环境变量 HOTLINE_LIMIT_{name.upper()} 应形如 30/60") from exc
        if counter is None:
            redis_url = hotline_settings().redis_url
            counter = RedisCounter(redis_url) if redis_url else MemoryCounter()
        return cls(limits, counter)

    def hit(self, name: str, key: str) -> None:
        limit = self.limits.get(name)
        if limit is None or not key:
            return
        if self.counter.hit(f"{name}:{_digest(key)}", limit.window_seconds) > limit.count:
            raise Refusal(limit.message)


@lru_cache(maxsize=1)
def process_limits() -> Limits:
    """The limits of this process (counters shared through Redis when configured)."""
    return Limits.from_settings()
