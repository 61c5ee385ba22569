"""Caller-side clients of both transports, for tests, the benchmark and operators' smoke checks.

    .venv/bin/python -m channels.voice.clients ws some.wav          # ws://127.0.0.1:8091/
    .venv/bin/python -m channels.voice.clients audiosocket some.wav  # 127.0.0.1:9092
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp

from speech.audio import read_wav, resample, silence
from channels.voice.audiosocket import (FRAME_BYTES, KIND_AUDIO, KIND_DTMF, KIND_HANGUP, KIND_UUID, encode,
                                        read_message)
from channels.voice.config import AUDIOSOCKET_RATE


@dataclass
class Heard:
    """Everything the caller side received, with arrival times (time.monotonic())."""
    messages: List[Tuple[float, Dict]] = field(default_factory=list)
    audio_chunks: List[Tuple[float, int]] = field(default_factory=list)
    audio: bytearray = field(default_factory=bytearray)
    closed_at: Optional[float] = None

    def of(self, key: str) -> List:
        return [m[key] for _, m in self.messages if key in m]

    @property
    def texts(self) -> List[str]:
        return self.of("text")

    @property
    def bots(self) -> List[str]:
        return self.of("bot")

    @property
    def partials(self) -> List[str]:
        return self.of("partial")

    @property
    def events(self) -> List[Dict]:
        return [m for _, m in self.messages if "event" in m]

    def audio_bytes_after(self, moment: float) -> int:
        return sum(n for t, n in self.audio_chunks if t >= moment)

    def first_audio_after(self, moment: float) -> Optional[float]:
        return next((t for t, _ in self.audio_chunks if t >= moment), None)


class _Caller:
    rate: int
    chunk_bytes: int

    def __init__(self):
        self.heard = Heard()
        self._changed = asyncio.Event()
        self.speech_ended_at: Optional[float] = None

    def _note(self) -> None:
        self._changed.set()

    async def wait_until(self, predicate: Callable[[Heard], bool], timeout: float = 60) -> Heard:
        deadline = time.monotonic() + timeout
        while not predicate(self.heard):
            if self.heard.closed_at is not None:
                if predicate(self.heard):
                    break
                raise AssertionError(f"call ended before the expected message; heard {self.heard.messages}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise asyncio.TimeoutError(f"timed out; heard {self.heard.messages}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass
        return self.heard

    async def wait_closed(self, timeout: float = 60) -> Heard:
        deadline = time.monotonic() + timeout
        while self.heard.closed_at is None:
            if time.monotonic() > deadline:
                raise asyncio.TimeoutError(f"call not closed; heard {self.heard.messages}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=0.5)
            except asyncio.TimeoutError:
                pass
        return self.heard

    async def _send_chunk(self, chunk: bytes) -> None:
        raise NotImplementedError

    async def speak(self, pcm: bytes, pace: Optional[float] = None, trailing_silence_s: float = 1.0) -> None:
        """Send PCM (at self.rate) then silence; pace None = as fast as the socket takes it,
        1.0 = real time. speech_ended_at is when the last sample of speech left."""
        await self._stream(pcm, pace)
        self.speech_ended_at = time.monotonic()
        if trailing_silence_s:
            await self._stream(silence(trailing_silence_s, self.rate), pace)

    async def _stream(self, pcm: bytes, pace: Optional[float]) -> None:
        started = time.monotonic()
        seconds_per_byte = 1.0 / (2 * self.rate)
        for offset in range(0, len(pcm), self.chunk_bytes):
            chunk = pcm[offset:offset + self.chunk_bytes]
            if len(chunk) < self.chunk_bytes:
                chunk += b"\x00" * (self.chunk_bytes - len(chunk))
            await self._send_chunk(chunk)
            if pace:
                due = started + (offset + len(chunk)) * seconds_per_byte / pace
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            elif offset % (self.chunk_bytes * 50) == 0:
                await asyncio.sleep(0)


class WebSocketCaller(_Caller):
    """A vosk-server style client: config, binary PCM, {"eof" : 1}."""

    def __init__(self, url: str, rate: int = 16000, caller: Optional[str] = None, call_id: Optional[str] = None,
                 chunk_ms: int = 100, secret: Optional[str] = None):
        super().__init__()
        self.url, self.rate = url, rate
        # A telephone gateway's secret: only then are its call id and caller number taken.
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        self.chunk_bytes = rate * chunk_ms // 1000 * 2
        self.config = {"sample_rate": rate}
        if caller:
            self.config["caller"] = caller
        if call_id:
            self.config["call_id"] = call_id
        self._session: Optional[aiohttp.ClientSession] = None
        self._ws = None
        self._reader: Optional[asyncio.Task] = None

    async def __aenter__(self) -> "WebSocketCaller":
        self._session = aiohttp.ClientSession()
        self._ws = await self._session.ws_connect(self.url, max_msg_size=1 << 22, headers=self.headers)
        await self._ws.send_str(json.dumps({"config": self.config}))
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._reader:
            self._reader.cancel()
        if self._session:
            await self._session.close()

    async def _read(self) -> None:
        try:
            async for message in self._ws:
                now = time.monotonic()
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.heard.audio.extend(message.data)
                    self.heard.audio_chunks.append((now, len(message.data)))
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.heard.messages.append((now, json.loads(message.data)))
                self._note()
        finally:
            self.heard.closed_at = time.monotonic()
            self._note()

    async def _send_chunk(self, chunk: bytes) -> None:
        if self._ws.closed:
            raise ConnectionError("gateway closed the call")
        await self._ws.send_bytes(chunk)

    async def dtmf(self, digits: str) -> None:
        await self._ws.send_str(json.dumps({"dtmf": digits}))

    async def say_text(self, text: str) -> None:
        """An utterance the client recognised itself."""
        await self._ws.send_str(json.dumps({"text": text}, ensure_ascii=False))

    async def eof(self) -> None:
        if not self._ws.closed:
            await self._ws.send_str('{"eof" : 1}')


class AudioSocketCaller(_Caller):
    """What Asterisk's AudioSocket() application does: UUID, 320-byte 8 kHz frames, DTMF, hang-up."""

    rate = AUDIOSOCKET_RATE
    chunk_bytes = FRAME_BYTES

    def __init__(self, host: str, port: int, call_id: Optional[str] = None):
        super().__init__()
        self.host, self.port = host, port
        self.call_id = uuid.UUID(call_id) if call_id else uuid.uuid4()
        self._reader_task: Optional[asyncio.Task] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self.frame_sizes: List[int] = []

    async def __aenter__(self) -> "AudioSocketCaller":
        reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._writer.write(encode(KIND_UUID, self.call_id.bytes))
        await self._writer.drain()
        self._reader_task = asyncio.create_task(self._read(reader))
        return self

    async def __aexit__(self, *exc) -> None:
        if self._writer and not self._writer.is_closing():
            self._writer.close()
        if self._reader_task:
            self._reader_task.cancel()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                kind, payload = await read_message(reader)
                now = time.monotonic()
                if kind == KIND_AUDIO:
                    self.frame_sizes.append(len(payload))
                    self.heard.audio.extend(payload)
                    self.heard.audio_chunks.append((now, len(payload)))
                elif kind == KIND_HANGUP:
                    self.heard.messages.append((now, {"event": "hangup", "kind": "0x00"}))
                    break
                else:
                    self.heard.messages.append((now, {"kind": kind, "payload": payload.hex()}))
                self._note()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.heard.closed_at = time.monotonic()
            self._note()

    async def _send_chunk(self, chunk: bytes) -> None:
        if self._writer.is_closing() or self.heard.closed_at is not None:
            raise ConnectionError("gateway hung up")
        self._writer.write(encode(KIND_AUDIO, chunk))
        await self._writer.drain()

    async def dtmf(self, digits: str) -> None:
        for digit in digits:
            self._writer.write(encode(KIND_DTMF, digit.encode("ascii")))
        await self._writer.drain()

    async def hangup(self) -> None:
        if not self._writer.is_closing():
            self._writer.write(encode(KIND_HANGUP))
            await self._writer.drain()


def load_pcm(path: str, rate: int) -> bytes:
    pcm, source_rate = read_wav(path)
    return resample(pcm, source_rate, rate)


async def _main(args) -> None:
    if args.transport == "ws":
        caller = WebSocketCaller(args.url, rate=16000)
    else:
        host, port = args.address.rsplit(":", 1)
        caller = AudioSocketCaller(host, int(port))
    async with caller:
        await caller.speak(load_pcm(args.wav, caller.rate), pace=1.0, trailing_silence_s=1.5)
        try:
            await caller.wait_until(lambda h: h.bots, timeout=60)
            await asyncio.sleep(2)
        finally:
            if args.transport == "ws":
                await caller.eof()
            else:
                await caller.hangup()
    for _, message in caller.heard.messages:
        print(json.dumps(message, ensure_ascii=False))
    print(f"reply audio: {len(caller.heard.audio)} bytes")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="call the voice gateway with a WAV file")
    parser.add_argument("transport", choices=["ws", "audiosocket"])
    parser.add_argument("wav")
    parser.add_argument("--url", default="ws://127.0.0.1:8091/")
    parser.add_argument("--address", default="127.0.0.1:9092")
    asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
