"""Voice gateway configuration: settings/voice.yml for what callers hear, environment variables for
where things run (ports, engines, model folders), in the manner of vosk-server.

| variable | default | what |
|---|---|---|
| VOICE_HOST | 127.0.0.1 | address both transports bind to |
| VOICE_WS_PORT | 8091 | WebSocket (vosk-server style) and the /calls HTTP API |
| VOICE_AUDIOSOCKET_PORT | 9092 | Asterisk AudioSocket TCP |
| VOICE_ASR_ENGINE | whisper | whisper (offline default, Mandarin) or vosk (streaming) |
| VOICE_WHISPER_MODEL | var/models/whisper-base | joined from the PyPI packages at first use |
| VOICE_WHISPER_BEAM | 5 | beam size |
| VOICE_VOSK_MODEL | (none) | a vosk model folder, e.g. vosk-model-small-cn-0.22 |
| VOICE_ASR_WORKERS | 1 | recognitions running at once (threads; the engines release the GIL) |
| VOICE_ASR_THREADS | 2 | CPU threads per recognition |
| VOICE_TTS_WORKERS | 1 | synthesis processes (one pyttsx3 engine each) |
| VOICE_TTS_TIMEOUT | 15 | seconds before a stuck synthesis process is replaced |
| VOICE_TTS_RATE | settings | words per minute |
| VOICE_PLAYBACK_PACE | 1.0 | reply audio is sent at this multiple of real time (tests use more) |
| VOICE_SILENCE_TIMEOUT | settings | seconds of caller silence before a re-prompt |
| VOICE_ARCHIVE_DIR | var/calls | per-call audio and transcripts |
| VOICE_MAX_CALLS | 20 | calls at once; one more hears "busy" and is closed |
| VOICE_MAX_CALL_SECONDS | 1800 | a call is ended politely after this long |
| VOICE_AUDIO_AHEAD_SECONDS | 10 | how far a caller's audio may run ahead of real time (more is dropped) |
| VOICE_INPUT_QUEUE | 1000 | frames, digits and texts waiting per call (more are dropped) |
| HOTLINE_VOICE_SECRET | (none) | the PBX/SIP gateway's secret: the /calls API, and the only clients whose call id and caller number are taken |
| HOTLINE_RASA_URL | settings/hotline.yml | the Rasa server (REST channel) |
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Dict, Optional

from bot.settings import PROJECT_ROOT, hotline_settings, load_yaml, project_path
from speech.recognition import ASR_RATE, RecognitionSettings, recognition_settings  # noqa: F401 - ASR_RATE: the gateway's too
AUDIOSOCKET_RATE = 8000   # Asterisk AudioSocket: 8 kHz signed linear, 320 bytes per 20 ms


@dataclass(frozen=True)
class VadConfig:
    start_ms: int = 100
    end_silence_ms: int = 700
    max_utterance_s: float = 20.0
    min_db: float = -50.0
    margin_db: float = 9.0
    barge_in_margin_db: float = 6.0


@dataclass(frozen=True)
class VoiceConfig(RecognitionSettings):
    """The gateway's settings: the recogniser's (speech.recognition), then its own."""
    host: str = "127.0.0.1"
    ws_port: int = 8091
    audiosocket_port: int = 9092
    tts_workers: int = 1
    tts_timeout_s: float = 15.0
    tts_voice: str = "sit/cmn-latn-pinyin"
    tts_rate: int = 170
    playback_pace: float = 1.0
    silence_timeout_s: float = 8.0
    max_reprompts: int = 1
    archive_dir: Path = PROJECT_ROOT / "var" / "calls"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_s: float = 30.0
    max_calls: int = 20
    max_call_s: float = 1800.0
    audio_ahead_s: float = 10.0
    input_queue: int = 1000
    secret: str = ""
    vad: VadConfig = field(default_factory=VadConfig)
    prompts: Dict[str, str] = field(default_factory=dict)

    def with_changes(self, **changes) -> "VoiceConfig":
        return replace(self, **changes)

    def prompt(self, name: str, **values) -> str:
        settings = hotline_settings()
        values.setdefault("city", settings.city)
        return self.prompts[name].format(**values)


DEFAULT_PROMPTS = {
    "greeting": "您好，这里是{city}12345政务服务便民热线智能客服。请直接说出您要办理的事情，转人工请按0。",
    "reprompt": "您还在吗？请说出您要办理的事情，转人工请按0。",
    "goodbye": "很抱歉没有听到您的声音。感谢您的来电，再见。",
    "to_seat": "好的，正在为您转接人工客服，请稍候。",
    "emergency_transfer": "这是紧急情况，正在为您转接{number}，请不要挂机。",
    "not_understood": "抱歉，我没有听清，请您再说一遍。",
    "backend_down": "抱歉，系统暂时繁忙，正在为您转接人工客服，请稍候。",
    "busy": "抱歉，当前来电较多，请稍后再拨，或拨打{city}12345热线由人工受理。",
    "too_long": "本次通话时间已较长，为保证其他市民能够接通，先结束通话。您说过的情况已记录，感谢您的来电，再见。",
    "option": "说“{title}”或按{key}",
}


def load_config(env: Optional[Dict[str, str]] = None) -> VoiceConfig:
    env = os.environ if env is None else env
    try:
        raw = load_yaml("voice.yml")
    except Exception:   # a missing voice.yml leaves the built-in defaults
        raw = {}
    vad_raw = raw.get("vad") or {}
    vad = VadConfig(**{k: type(getattr(VadConfig, k))(v) for k, v in vad_raw.items() if hasattr(VadConfig, k)})
    prompts = dict(DEFAULT_PROMPTS)
    prompts.update({k: str(v) for k, v in (raw.get("prompts") or {}).items()})
    get = env.get
    return VoiceConfig(
        host=get("VOICE_HOST", "127.0.0.1"),
        ws_port=int(get("VOICE_WS_PORT", 8091)),
        audiosocket_port=int(get("VOICE_AUDIOSOCKET_PORT", 9092)),
        **asdict(recognition_settings(env)),
        tts_workers=int(get("VOICE_TTS_WORKERS", 1)),
        tts_timeout_s=float(get("VOICE_TTS_TIMEOUT", 15)),
        tts_voice=get("VOICE_TTS_VOICE", raw.get("tts_voice", "sit/cmn-latn-pinyin")),
        tts_rate=int(get("VOICE_TTS_RATE", raw.get("tts_rate", 170))),
        playback_pace=float(get("VOICE_PLAYBACK_PACE", 1.0)),
        silence_timeout_s=float(get("VOICE_SILENCE_TIMEOUT", raw.get("silence_timeout_s", 8))),
        max_reprompts=int(raw.get("max_reprompts", 1)),
        archive_dir=project_path(get("VOICE_ARCHIVE_DIR")) or VoiceConfig.archive_dir,
        rasa_url=hotline_settings().rasa_url if "HOTLINE_RASA_URL" not in env else env["HOTLINE_RASA_URL"],
        max_calls=int(get("VOICE_MAX_CALLS", 20)),
        max_call_s=float(get("VOICE_MAX_CALL_SECONDS", 1800)),
        audio_ahead_s=float(get("VOICE_AUDIO_AHEAD_SECONDS", 10)),
        input_queue=int(get("VOICE_INPUT_QUEUE", 1000)),
        secret=get("HOTLINE_VOICE_SECRET", ""),
        vad=vad,
        prompts=prompts,
    )
