"""A minimal Socket.IO client (Engine.IO 4 over a websocket, aiohttp) speaking to the web chat's
socket the way the page does: the web server issues the session (a signed cookie, from
/config.json) and proxies to Rasa's socketio channel; session_request / session_confirm,
user_uttered, bot_uttered. Enough for the seat benchmark and tests without a browser; no reconnection."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Dict, List, Optional, Tuple

import aiohttp


class SocketIOCitizen:
    def __init__(self, web_url: str):
        self.web_url = web_url.rstrip("/")
        self.url = self.web_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.session_id: Optional[str] = None          # the server's, from session_confirm
        self.received: List[Tuple[float, Dict[str, Any]]] = []   # (perf_counter, bot_uttered payload)
        self._http: Optional[aiohttp.ClientSession] = None
        self._ws = None
        self._reader: Optional[asyncio.Task] = None
        self._confirmed = asyncio.Event()

    async def connect(self, timeout: float = 20, ask_for: Optional[str] = None) -> "SocketIOCitizen":
        """Open the chat; ask_for is the session a (hostile) page asks for: the server decides."""
        # unsafe: aiohttp keeps no cookies for IP addresses (127.0.0.1) otherwise
        self._http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with self._http.get(self.web_url + "/config.json") as response:
            response.raise_for_status()
        self._ws = await self._http.ws_connect(self.url, heartbeat=None, origin=self.web_url)
        opening = await self._ws.receive_str(timeout=timeout)
        assert opening.startswith("0"), opening
        await self._ws.send_str("40")
        self._reader = asyncio.create_task(self._read())
        await self._emit("session_request", {"session_id": ask_for})
        await asyncio.wait_for(self._confirmed.wait(), timeout)
        return self

    async def _emit(self, event: str, data: Any) -> None:
        await self._ws.send_str("42" + json.dumps([event, data], ensure_ascii=False))

    async def _read(self) -> None:
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = message.data
            if data == "2":                       # Engine.IO ping: answer pong
                await self._ws.send_str("3")
            elif data.startswith("42"):
                event, *args = json.loads(data[2:])
                if event == "session_confirm":
                    self.session_id = args[0] if args else None
                    self._confirmed.set()
                elif event == "bot_uttered":
                    self.received.append((time.perf_counter(), args[0] if args else {}))

    async def say(self, text: str, session_id: Optional[str] = None, custom: Optional[Dict] = None) -> None:
        """As the page sends it; session_id and custom let a test play a page that lies."""
        await self._emit("user_uttered", {"message": text, "session_id": session_id or self.session_id,
                                          "customData": custom or {"channel": "web", "language": "zh",
                                                                   "user_id": self.session_id}})

    def texts(self) -> List[str]:
        return [payload.get("text") or "" for _, payload in self.received]

    async def wait_text(self, needle: str, timeout: float = 30) -> float:
        """perf_counter time at which a bot message containing needle arrived."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for at, payload in self.received:
                if needle in (payload.get("text") or ""):
                    return at
            await asyncio.sleep(0.005)
        raise TimeoutError(f"no bot message containing {needle!r}; got {self.texts()}")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._http is not None:
            await self._http.close()
