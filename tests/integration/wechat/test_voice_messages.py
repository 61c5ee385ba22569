"""Voice messages without WeChat's Recognition text are recognised by the gateway itself."""
from __future__ import annotations

import io
import json
import time
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from bot.settings import PROJECT_ROOT
from channels.voice.metrics import cer
from speech.audio import UnreadableAudio, decode_to_pcm
from tests.support.wechat.dialogue import user_messages
from tests.support.wechat.wechat_side import new_msg_id

SPEECH = PROJECT_ROOT.parent / "shared" / "speech"   # ../shared beside the project, as in CI


def recording(name: str):
    manifest = [json.loads(line) for line in (SPEECH / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    entry = next(e for e in manifest if e["wav"] == name)
    return SPEECH / name, entry["text"]


def amr_of(wav_path: Path) -> bytes:
    """What a WeChat client uploads: AMR-NB, 8 kHz mono."""
    with wave.open(str(wav_path)) as source:
        rate, pcm = source.getframerate(), source.readframes(source.getnframes())
    frame = av.AudioFrame.from_ndarray(np.frombuffer(pcm, dtype="int16").reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="amr") as container:
        stream = container.add_stream("libopencore_amrnb", rate=8000)
        stream.layout = "mono"
        for converted in av.AudioResampler(format="s16", layout="mono", rate=8000).resample(frame) + [None]:
            for packet in stream.encode(converted):
                container.mux(packet)
    return buffer.getvalue()


def test_amr_decodes_to_16k_pcm_of_the_same_length():
    path, _ = recording("funasr_asr_example.wav")
    with wave.open(str(path)) as source:
        seconds = source.getnframes() / source.getframerate()
    pcm = decode_to_pcm(amr_of(path))
    assert abs(len(pcm) / 2 / 16000 - seconds) < 0.1


def test_something_that_is_not_audio_is_refused():
    with pytest.raises(UnreadableAudio):
        decode_to_pcm(b"not audio at all")


def test_a_voice_message_without_recognition_reaches_the_assistant_as_text(citizen, wechat_api, stack):
    path, truth = recording("funasr_asr_example.wav")
    wechat_api.media["voice-1"] = amr_of(path)
    reply = citizen.send("voice", {"MediaId": "voice-1", "Format": "amr"}, msg_id=new_msg_id())
    assert reply.status == 200
    deadline = time.monotonic() + 60
    said = []
    while time.monotonic() < deadline and not said:
        said = [e["text"] for e in user_messages(stack.rasa_url, citizen.openid)]
        time.sleep(0.5)
    assert said, "the recognised text never reached the assistant"
    assert cer(truth, said[0]) < 0.35
    # Whether in the passive reply or, when recognition took longer, as a customer-service message,
    # the citizen is shown what was heard.
    assert wechat_api.wait_until(lambda: "语音识别" in (reply.content or "") or any(
        "语音识别" in json.dumps(m, ensure_ascii=False) for m in wechat_api.sent_to(citizen.openid)), timeout=30)
