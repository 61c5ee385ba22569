"""End-of-speech detection: an energy VAD over 20 ms frames with an adaptive noise floor.

Time here is audio time (frames counted), not wall-clock time, so that a client sending faster
than real time (tests, benchmarks) gets the same segmentation as a phone line.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import List, Optional

from speech.audio import level_db
from channels.voice.config import ASR_RATE, VadConfig

FRAME_MS = 20


@dataclass
class SpeechStarted:
    pass


@dataclass
class SpeechEnded:
    pcm: bytes            # the utterance at ASR_RATE, with a little audio before and after
    truncated: bool = False


class Endpointer:
    def __init__(self, config: VadConfig = VadConfig(), rate: int = ASR_RATE, preroll_ms: int = 300,
                 tail_ms: int = 200, noise_window_ms: int = 3000):
        self.config = config
        self.rate = rate
        self.frame_bytes = rate * FRAME_MS // 1000 * 2
        self._start_frames = max(1, config.start_ms // FRAME_MS)
        self._end_frames = max(1, config.end_silence_ms // FRAME_MS)
        self._max_frames = int(config.max_utterance_s * 1000 / FRAME_MS)
        self._tail_frames = tail_ms // FRAME_MS
        self._preroll: deque = deque(maxlen=preroll_ms // FRAME_MS)
        self._pending = b""
        self.noise_db = -60.0
        self._levels: deque = deque(maxlen=noise_window_ms // FRAME_MS)
        self.speaking = False
        self.playing = False          # a prompt is playing: require more energy (echo) to barge in
        self._voiced_run = 0
        self._gap = 0
        self._silent_run = 0
        self._utterance: List[bytes] = []

    def threshold_db(self) -> float:
        margin = self.config.margin_db + (self.config.barge_in_margin_db if self.playing else 0.0)
        return max(self.config.min_db, self.noise_db + margin)

    def feed(self, pcm: bytes) -> List[object]:
        events: List[object] = []
        data = self._pending + pcm
        usable = len(data) - len(data) % self.frame_bytes
        self._pending = data[usable:]
        for start in range(0, usable, self.frame_bytes):
            event = self._frame(data[start:start + self.frame_bytes])
            if event is not None:
                events.append(event)
        return events

    def _frame(self, frame: bytes) -> Optional[object]:
        level = level_db(frame)
        # Noise floor by minimum statistics: the quietest frame of the last few seconds, learnt only
        # between utterances, so that a long sentence cannot drag the threshold up into its own
        # quieter syllables and cut itself short.
        if not self.speaking:
            self._levels.append(level)
            if len(self._levels) >= 10:
                self.noise_db = max(-75.0, min(self._levels) + 3.0)
        voiced = level >= self.threshold_db()
        if not self.speaking:
            self._preroll.append(frame)
            if voiced:
                self._voiced_run += 1
                self._gap = 0
            elif self._voiced_run:
                self._gap += 1
                if self._gap > 1:          # one quiet frame inside a syllable is tolerated
                    self._voiced_run, self._gap = 0, 0
            if self._voiced_run >= self._start_frames:
                self.speaking = True
                self._utterance = list(self._preroll)
                self._preroll.clear()
                self._silent_run = 0
                self._voiced_run, self._gap = 0, 0
                return SpeechStarted()
            return None
        self._utterance.append(frame)
        self._silent_run = 0 if voiced else self._silent_run + 1
        if self._silent_run >= self._end_frames:
            return self._end(truncated=False)
        if len(self._utterance) >= self._max_frames:
            return self._end(truncated=True)
        return None

    def _end(self, truncated: bool) -> SpeechEnded:
        keep = len(self._utterance) - max(0, self._silent_run - self._tail_frames)
        pcm = b"".join(self._utterance[:keep])
        self.reset()
        return SpeechEnded(pcm, truncated)

    def current(self) -> bytes:
        """The utterance so far (for streaming recognisers)."""
        return b"".join(self._utterance) if self.speaking else b""

    def flush(self) -> Optional[SpeechEnded]:
        """The caller hung up or the stream ended: whatever was being said is an utterance."""
        if not self.speaking:
            return None
        self._utterance.append(self._pending[: len(self._pending) // 2 * 2])
        self._pending = b""
        return self._end(truncated=False)

    def reset(self) -> None:
        self.speaking = False
        self._utterance = []
        self._silent_run = 0
        self._voiced_run, self._gap = 0, 0
