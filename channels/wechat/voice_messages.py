"""Voice messages WeChat sends without its own Recognition text (that field is being retired):
decode the downloaded audio (AMR or speex, through PyAV) to 16 kHz mono PCM and recognise it with
the voice gateway's recogniser (channels/voice/asr: the packaged whisper-base by default).

The model loads at the first voice message, not at start-up, so gateways that never see one do
not pay its memory; recognition runs in the recogniser's thread pool, off the event loop.
"""
from __future__ import annotations

import asyncio
import io
import logging
from typing import Optional

import av

from channels.voice.asr import AsyncRecognizer, create_recognizer
from channels.voice.config import ASR_RATE, VoiceConfig, load_config

logger = logging.getLogger(__name__)


class UnreadableAudio(ValueError):
    """The downloaded media is not audio PyAV can decode."""


def decode_to_pcm(audio: bytes, rate: int = ASR_RATE) -> bytes:
    """Any container/codec PyAV reads (WeChat: AMR-NB, speex) → mono 16-bit PCM at `rate`."""
    try:
        with av.open(io.BytesIO(audio)) as container:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
            pcm = bytearray()
            for frame in container.decode(audio=0):
                for converted in resampler.resample(frame):
                    pcm += bytes(converted.planes[0])[: converted.samples * 2]
            for converted in resampler.resample(None):
                pcm += bytes(converted.planes[0])[: converted.samples * 2]
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise UnreadableAudio(str(exc)) from exc
    return bytes(pcm)


class VoiceMessageRecognizer:
    """channels.wechat.media.Recognizer over the voice gateway's recogniser."""

    def __init__(self, config: Optional[VoiceConfig] = None):
        self._config = config
        self._asr: Optional[AsyncRecognizer] = None
        self._loading = asyncio.Lock()

    async def recognise(self, audio: bytes, audio_format: str) -> Optional[str]:
        try:
            pcm = await asyncio.to_thread(decode_to_pcm, audio)
        except UnreadableAudio as exc:
            logger.warning("voice message in format %s could not be decoded: %s", audio_format, exc)
            return None
        if not pcm:
            return None
        text = (await (await self._recognizer()).transcribe(pcm)).strip()
        return text or None

    async def _recognizer(self) -> AsyncRecognizer:
        async with self._loading:
            if self._asr is None:
                config = self._config or load_config()
                self._asr = AsyncRecognizer(await asyncio.to_thread(create_recognizer, config))
        return self._asr
