"""Reply audio to the caller, paced like a phone line, and stoppable at once (barge-in)."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable, Optional

logger = logging.getLogger(__name__)


class Player:
    """Sends queued PCM in chunks of chunk_bytes at pace × real time, keeping at most `lead_s`
    seconds ahead of the listener (a phone line has almost no buffer; a browser has more)."""

    def __init__(self, send: Callable[[bytes], Awaitable[None]], rate: int, chunk_bytes: int,
                 pace: float = 1.0, lead_s: float = 0.1, on_sent: Optional[Callable[[bytes], None]] = None):
        self._send = send
        self.rate = rate
        self.chunk_bytes = chunk_bytes
        self.pace = max(0.01, pace)
        self.lead_s = lead_s
        self._on_sent = on_sent
        self._queue: "asyncio.Queue[bytes]" = asyncio.Queue()
        self._idle = asyncio.Event()
        self._idle.set()
        self._generation = 0
        self._task: Optional[asyncio.Task] = None
        self.first_byte_at: Optional[float] = None   # monotonic time of the last first chunk sent
        self.bytes_sent = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="player")

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def play(self, pcm: bytes) -> None:
        if not pcm:
            return
        pcm = pcm[: len(pcm) // 2 * 2]
        self._idle.clear()
        for start in range(0, len(pcm), self.chunk_bytes):
            chunk = pcm[start:start + self.chunk_bytes]
            if len(chunk) < self.chunk_bytes:
                chunk += b"\x00" * (self.chunk_bytes - len(chunk))
            self._queue.put_nowait(chunk)

    def stop(self) -> bool:
        """Drop everything not yet sent; True if something was playing."""
        was_busy = self.busy
        self._generation += 1
        while not self._queue.empty():
            self._queue.get_nowait()
        self._idle.set()
        return was_busy

    async def drained(self) -> None:
        await self._idle.wait()

    async def _run(self) -> None:
        seconds_per_byte = 1.0 / (2 * self.rate) / self.pace
        while True:
            chunk = await self._queue.get()
            generation = self._generation
            started = time.monotonic()
            self.first_byte_at = started
            sent_s = 0.0
            while True:
                try:
                    await self._send(chunk)
                except ConnectionError as exc:          # the caller hung up while we spoke
                    logger.debug("playback stopped: %s", exc)
                    self.stop()
                    break
                except RuntimeError as exc:
                    logger.warning("playback stopped: %s", exc)
                    self.stop()
                    break
                self.bytes_sent += len(chunk)
                if self._on_sent:
                    self._on_sent(chunk)
                sent_s += len(chunk) * seconds_per_byte
                ahead = started + sent_s - time.monotonic()
                if ahead > self.lead_s:
                    await asyncio.sleep(ahead - self.lead_s)
                if generation != self._generation or self._queue.empty():
                    break
                chunk = self._queue.get_nowait()
            if self._queue.empty():
                # let the last chunk be heard before calling the line idle
                remaining = started + sent_s - time.monotonic()
                if remaining > 0 and generation == self._generation:
                    await asyncio.sleep(remaining)
                if self._queue.empty():
                    self._idle.set()

    async def close(self) -> None:
        self.stop()
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
