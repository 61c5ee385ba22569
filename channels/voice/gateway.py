"""The voice gateway: both transports on one event loop, sharing one recogniser, one synthesiser
pool and one Rasa client. Used by `python -m channels.voice`, the tests and the benchmark."""
from __future__ import annotations

import logging
from typing import Iterable, Optional

from aiohttp import web

from speech.recognition import AsyncRecognizer, Recognizer, create_recognizer
from channels.voice.audiosocket import AudioSocketServer
from channels.voice.call import VoiceServices
from channels.voice.config import AUDIOSOCKET_RATE, VoiceConfig, load_config
from channels.rasa_client import RasaClient
from speech.synthesis import Synthesizer
from channels.voice.websocket import create_app

logger = logging.getLogger(__name__)


def build_services(config: VoiceConfig, recognizer: Optional[Recognizer] = None,
                   synthesizer: Optional[Synthesizer] = None) -> VoiceServices:
    recognizer = recognizer or create_recognizer(config)
    synthesizer = synthesizer or Synthesizer(config.tts_voice, config.tts_rate, config.tts_workers,
                                             config.tts_timeout_s)
    return VoiceServices(config=config, recognizer=AsyncRecognizer(recognizer, config.asr_workers),
                         synthesizer=synthesizer, rasa=RasaClient(config.rasa_url, timeout=config.rasa_timeout_s))


class Gateway:
    def __init__(self, config: Optional[VoiceConfig] = None, recognizer: Optional[Recognizer] = None,
                 synthesizer: Optional[Synthesizer] = None, origins: Optional[Iterable[str]] = None,
                 warm_rates=(AUDIOSOCKET_RATE, 16000)):
        self.config = config or load_config()
        self._recognizer, self._synthesizer, self._origins = recognizer, synthesizer, origins
        self._warm_rates = warm_rates
        self.services: Optional[VoiceServices] = None
        self._runner: Optional[web.AppRunner] = None
        self._audiosocket: Optional[AudioSocketServer] = None
        self.ws_port = self.config.ws_port
        self.audiosocket_port = self.config.audiosocket_port

    async def start(self) -> None:
        self.services = build_services(self.config, self._recognizer, self._synthesizer)
        await self.services.warm_up(self._warm_rates)     # fixed prompts: synthesised once, cached
        self._runner = web.AppRunner(create_app(self.services, self._origins), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.ws_port)
        await site.start()
        self.ws_port = self._runner.addresses[0][1]
        self._audiosocket = AudioSocketServer(self.services, self.config.host, self.config.audiosocket_port)
        await self._audiosocket.start()
        self.audiosocket_port = self._audiosocket.port
        logger.info("voice gateway: WebSocket ws://%s:%d/, AudioSocket %s:%d, ASR %s",
                    self.config.host, self.ws_port, self.config.host, self.audiosocket_port,
                    self.services.recognizer.recognizer.name)

    async def stop(self) -> None:
        if self._audiosocket:
            await self._audiosocket.stop()
        if self._runner:
            await self._runner.cleanup()
        if self.services:
            await self.services.rasa.close()
            if self._synthesizer is None:
                self.services.synthesizer.close()
            if self._recognizer is None:
                self.services.recognizer.close()
