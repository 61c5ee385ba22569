"""Each message reaches the assistant once, however often WeChat retries it.

WeChat retries a message it got no answer for within five seconds (three tries in all), possibly
to another gateway process. The first request to claim a message's key (MsgId; events have none,
so FromUserName + CreateTime) processes it; later tries wait a little for that outcome and repeat
the same passive reply, or answer "success" when the answer is going out by the customer-service
API. Claims live in the shared state store, so they hold across processes and restarts (Redis).

The reply text itself is kept only briefly (a retry comes within seconds): replies may quote
the citizen's phone number, and nothing personal should linger in the store.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from channels.wechat.state import StateStore

PROCESSING = "processing"
ANSWERED = "answered"     # passive reply given; the text is under reply:<key> for a short while
DEFERRED = "deferred"     # "success" given; the answer goes out through the customer-service API

REPLY_TTL = 60.0


def message_key(data: Mapping[str, Any]) -> Optional[str]:
    msg_id = str(data.get("MsgId") or "").strip()
    if msg_id:
        return f"msg:{msg_id}"
    source, created = str(data.get("FromUserName") or ""), str(data.get("CreateTime") or "")
    if source and created:
        # WeChat's advice is FromUserName + CreateTime; the event and its key make two different
        # events in the same second (subscribe, then a menu click) two keys, and a retry one.
        event, event_key = str(data.get("Event") or "").lower(), str(data.get("EventKey") or "")
        return f"evt:{source}:{created}:{event}:{event_key}"
    return None


@dataclass
class Claim:
    key: str
    owner: bool


class Deduplicator:
    def __init__(self, store: StateStore, processing_ttl: float, done_ttl: float, poll: float = 0.05):
        self.store = store
        self.processing_ttl = processing_ttl
        self.done_ttl = done_ttl
        self.poll = poll

    async def claim(self, key: str) -> Claim:
        created = await self.store.add(f"seen:{key}", {"state": PROCESSING, "at": time.time()}, self.processing_ttl)
        return Claim(key, created)

    async def answered(self, key: str, reply: str) -> None:
        await self.store.set(f"reply:{key}", reply, REPLY_TTL)
        await self.store.set(f"seen:{key}", {"state": ANSWERED, "at": time.time()}, self.done_ttl)

    async def deferred(self, key: str) -> None:
        await self.store.set(f"seen:{key}", {"state": DEFERRED, "at": time.time()}, self.done_ttl)

    async def outcome(self, key: str, timeout: float) -> Dict[str, Any]:
        """Wait up to `timeout` for the owner of key to answer; the state and any reply text."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            record = await self.store.get(f"seen:{key}") or {"state": PROCESSING}
            if record.get("state") == ANSWERED:
                return {"state": ANSWERED, "reply": await self.store.get(f"reply:{key}")}
            if record.get("state") != PROCESSING or time.monotonic() >= deadline:
                return {"state": record.get("state"), "reply": None}
            await asyncio.sleep(self.poll)
