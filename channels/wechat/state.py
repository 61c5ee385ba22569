"""State shared by the gateway's requests: in Redis when HOTLINE_REDIS_URL is set (shared by every
gateway process and kept across restarts), otherwise in this process.

Two faces of one store:
- StateStore (asyncio) for the request path: message claims, the numbered options last offered to
  each user, images waiting for the ticket being filled.
- TokenStorage (blocking, a wechatpy SessionStorage) for the access token, which wechatpy's
  blocking WeChatClient reads from worker threads; SharedAccessToken refreshes it before it
  expires, one process at a time.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from wechatpy.session import SessionStorage


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class StateStore(ABC):
    """Keys are namespaced by the store's prefix; values are JSON; every key has a lifetime."""

    @abstractmethod
    async def add(self, key: str, value: Any, ttl: float) -> bool:
        """Set only if absent; True when this call created the key."""

    @abstractmethod
    async def get(self, key: str) -> Any:
        ...

    @abstractmethod
    async def set(self, key: str, value: Any, ttl: float) -> None:
        ...

    @abstractmethod
    async def delete(self, key: str) -> None:
        ...

    @abstractmethod
    async def append(self, key: str, value: Any, ttl: float) -> int:
        """Append to the list at key (created if absent), renew its lifetime; the new length."""

    @abstractmethod
    async def items(self, key: str) -> List[Any]:
        ...

    async def close(self) -> None:
        return None


class MemoryStateStore(StateStore):
    SWEEP_ABOVE = 10000

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._data: Dict[str, Tuple[Any, float]] = {}
        self._clock = clock
        self._swept = clock()

    def _live(self, key: str) -> Optional[Tuple[Any, float]]:
        entry = self._data.get(key)
        if entry and entry[1] <= self._clock():
            del self._data[key]
            return None
        return entry

    def _sweep(self) -> None:
        """Drop expired keys now and then (at most once a minute, when there are many)."""
        now = self._clock()
        if len(self._data) > self.SWEEP_ABOVE and now - self._swept > 60:
            self._swept = now
            for key in [k for k, (_, exp) in self._data.items() if exp <= now]:
                del self._data[key]

    async def add(self, key, value, ttl):
        if self._live(key):
            return False
        self._sweep()
        self._data[key] = (json.loads(_dumps(value)), self._clock() + ttl)
        return True

    async def get(self, key):
        entry = self._live(key)
        return None if entry is None else entry[0]

    async def set(self, key, value, ttl):
        self._data[key] = (json.loads(_dumps(value)), self._clock() + ttl)

    async def delete(self, key):
        self._data.pop(key, None)

    async def append(self, key, value, ttl):
        entry = self._live(key)
        values = list(entry[0]) if entry else []
        values.append(json.loads(_dumps(value)))
        self._data[key] = (values, self._clock() + ttl)
        return len(values)

    async def items(self, key):
        entry = self._live(key)
        return list(entry[0]) if entry else []


class RedisStateStore(StateStore):
    def __init__(self, url: str, prefix: str):
        import redis.asyncio as redis_asyncio
        self.redis = redis_asyncio.from_url(url, decode_responses=True)
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    async def add(self, key, value, ttl):
        return bool(await self.redis.set(self._key(key), _dumps(value), nx=True, px=int(ttl * 1000)))

    async def get(self, key):
        raw = await self.redis.get(self._key(key))
        return None if raw is None else json.loads(raw)

    async def set(self, key, value, ttl):
        await self.redis.set(self._key(key), _dumps(value), px=int(ttl * 1000))

    async def delete(self, key):
        await self.redis.delete(self._key(key))

    async def append(self, key, value, ttl):
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(self._key(key), _dumps(value))
            pipe.pexpire(self._key(key), int(ttl * 1000))
            length, _ = await pipe.execute()
        return int(length)

    async def items(self, key):
        return [json.loads(raw) for raw in await self.redis.lrange(self._key(key), 0, -1)]

    async def close(self):
        await self.redis.aclose()


def make_state_store(redis_url: str, prefix: str) -> StateStore:
    return RedisStateStore(redis_url, prefix) if redis_url else MemoryStateStore()


class TokenStorage(SessionStorage):
    """Blocking key-value storage with lifetimes and a short lock, for worker threads."""

    def lock(self, key: str, ttl: float, wait: float) -> "contextmanager[bool]":
        raise NotImplementedError


