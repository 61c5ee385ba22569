"""Pure units of the gateway: numbers, call control, endpointing, the AudioSocket codec, the
archive, text for the synthesiser, configuration. No models, no servers."""
from __future__ import annotations

import asyncio
import json
import struct

import numpy as np
import pytest

from bot import channel_events
from channels.voice.archive import CallArchive, call_for_ticket
from speech.audio import level_db, resample, silence, to_pcm
from channels.voice.audiosocket import KIND_AUDIO, KIND_UUID, encode, read_message
from channels.voice.config import VadConfig, load_config
from channels.voice.control import (SEAT, button_for_key, button_for_speech, decide, spoken_reply)
from channels.voice.endpointing import Endpointer, SpeechEnded, SpeechStarted
from channels.voice.metrics import cer, normalise_for_cer
from speech.numbers import digits_for_speech, heard_numbers_to_digits
from speech.synthesis import speakable

RATE = 16000


def tone(seconds: float, db: float = -20.0, freq: float = 300.0) -> bytes:
    """A voice-like test signal: a tone in syllables (3 a second, with gaps between them)."""
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = np.sqrt(np.abs(np.sin(np.pi * 3 * t + 0.3)))
    return to_pcm(10 ** (db / 20) * 2 * envelope * np.sin(2 * np.pi * freq * t))


def noise(seconds: float, db: float) -> bytes:
    rng = np.random.default_rng(7)
    return to_pcm(rng.normal(0, 10 ** (db / 20), int(seconds * RATE)))


# ------------------------------------------------------------------ numbers

@pytest.mark.parametrize("heard, expected", [
    ("我的电话是一三八 一二三四 五六七八", "我的电话是13812345678"),
    ("电话是138 1234 5678", "电话是13812345678"),
    ("电话138-1234-5678", "电话13812345678"),
    ("查询工单二零二六一一二二零零零一", "查询工单202611220001"),
    ("幺幺九", "119"),
    ("一二线城市", "一二线城市"),          # two digit words are words
    ("来了两三个人", "来了两三个人"),      # an amount, not a code
    ("第3, 4条", "第3, 4条"),             # short numbers stay apart
])
def test_numbers_heard_become_digits(heard, expected):
    assert heard_numbers_to_digits(heard) == expected


def test_numbers_are_read_out_digit_by_digit():
    assert digits_for_speech("请立即拨打119") == "请立即拨打幺幺九"
    assert digits_for_speech("工单编号：202611220001") == "工单编号：二零二六幺幺二二零零零幺"
    assert digits_for_speech("2026年11月30日") == "二零二六年十一月三十日"
    assert digits_for_speech("12345热线") == "幺二三四五热线"


def test_speakable_text():
    text = speakable("请立即拨打119（消防救援电话）！\n迅速撤离")
    assert "幺幺九" in text and "（" not in text and "\n" not in text and "，！" not in text


# ------------------------------------------------------------------ call control

def _custom(*events):
    """Messages as Rasa's REST channel returns the assistant's events."""
    return [{"custom": channel_events.envelope(event)} for event in events]


def _decide(messages, transcript=""):
    return decide(channel_events.read(messages), transcript)


def test_emergency_from_the_assistants_transfer_event():
    t = _decide(_custom(channel_events.transfer("120", "emergency", "medical")), "我家老人晕倒了")
    assert t.to == "120" and t.event() == {"event": "transfer", "to": "120", "reason": "medical"}


def test_the_wording_of_a_reply_moves_nothing():
    # The number named in text (or a citizen's words quoted back) is no transfer: only events are.
    assert decide([], "") is None
    assert _decide([{"text": "请立即拨打120（急救电话）！这是紧急情况"}], "嗯") is None
    assert _decide([{"text": "请拨打12345热线转人工客服。"}], "嗯") is None


def test_emergency_from_the_transcript_when_no_event_says_so():
    assert decide([], "厨房冒烟了").to == "119"
    assert decide([], "请问120急救车怎么收费") is None


def test_handoff_said_by_the_caller():
    assert decide([], "我要转人工").to == SEAT
    assert decide([], "我要投诉") is None


def test_the_assistant_can_ask_for_a_transfer():
    messages = _custom(channel_events.transfer("seat", "asked", "市民要求人工"))
    transfer = _decide(messages, "嗯")
    assert transfer.event() == {"event": "transfer", "to": "seat", "reason": "市民要求人工"}
    # an emergency in the same turn still wins, and nothing malformed is a transfer
    assert _decide(messages, "着火了").to == "119"
    assert _decide([{"custom": {"data": {"event": "transfer", "to": "12315"}}}, {"custom": {"data": 1}},
                    {"custom": "transfer"}], "嗯") is None


def test_buttons_are_spoken_options_and_keys():
    buttons = [{"title": "同意", "payload": "/affirm"}, {"title": "不同意", "payload": "/deny"}]
    spoken = spoken_reply("请确认以上信息。", buttons, "说“{title}”或按{key}")
    assert spoken.endswith("请说“同意”或按1，说“不同意”或按2。")
    assert button_for_key("2", buttons)["payload"] == "/deny"
    assert button_for_key("3", buttons) is None
    assert button_for_speech("同意。", buttons)["payload"] == "/affirm"
    assert button_for_speech("我同意这个说法", buttons) is None


# ------------------------------------------------------------------ endpointing

def test_endpointer_finds_one_utterance_in_noise():
    endpointer = Endpointer(VadConfig(end_silence_ms=600))
    audio = noise(1.0, -55) + tone(1.2) + noise(1.0, -55)
    events = []
    for start in range(0, len(audio), 640 * 3):          # odd chunking must not matter
        events += endpointer.feed(audio[start:start + 640 * 3])
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
    seconds = len(events[1].pcm) / 2 / RATE
    assert 1.2 <= seconds <= 1.2 + 0.3 + 0.2 + 0.05        # speech + pre-roll + kept tail


