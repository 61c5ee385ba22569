"""The one client of Rasa that every front end uses (voice and WeChat gateways, seat console).

    POST /webhooks/rest/webhook                     a citizen's turn: the assistant's messages
    GET  /conversations/{id}/tracker                the transcript and what the assistant understood
    POST /conversations/{id}/tracker/events         pause, resume, a seat's words as a bot event;
         ?execute_side_effects=true&output_channel=latest   pushes bot events to the citizen's
                                                    channel (socket.io: the browser's room)
    POST /conversations/{id}/trigger_intent         EXTERNAL_seat_handback / EXTERNAL_queue_timeout:
         ?output_channel=latest                     the assistant speaks again; on channels Rasa
                                                    cannot push to (REST: WeChat) the answer comes
                                                    back in "messages" for the caller to relay

Rasa's HTTP API (everything but the webhook) is locked with a token (`rasa run --auth-token`,
HOTLINE_RASA_TOKEN) and its REST channel with the gateways' secret (HOTLINE_CHANNEL_SECRET), both
set by hotline/stack.py; the client sends them. What the assistant
decided (ticket opened, transfer, hand-off) is read from the messages by bot.channel_events.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

from bot.settings import hotline_settings


CHANNEL_HEADER = "X-Hotline-Channel-Secret"     # components/gateway_rest.py


def channel_headers() -> Dict[str, str]:
    """Headers of a gateway's POST to the REST channel (for code that posts by itself)."""
    secret = hotline_settings().channel_secret
    return {CHANNEL_HEADER: secret} if secret else {}


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached, refused the call or answered something unusable."""


def bot_event(text: str, metadata: Dict[str, Any], at: Optional[float] = None) -> Dict[str, Any]:
    """A bot utterance as a tracker event (a seat's words, said in the assistant's place)."""
    return {"event": "bot", "text": text, "metadata": metadata, "timestamp": at if at is not None else time.time()}


class RasaClient:
    def __init__(self, base_url: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0,
                 connections: int = 64):
        settings = hotline_settings()
        self.base = (base_url or settings.rasa_url).rstrip("/")
        token = settings.rasa_token if token is None else token
        self.params = {"token": token} if token else {}
        # The REST channel admits the project's gateways only (components/gateway_rest.py).
        self.channel_headers = channel_headers()
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.connections = connections
        self._session: Optional[aiohttp.ClientSession] = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout,
                                                  connector=aiohttp.TCPConnector(limit=self.connections))
        return self._session

    async def _call(self, method: str, path: str, params: Dict[str, str], body: Any = None,
                    api: bool = True) -> Any:
        query = {**self.params, **params} if api else params
        headers = {} if api else self.channel_headers
        try:
            async with self._http().request(method, self.base + path, params=query, json=body,
                                            headers=headers) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc

    # ------------------------------------------------------------ a citizen's turn

    async def turn(self, sender: str, message: str, metadata: Dict[str, Any]) -> List[Dict[str, Any]]:
        """The assistant's messages for one message of the citizen (REST channel)."""
        answer = await self._call("POST", "/webhooks/rest/webhook", {},
                                  {"sender": sender, "message": message, "metadata": metadata}, api=False)
        if not isinstance(answer, list):
            raise RasaUnavailable("Rasa answered something other than a list of messages")
        return [m for m in answer if isinstance(m, dict)]

    # ------------------------------------------------------------ a conversation, for a seat

    @staticmethod
    def _conversation(sender_id: str, tail: str) -> str:
        return f"/conversations/{quote(sender_id, safe='')}/{tail}"

    async def tracker(self, sender_id: str) -> Dict[str, Any]:
        return await self._call("GET", self._conversation(sender_id, "tracker"), {"include_events": "ALL"})

    async def append(self, sender_id: str, events: List[Dict[str, Any]], push: bool = False) -> Dict[str, Any]:
        """Append events; with push, bot events also go out on the conversation's latest channel."""
        params = {"include_events": "NONE"}
        if push:
            params.update(execute_side_effects="true", output_channel="latest")
        return await self._call("POST", self._conversation(sender_id, "tracker/events"), params, events)

    async def pause(self, sender_id: str) -> None:
        await self.append(sender_id, [{"event": "pause"}])

    async def resume(self, sender_id: str) -> None:
        """Resume, and log that the assistant listens again: Rasa logs no action_listen after
        the action that paused, and the rules for the next (external) intent start from one."""
        await self.append(sender_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])

    async def trigger(self, sender_id: str, intent: str) -> List[Dict[str, Any]]:
        """Run the assistant on an external intent; the messages it said when Rasa could not push them."""
        answer = await self._call("POST", self._conversation(sender_id, "trigger_intent"),
                                  {"output_channel": "latest", "include_events": "NONE"}, {"name": intent})
        return [m for m in (answer or {}).get("messages") or [] if isinstance(m, dict)]
