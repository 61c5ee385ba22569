"""Hole 6 of the security review: the voice gateway had no bounds. A gateway of its own, with
small bounds, against the session's assistant: a call over the limit hears "busy", audio pushed
faster than anyone speaks is not written, a long call ends politely, the call API wants the secret."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from channels.voice.clients import WebSocketCaller
from speech.audio import silence
from channels.voice.config import load_config
from tests.support.voice.fixtures import LoopThread

pytestmark = pytest.mark.rasa


@pytest.fixture
def bounded(voice_rasa_url, whisper, tmp_path):
    from channels.voice.gateway import Gateway

    def start(**bounds):
        config = load_config().with_changes(ws_port=0, audiosocket_port=0, rasa_url=voice_rasa_url, playback_pace=8.0,
                                            archive_dir=tmp_path / "calls", secret="pbx-secret", **bounds)
        loop = LoopThread()
        gateway = Gateway(config, recognizer=whisper, origins=[])
        loop.run(gateway.start())
        gateway.loop, gateway.url = loop, f"ws://127.0.0.1:{gateway.ws_port}/"
        started.append(gateway)
        return gateway

    started = []
    yield start
    for gateway in started:
        gateway.loop.run(gateway.stop())
        gateway.loop.close()


def test_one_call_more_than_allowed_hears_busy(bounded):
    gateway = bounded(max_calls=0)

    async def call():
        async with WebSocketCaller(gateway.url) as caller:
            return await caller.wait_closed(20)

    heard = gateway.loop.run(call())
    errors = [m for _, m in heard.messages if m.get("error")]
    assert errors and errors[0]["error"] == "busy" and "来电较多" in errors[0]["bot"]


def test_audio_pushed_faster_than_speech_is_dropped(bounded):
    gateway = bounded(audio_ahead_s=2.0, silence_timeout_s=30.0)

    async def call():
        async with WebSocketCaller(gateway.url) as caller:
            await caller.wait_until(lambda h: any("call_id" in m for _, m in h.messages), 20)
            await caller.speak(silence(60.0, caller.rate), pace=None, trailing_silence_s=0)   # a minute at once
            call_id = next(m["call_id"] for _, m in caller.heard.messages if "call_id" in m)
            await caller.eof()
            await caller.wait_closed(30)
            return call_id

    call_id = gateway.loop.run(call())
    recorded = Path(gateway.config.archive_dir) / call_id / "caller.wav"
    seconds = (recorded.stat().st_size - 44) / (2 * 16000)
    assert seconds < 10, f"{seconds:.1f} s of a minute pushed at once were written"


def test_a_call_longer_than_allowed_ends_politely(bounded):
    gateway = bounded(max_call_s=2.0)

    async def call():
        async with WebSocketCaller(gateway.url) as caller:
            return await caller.wait_closed(60)

    heard = gateway.loop.run(call())
    assert any(m.get("prompt") == "too_long" for _, m in heard.messages)
    assert heard.events and heard.events[-1]["event"] == "hangup"


def test_the_call_api_wants_the_pbx_secret(bounded):
    gateway = bounded()
    base = f"http://127.0.0.1:{gateway.ws_port}/calls/some-call"
    for request in (urllib.request.Request(base), urllib.request.Request(base + "/transfer"),
                    urllib.request.Request(base, data=b'{"caller": "13900001111"}', method="POST")):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
    allowed = urllib.request.Request(base, data=json.dumps({"caller": "13900001111"}).encode(), method="POST",
                                     headers={"Authorization": "Bearer pbx-secret"})
    with urllib.request.urlopen(allowed, timeout=10) as response:
        assert json.loads(response.read())["caller"] == "139****1111"


def test_a_restricted_caller_hears_why_and_the_call_ends(bounded, stack_database_url):
    """Seed 004 on the phone: a caller number restricted by the office."""
    from bot.restrictions.service import RestrictionList
    from bot.tickets.database import make_engine, migrate
    engine = make_engine(stack_database_url)
    migrate(engine)
    RestrictionList(engine).add("caller", "13900002222", "反复拨打辱骂话务员", 3, "热线坐席:测试")
    gateway = bounded()

    async def call():
        async with WebSocketCaller(gateway.url, caller="13900002222", secret="pbx-secret") as caller:
            return await caller.wait_closed(60)

    heard = gateway.loop.run(call())
    said = [m.get("bot", "") for _, m in heard.messages if m.get("prompt") == "restricted"]
    assert said and "限制使用本热线服务至" in said[0]
    assert not any(m.get("prompt") == "greeting" for _, m in heard.messages)
