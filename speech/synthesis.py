"""Speech synthesis with pyttsx3 and espeak-ng, in worker processes.

pyttsx3's runAndWait can hang when an engine is reused across threads, and save_to_file can return
before the file exists (NOTES.md). So each worker process owns exactly one engine, writes each
utterance to its own temporary file, waits while the engine is busy and the file is incomplete,
and returns the PCM bytes; the gateway awaits the result with a time limit and replaces the whole
pool when a worker gets stuck. Two calls therefore never share a file, and a stuck synthesis can
neither block the event loop nor another call for longer than the time limit.

Prompts that never change (greeting, re-prompt, goodbye …) are synthesised once and cached.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Dict, Optional, Tuple

from speech.audio import read_wav, resample
from speech.numbers import digits_for_speech

logger = logging.getLogger(__name__)


class TTSError(RuntimeError):
    """Synthesis failed or took too long."""


# ---------------------------------------------------------------- text the synthesiser can read

_DROP = re.compile(r"[*#_`~<>\[\]{}|\\/“”\"'《》【】]")
_PAUSE = re.compile(r"[\n\r]+")


def speakable(text: str) -> str:
    """Reply text as it should be read: numbers as spoken, markup dropped, lines as sentences."""
    text = _DROP.sub("", text or "")
    text = text.replace("（", "，").replace("）", "，").replace("(", "，").replace(")", "，")
    text = _PAUSE.sub("。", text.strip())
    text = re.sub(r"[，。]*([。！？；：])[，。]*", r"\1", text)
    text = re.sub(r"，{2,}", "，", text)
    return digits_for_speech(text).strip("，")


# ---------------------------------------------------------------- worker process side

_engine = None
_workdir = None


def _worker_init(voice: str, rate: int) -> None:
    global _engine, _workdir
    import pyttsx3
    # pyttsx3 prints "Audio saved to …" (a path) from its driver: keep the gateway's output clean.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    _engine = pyttsx3.init("espeak")
    _engine.setProperty("voice", voice)
    _engine.setProperty("rate", rate)
    _workdir = tempfile.mkdtemp(prefix="hotline-tts-")
    # multiprocessing children skip atexit; its own finalizers do run when the worker exits.
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(_workdir, True), exitpriority=10)


def _synthesise(text: str) -> Tuple[bytes, int]:
    """Runs in a worker: text -> (16-bit mono PCM, sample rate)."""
    path = os.path.join(_workdir, f"{uuid.uuid4().hex}.wav")
    try:
        _engine.save_to_file(text, path)
        _engine.runAndWait()
        deadline = time.monotonic() + 10
        while _engine.isBusy() and time.monotonic() < deadline:
            time.sleep(0.01)
        # The file may appear (and finish) slightly after runAndWait returns.
        size = -1
        while time.monotonic() < deadline:
            if os.path.exists(path):
                now = os.path.getsize(path)
                if now == size and now > 44:
                    break
                size = now
            time.sleep(0.02)
        if not os.path.exists(path):
            raise TTSError(f"espeak-ng wrote no audio for {text[:20]!r}")
        with open(path, "rb") as handle:
            return read_wav(handle.read())
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


# ---------------------------------------------------------------- gateway side

class Synthesizer:
    def __init__(self, voice: str = "sit/cmn-latn-pinyin", rate: int = 170, workers: int = 1,
                 timeout_s: float = 15.0):
        self.voice, self.rate, self.workers, self.timeout_s = voice, rate, max(1, workers), timeout_s
        self._pool: Optional[ProcessPoolExecutor] = None
        self._cache: Dict[Tuple[str, int], bytes] = {}
        self.cache_hits = 0
        self.syntheses = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: the gateway has threads (recognition, event loop); forking them is unsafe.
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(self.voice, self.rate))

    @property
    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool()
        return self._pool

    def _replace_pool(self) -> None:
        """A worker hung or died: kill this pool's processes and start afresh."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            try:
                process.kill()
            except Exception:   # already gone
                pass
        pool.shutdown(wait=False, cancel_futures=True)

    async def synthesise(self, text: str) -> Tuple[bytes, int]:
        """Raw synthesis (no cache): (PCM, sample rate)."""
        spoken = speakable(text)
        if not spoken:
            return b"", 22050
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            future = loop.run_in_executor(self.pool, _synthesise, spoken)
            try:
                result = await asyncio.wait_for(future, self.timeout_s)
                self.syntheses += 1
                return result
            except (asyncio.TimeoutError, BrokenProcessPool) as exc:
                logger.warning("synthesis attempt %d failed (%s); replacing the TTS worker", attempt, type(exc).__name__)
                self._replace_pool()
        raise TTSError("speech synthesis failed twice")

    async def speak(self, text: str, rate_out: int, cache: bool = False) -> bytes:
        """PCM of text at rate_out; cached when the text is a fixed prompt."""
        key = (text, rate_out)
        if cache and key in self._cache:
            self.cache_hits += 1
            return self._cache[key]
        pcm, rate = await self.synthesise(text)
        pcm = resample(pcm, rate, rate_out)
        if cache:
            self._cache[key] = pcm
        return pcm

    async def warm_up(self, prompts, rates) -> None:
        for text in prompts:
            for rate in rates:
                await self.speak(text, rate, cache=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
