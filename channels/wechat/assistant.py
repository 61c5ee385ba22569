"""Client of Rasa's built-in REST channel (credentials.yml `rest`).

POST {rasa_url}/webhooks/rest/webhook {"sender", "message", "metadata"} answers with the list of
the assistant's messages. The sender is the user's openid with a channel prefix, so WeChat
conversations and tickets never mix with other channels'; the metadata carries the channel name
and the openid (and images waiting to be attached, see media.py) to the actions.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import aiohttp

SENDER_PREFIX = "wechat:"


class AssistantUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error."""


def sender_id(openid: str) -> str:
    return SENDER_PREFIX + openid


class Assistant:
    def __init__(self, rasa_url: str, timeout: float = 60.0):
        self.url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = timeout
        self._session: Optional[aiohttp.ClientSession] = None

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                connector=aiohttp.TCPConnector(limit=64))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def ask(self, openid: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> List[dict]:
        await self.start()
        payload = {"sender": sender_id(openid), "message": text,
                   "metadata": {"channel": "wechat", "openid": openid, **(metadata or {})}}
        try:
            async with self._session.post(self.url, json=payload) as response:
                if response.status != 200:
                    raise AssistantUnavailable(f"Rasa answered HTTP {response.status}")
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise AssistantUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
        if not isinstance(answer, list):
            raise AssistantUnavailable("Rasa answered something other than a list of messages")
        return [m for m in answer if isinstance(m, dict)]
