"""The shared state: store semantics (memory and Redis), message claims, and the access token that
is refreshed before it expires by one process at a time."""
from __future__ import annotations

import threading
import time

import pytest

from channels.wechat.dedupe import ANSWERED, DEFERRED, Deduplicator, message_key
from channels.wechat.state import (MemoryStateStore, MemoryTokenStorage, RedisStateStore, RedisTokenStorage,
                                   SharedAccessToken, TokenUnavailable)


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


async def exercise_store(store) -> None:
    assert await store.add("k", {"state": "processing"}, 30) is True
    assert await store.add("k", {"state": "other"}, 30) is False
    assert await store.get("k") == {"state": "processing"}
    await store.set("k", {"state": "done"}, 30)
    assert await store.get("k") == {"state": "done"}
    assert await store.append("list", {"n": 1}, 30) == 1
    assert await store.append("list", {"n": 2}, 30) == 2
    assert await store.items("list") == [{"n": 1}, {"n": 2}]
    await store.delete("list")
    assert await store.items("list") == [] and await store.get("missing") is None


async def test_memory_store_semantics_and_lifetimes():
    clock = Clock()
    store = MemoryStateStore(clock=clock)
    await exercise_store(store)
    await store.set("short", "x", 5)
    clock.now += 6
    assert await store.get("short") is None
    assert await store.add("short", "y", 5) is True


async def test_redis_store_semantics(redis_server_url, redis_prefix):
    store = RedisStateStore(f"{redis_server_url}/0", redis_prefix)
    try:
        await exercise_store(store)
        other_process = RedisStateStore(f"{redis_server_url}/0", redis_prefix)
        assert await other_process.add("k", "again", 30) is False
        await other_process.close()
    finally:
        await store.close()


def test_message_keys_follow_wechat_advice():
    assert message_key({"MsgId": "123", "FromUserName": "o1", "CreateTime": "9"}) == "msg:123"
    click = {"FromUserName": "o1", "CreateTime": "9", "Event": "CLICK", "EventKey": "MY_TICKETS"}
    assert message_key(click) == "evt:o1:9:click:MY_TICKETS"
    assert message_key(click) != message_key(dict(click, Event="subscribe", EventKey=""))
    assert message_key({}) is None


async def test_only_the_first_claim_owns_a_message_and_retries_see_its_outcome():
    dedupe = Deduplicator(MemoryStateStore(), processing_ttl=60, done_ttl=3600, poll=0.01)
    assert (await dedupe.claim("msg:1")).owner and not (await dedupe.claim("msg:1")).owner
    waiting = await dedupe.outcome("msg:1", timeout=0.05)
    assert waiting["state"] == "processing" and waiting["reply"] is None
    await dedupe.answered("msg:1", "好的")
    assert await dedupe.outcome("msg:1", 0) == {"state": ANSWERED, "reply": "好的"}
    assert (await dedupe.claim("msg:2")).owner
    await dedupe.deferred("msg:2")
    assert (await dedupe.outcome("msg:2", 1))["state"] == DEFERRED


class FakeTokenEndpoint:
    def __init__(self, shared: SharedAccessToken, expires_in: int = 7200, delay: float = 0.0):
        self.shared, self.expires_in, self.delay, self.calls = shared, expires_in, delay, 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
            number = self.calls
        time.sleep(self.delay)
        self.shared.store(f"token-{number}", self.expires_in)


def test_the_token_is_reused_while_fresh_and_refreshed_before_it_expires():
    clock = Clock()
    shared = SharedAccessToken(MemoryTokenStorage(), "wx1", margin=300, clock=clock)
    fetch = FakeTokenEndpoint(shared)
    assert shared.get(fetch) == "token-1"
    clock.now += 6000
    assert shared.get(fetch) == "token-1" and fetch.calls == 1
    clock.now += 950      # 250 s left: inside the margin, refresh now rather than fail later
    assert shared.get(fetch) == "token-2" and fetch.calls == 2


def test_a_forced_refresh_is_skipped_when_another_process_already_refreshed():
    storage = MemoryTokenStorage()
    first = SharedAccessToken(storage, "wx1", margin=300)
    fetch = FakeTokenEndpoint(first)
    old = first.get(fetch)
    first.get(fetch, force=True)                    # WeChat said the token is invalid: new one
    assert fetch.calls == 2 and first.peek() != old


def test_concurrent_threads_fetch_the_token_once():
    shared = SharedAccessToken(MemoryTokenStorage(), "wx1", margin=300)
    fetch = FakeTokenEndpoint(shared, delay=0.2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(shared.get(fetch))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fetch.calls == 1 and set(results) == {"token-1"}


def test_two_processes_on_redis_fetch_the_token_once(redis_server_url, redis_prefix):
    url = f"{redis_server_url}/0"
    processes = [SharedAccessToken(RedisTokenStorage(url, redis_prefix), "wx1", margin=300) for _ in range(2)]
    fetches = [FakeTokenEndpoint(p, delay=0.3) for p in processes]
    results = []
    threads = [threading.Thread(target=lambda i=i: results.append(processes[i].get(fetches[i]))) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(f.calls for f in fetches) == 1 and len(set(results)) == 1


def test_no_token_at_all_is_a_clear_error():
    shared = SharedAccessToken(MemoryTokenStorage(), "wx1")
    with pytest.raises(TokenUnavailable):
        shared.get(lambda: None)
