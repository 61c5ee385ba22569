"""The few calls of Rasa's HTTP API (rasa run --enable-api) a seat's hold needs.

    GET  /conversations/{id}/tracker                 the transcript and what the assistant understood
    POST /conversations/{id}/tracker/events          pause, resume, a seat's words as a bot event;
         ?execute_side_effects=true&output_channel=latest   pushes bot events to the citizen's
                                                     channel (socket.io: the browser's room)
    POST /conversations/{id}/trigger_intent          EXTERNAL_seat_handback / EXTERNAL_queue_timeout:
         ?output_channel=latest                      the assistant speaks again; on channels Rasa
                                                     cannot push to (REST: WeChat) the answer
                                                     comes back in "messages" for us to relay
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or refused the call."""


def bot_event(text: str, metadata: Dict[str, Any], at: Optional[float] = None) -> Dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": metadata, "timestamp": at if at is not None else time.time()}


class RasaApi:
    def __init__(self, rasa_url: str, timeout: float = 30.0, token: Optional[str] = None):
        self.base = rasa_url.rstrip("/")
        self.timeout = timeout
        self.params = {"token": token} if token else {}
        self._session: Optional[aiohttp.ClientSession] = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self._session

    def _url(self, sender_id: str, tail: str) -> str:
        return f"{self.base}/conversations/{quote(sender_id, safe='')}/{tail}"

    async def _call(self, method: str, url: str, params: Dict[str, str], body: Any = None) -> Any:
        try:
            async with self._http().request(method, url, params={**self.params, **params}, json=body) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc

    async def tracker(self, sender_id: str) -> Dict[str, Any]:
        return await self._call("GET", self._url(sender_id, "tracker"), {"include_events": "ALL"})

    async def append(self, sender_id: str, events: List[Dict[str, Any]], push: bool = False) -> Dict[str, Any]:
        """Append events; with push, bot events also go out on the conversation's latest channel."""
        params = {"include_events": "NONE"}
        if push:
            params.update(execute_side_effects="true", output_channel="latest")
        return await self._call("POST", self._url(sender_id, "tracker/events"), params, events)

    async def pause(self, sender_id: str) -> None:
        await self.append(sender_id, [{"event": "pause"}])

    async def resume(self, sender_id: str) -> None:
        """Resume, and log that the assistant listens again: Rasa logs no action_listen after
        the action that paused, and the rules for the next (external) intent start from one."""
        await self.append(sender_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])

    async def trigger(self, sender_id: str, intent: str) -> List[Dict[str, Any]]:
        """Run the assistant on an external intent; the messages it said when Rasa could not push them."""
        answer = await self._call("POST", self._url(sender_id, "trigger_intent"),
                                  {"output_channel": "latest", "include_events": "NONE"}, {"name": intent})
        return [m for m in (answer or {}).get("messages") or [] if isinstance(m, dict)]