def test_endpointer_ignores_clicks_and_cuts_endless_speech():
    endpointer = Endpointer(VadConfig(max_utterance_s=2.0))
    assert endpointer.feed(silence(0.5, RATE) + tone(0.04) + silence(0.5, RATE)) == []
    events = endpointer.feed(tone(3.0))
    ended = [e for e in events if isinstance(e, SpeechEnded)]
    assert len(ended) == 1 and ended[0].truncated and len(ended[0].pcm) <= 2.0 * RATE * 2


def test_endpointer_needs_more_energy_while_a_prompt_plays():
    quiet = noise(1.0, -62) + tone(0.6, db=-44)
    assert any(isinstance(e, SpeechStarted) for e in Endpointer(VadConfig(min_db=-45)).feed(quiet))
    playing = Endpointer(VadConfig(min_db=-45, margin_db=12, barge_in_margin_db=12))
    playing.playing = True
    assert not any(isinstance(e, SpeechStarted) for e in playing.feed(quiet))


def test_flush_returns_the_speech_of_a_caller_who_hangs_up_mid_sentence():
    endpointer = Endpointer()
    endpointer.feed(tone(0.5))
    ended = endpointer.flush()
    assert isinstance(ended, SpeechEnded) and len(ended.pcm) >= 0.35 * RATE * 2
    assert endpointer.flush() is None


# ------------------------------------------------------------------ audio and the AudioSocket codec

def test_resampling_keeps_duration_and_level():
    pcm = tone(1.0, db=-20)
    down = resample(pcm, 16000, 8000)
    assert len(down) == 16000 and abs(level_db(down) - level_db(pcm)) < 1.0


def test_audiosocket_messages_round_trip():
    frame = encode(KIND_AUDIO, b"\x01\x02" * 160)
    assert frame[:3] == struct.pack(">BH", 0x10, 320) and len(frame) == 323

    async def parse():
        reader = asyncio.StreamReader()
        reader.feed_data(encode(KIND_UUID, bytes(range(16))) + frame)
        reader.feed_eof()
        return await read_message(reader), await read_message(reader)

    (kind1, uuid_bytes), (kind2, audio) = asyncio.run(parse())
    assert (kind1, uuid_bytes) == (KIND_UUID, bytes(range(16)))
    assert (kind2, len(audio)) == (KIND_AUDIO, 320)
    with pytest.raises(ValueError):
        encode(KIND_AUDIO, b"\x00" * 70000)


# ------------------------------------------------------------------ archive

def test_archive_links_ticket_and_masks_the_caller(tmp_path):
    archive = CallArchive(tmp_path, "call-1", "audiosocket", 8000, caller="13812345678")
    archive.caller_audio(b"\x00\x01" * 800)
    archive.assistant_audio(b"\x00\x02" * 1600)
    archive.record("caller", "我的电话是13812345678")
    archive.record("caller", "工单编号：202611229999")      # words link nothing
    archive.record("assistant", "已为您登记，工单编号：202611220001。请记好。")
    archive.link_ticket("202611220001")                     # the ticket_opened event does
    archive.close({"event": "hangup"})
    meta = json.loads((tmp_path / "call-1" / "meta.json").read_text())
    assert meta["caller"] == "138****5678" and meta["tickets"] == ["202611220001"]
    assert meta["outcome"] == {"event": "hangup"}
    assert call_for_ticket(tmp_path, "202611220001")["call_id"] == "call-1"
    shown = (tmp_path / "call-1" / "transcript.txt").read_text()
    assert "13812345678" not in shown and "138****5678" in shown
    lines = [json.loads(l) for l in (tmp_path / "call-1" / "transcript.jsonl").read_text().splitlines()]
    assert [l["speaker"] for l in lines] == ["caller", "caller", "assistant"]
    import wave
    with wave.open(str(tmp_path / "call-1" / "caller.wav")) as w:
        assert (w.getframerate(), w.getnframes()) == (8000, 800)
    with pytest.raises(ValueError):
        CallArchive(tmp_path, "../..", "websocket", 16000)


def test_archive_refuses_path_tricks(tmp_path):
    archive = CallArchive(tmp_path, "../../etc/x", "websocket", 16000)
    assert archive.path.parent == tmp_path
    archive.close()


# ------------------------------------------------------------------ configuration and metrics

def test_config_from_environment(monkeypatch):
    config = load_config({"VOICE_WS_PORT": "9999", "VOICE_ASR_ENGINE": "VOSK", "VOICE_VOSK_MODEL": "/m",
                          "VOICE_SILENCE_TIMEOUT": "2.5", "HOTLINE_RASA_URL": "http://127.0.0.1:1"})
    assert (config.ws_port, config.asr_engine, str(config.vosk_model)) == (9999, "vosk", "/m")
    assert config.silence_timeout_s == 2.5 and config.rasa_url == "http://127.0.0.1:1"
    assert config.audiosocket_port == 9092 and config.tts_voice == "sit/cmn-latn-pinyin"
    assert "12345" in config.prompt("greeting")


def test_cer_normalises_script_digits_and_punctuation():
    assert normalise_for_cer("12線城市，") == "一二线城市"
    assert cer("一二线城市虽然也处于调整中", "12線城市雖然也處於調整中") == 0.0
    assert cer("广州市房地产中介协会分析", "广州市佛地产中间协会分析") == pytest.approx(2 / 12)
