"""The Rasa REST channel, as the voice gateway uses it: one POST per caller turn."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, time-out, error status)."""


@dataclass
class BotReply:
    texts: List[str] = field(default_factory=list)
    buttons: List[Dict[str, str]] = field(default_factory=list)   # [{"title", "payload"}]
    custom: List[Dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(t for t in self.texts if t)


class RasaClient:
    def __init__(self, base_url: str, timeout_s: float = 30.0):
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: Optional[aiohttp.ClientSession] = None

    async def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def send(self, sender: str, message: str, metadata: Dict) -> BotReply:
        payload = {"sender": sender, "message": message, "metadata": metadata}
        try:
            session = await self._client()
            async with session.post(self.url, json=payload) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                messages = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc
        reply = BotReply()
        for message in messages or []:
            if message.get("text"):
                reply.texts.append(message["text"])
            for button in message.get("buttons") or []:
                reply.buttons.append({"title": button.get("title", ""), "payload": button.get("payload", "")})
            if message.get("custom"):
                reply.custom.append(message["custom"])
        return reply

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