class MemoryTokenStorage(TokenStorage):
    def __init__(self):
        self._data: Dict[str, Tuple[Any, float]] = {}
        self._guard = threading.Lock()
        self._locks: Dict[str, threading.Lock] = {}

    def get(self, key, default=None):
        with self._guard:
            entry = self._data.get(key)
            if entry is None or (entry[1] and entry[1] <= time.time()):
                return default
            return entry[0]

    def set(self, key, value, ttl=None):
        if value is None:
            return
        with self._guard:
            self._data[key] = (value, time.time() + ttl if ttl else 0)

    def delete(self, key):
        with self._guard:
            self._data.pop(key, None)

    @contextmanager
    def lock(self, key: str, ttl: float, wait: float) -> Iterator[bool]:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        held = lock.acquire(blocking=wait > 0, timeout=wait if wait > 0 else -1)
        try:
            yield held
        finally:
            if held:
                lock.release()


class RedisTokenStorage(TokenStorage):
    # Delete the lock only if it is still ours (it may have expired and been taken by another).
    _RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def __init__(self, url: str, prefix: str):
        import redis
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def get(self, key, default=None):
        raw = self.redis.get(self._key(key))
        return default if raw is None else json.loads(raw)

    def set(self, key, value, ttl=None):
        if value is None:
            return
        self.redis.set(self._key(key), _dumps(value), px=int(ttl * 1000) if ttl else None)

    def delete(self, key):
        self.redis.delete(self._key(key))

    @contextmanager
    def lock(self, key: str, ttl: float, wait: float) -> Iterator[bool]:
        name, mine = self._key(key), uuid.uuid4().hex
        deadline = time.monotonic() + wait
        held = bool(self.redis.set(name, mine, nx=True, px=int(ttl * 1000)))
        while not held and time.monotonic() < deadline:
            time.sleep(0.05)
            held = bool(self.redis.set(name, mine, nx=True, px=int(ttl * 1000)))
        try:
            yield held
        finally:
            if held:
                self.redis.eval(self._RELEASE, 1, name, mine)


def make_token_storage(redis_url: str, prefix: str) -> TokenStorage:
    return RedisTokenStorage(redis_url, prefix) if redis_url else MemoryTokenStorage()


class TokenUnavailable(RuntimeError):
    """No access token could be had (no credentials, or the token endpoint failed)."""


class SharedAccessToken:
    """One access token per AppID for every process: read from the storage while it has more than
    `margin` seconds to live; otherwise one process (holding the lock) fetches a new one and the
    others wait for it or keep using the old one while it is still valid."""

    def __init__(self, storage: TokenStorage, appid: str, margin: float = 300.0,
                 clock: Callable[[], float] = time.time):
        self.storage = storage
        self.key = f"access_token:{appid}"
        self.margin = margin
        self.clock = clock

    def record(self) -> Optional[Dict[str, Any]]:
        record = self.storage.get(self.key)
        return record if isinstance(record, dict) and record.get("token") else None

    def _fresh(self, record: Optional[Dict[str, Any]]) -> bool:
        return bool(record) and record["expires_at"] - self.clock() > self.margin

    def _valid(self, record: Optional[Dict[str, Any]]) -> bool:
        return bool(record) and record["expires_at"] - self.clock() > 5

    def peek(self) -> Optional[str]:
        record = self.record()
        return record["token"] if self._valid(record) else None

    def store(self, token: str, expires_in: float) -> None:
        self.storage.set(self.key, {"token": token, "expires_at": self.clock() + expires_in},
                         ttl=max(1, int(expires_in)))

    def invalidate(self, token: Optional[str] = None) -> None:
        record = self.record()
        if record and (token is None or record["token"] == token):
            self.storage.delete(self.key)

    def get(self, fetch: Callable[[], Any], force: bool = False) -> str:
        """The current token; `fetch` is called (under the lock) when a new one is needed and must
        store it with `store` (wechatpy's _fetch_access_token does, through the session)."""
        stale = self.record()
        if not force and self._fresh(stale):
            return stale["token"]
        with self.storage.lock(self.key + ":refresh", ttl=15, wait=0 if self._valid(stale) else 10) as held:
            record = self.record()
            if held:
                changed = record and stale and record["token"] != stale["token"]
                if self._fresh(record) and (not force or changed):
                    return record["token"]
                fetch()
                record = self.record()
                if not self._valid(record):
                    raise TokenUnavailable("token endpoint gave no usable access token")
                return record["token"]
        # Another process is refreshing: the old token is still valid for a while, use it.
        if self._valid(record):
            return record["token"]
        raise TokenUnavailable("another process holds the refresh lock and no valid token is stored")


class TokenSession(TokenStorage):
    """The wechatpy session of a WeChatClient, backed by the shared token (one key only)."""

    def __init__(self, shared: SharedAccessToken):
        self.shared = shared

    def get(self, key, default=None):
        return self.shared.peek() or default

    def set(self, key, value, ttl=None):
        if value:
            self.shared.store(value, ttl or 7200)

    def delete(self, key):
        self.shared.invalidate()
