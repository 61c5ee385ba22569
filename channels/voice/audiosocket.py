"""Asterisk AudioSocket over TCP (127.0.0.1:9092): phone calls.

Every message is a 1-byte kind, a 2-byte big-endian payload length and the payload:
0x01 call UUID (16 bytes, always first), 0x10 audio (8 kHz signed 16-bit little-endian mono,
320 bytes = 20 ms, both directions), 0x03 DTMF digit (1 ASCII byte), 0x00 hang-up, 0xFF error.

AudioSocket has no message for a transfer. When a call ends with one, the gateway plays the
message, sends 0x00 to end the AudioSocket() application, and the dialplan asks
GET http://127.0.0.1:8091/calls/<uuid> for the outcome, e.g.

    exten => 12345,1,Answer()
     same => n,Set(CALLID=${UUID()})
     same => n,Set(REG=${CURL(http://127.0.0.1:8091/calls/${CALLID},caller=${CALLERID(num)})})
     same => n,AudioSocket(${CALLID},127.0.0.1:9092)
     same => n,Set(TO=${CURL(http://127.0.0.1:8091/calls/${CALLID}/transfer)})
     same => n,GotoIf($["${TO}" = "seat"]?seat,1)
     same => n,GotoIf($["${TO}" != ""]?emergency-${TO},1)
     same => n,Hangup()

(Registering the caller number is optional: the gateway takes it form-encoded, as CURL() sends it,
or as JSON, and stores it masked only.)
"""
from __future__ import annotations

import asyncio
import logging
import struct
import uuid
from typing import Optional, Tuple

from channels.voice.call import Call, VoiceServices
from channels.voice.config import AUDIOSOCKET_RATE

logger = logging.getLogger(__name__)

KIND_HANGUP = 0x00
KIND_UUID = 0x01
KIND_DTMF = 0x03
KIND_AUDIO = 0x10
KIND_ERROR = 0xFF
FRAME_BYTES = 320          # 20 ms at 8 kHz, 16-bit
_HEADER = struct.Struct(">BH")


class ProtocolError(RuntimeError):
    """The peer broke the AudioSocket protocol."""


def encode(kind: int, payload: bytes = b"") -> bytes:
    if len(payload) > 0xFFFF:
        raise ValueError("AudioSocket payload longer than 65535 bytes")
    return _HEADER.pack(kind, len(payload)) + payload


async def read_message(reader: asyncio.StreamReader) -> Tuple[int, bytes]:
    """One message; raises asyncio.IncompleteReadError when the peer closed the connection."""
    header = await reader.readexactly(_HEADER.size)
    kind, length = _HEADER.unpack(header)
    payload = await reader.readexactly(length) if length else b""
    return kind, payload


class AudioSocketSink:
    rate = AUDIOSOCKET_RATE
    chunk_bytes = FRAME_BYTES

    def __init__(self, writer: asyncio.StreamWriter):
        self.writer = writer
        self.events = []

    async def send_audio(self, pcm: bytes) -> None:
        if self.writer.is_closing():
            raise ConnectionError("AudioSocket closed")
        self.writer.write(encode(KIND_AUDIO, pcm))
        await self.writer.drain()

    async def send_json(self, message) -> None:
        # The protocol carries no metadata: transcripts and events are kept for /calls/<uuid>.
        self.events.append(message)

    async def end(self) -> None:
        if not self.writer.is_closing():
            self.writer.write(encode(KIND_HANGUP))
            try:
                await self.writer.drain()
            finally:
                self.writer.close()


class AudioSocketServer:
    def __init__(self, services: VoiceServices, host: str, port: int):
        self.services, self.host, self.port = services, host, port
        self._server: Optional[asyncio.base_events.Server] = None
        self._tasks = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except Exception:
            logger.exception("AudioSocket connection failed")
        finally:
            self._tasks.discard(task)
            if not writer.is_closing():
                writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            kind, payload = await asyncio.wait_for(read_message(reader), timeout=5)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError):
            return
        if kind != KIND_UUID or len(payload) != 16:
            logger.warning("AudioSocket: first message was kind 0x%02x, not a 16-byte UUID", kind)
            writer.write(encode(KIND_ERROR, b"\x01"))
            await writer.drain()
            return
        call_id = str(uuid.UUID(bytes=payload))
        if self.services.full() or self.services.is_known(call_id):
            # Busy, or a call id used before (it would continue that call and overwrite its archive).
            logger.warning("AudioSocket: refused call %s (%s)", call_id,
                           "busy" if self.services.full() else "call id used before")
            writer.write(encode(KIND_HANGUP, b""))
            await writer.drain()
            return
        sink = AudioSocketSink(writer)
        call = Call(self.services, sink, call_id=call_id, transport="audiosocket")
        running = asyncio.create_task(call.run(), name=f"call-{call_id}")
        reading = asyncio.create_task(self._read(reader, call), name=f"read-{call_id}")
        await asyncio.wait({running, reading}, return_when=asyncio.FIRST_COMPLETED)
        if not running.done():          # the caller hung up: let the call finish its archive
            await running
        reading.cancel()

    @staticmethod
    async def _read(reader: asyncio.StreamReader, call: Call) -> None:
        while True:
            try:
                kind, payload = await read_message(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                call.hangup()
                return
            if kind == KIND_AUDIO:
                call.feed_audio(payload)
            elif kind == KIND_DTMF and payload:
                call.dtmf(payload[:1].decode("ascii", "replace"))
            elif kind == KIND_HANGUP:
                call.hangup()
                return
            elif kind == KIND_ERROR:
                logger.warning("AudioSocket error from Asterisk: %s", payload.hex())
                call.hangup()
                return
