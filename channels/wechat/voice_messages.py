"""Voice messages WeChat sends without its own Recognition text (that field is being retired):
decode the downloaded audio (AMR or speex, through PyAV) to 16 kHz mono PCM and recognise it with
the recogniser the voice gateway uses too (speech/recognition: the packaged whisper-base by default).

The model loads at the first voice message, not at start-up, so gateways that never see one do
not pay its memory; recognition runs in the recogniser's thread pool, off the event loop.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Optional

from speech.audio import UnreadableAudio, decode_to_pcm
from speech.recognition import AsyncRecognizer, RecognitionSettings, create_recognizer, recognition_settings

logger = logging.getLogger(__name__)


class VoiceMessageRecognizer:
    """channels.wechat.media.Recognizer over the voice gateway's recogniser."""

    def __init__(self, config: Optional[RecognitionSettings] = None):
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
                config = self._config or recognition_settings()
                self._asr = AsyncRecognizer(await asyncio.to_thread(create_recognizer, config))
        return self._asr
