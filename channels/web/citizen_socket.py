"""The citizens' chat socket: the page's socket.io connection, proxied to Rasa by this server.

The browser never reaches Rasa. It opens /socket.io/ here (Engine.IO 4 over a websocket, the only
transport the page uses); this server opens the same to Rasa's socketio channel and passes frames
both ways, with what the browser sends rewritten:

    40...                       socket.io CONNECT: replaced by one carrying this server's JWT
                                (Rasa's socketio channel refuses connections without it)
    42["session_request", …]    the session is the one in the browser's signed cookie (identity.py)
    42["user_uttered", …]       the same session; metadata {"channel": "web"} and, when the page
                                sends them well-formed, the coordinates the citizen chose with 📍
                                (location.py); text within the limit of settings/web.yml
    3 / 41 / 1                  pong, disconnect, close: passed
    anything else               dropped (binary frames, other events, other namespaces)

Each message also carries the session's pending evidence (photos, videos: evidence_upload.py) as
metadata "attachments", as WeChat's do; when Rasa's answer carries ticket_opened the evidence is
attached to that ticket, on draft_cancelled it is deleted (bot/channel_events.py: the events, never
the page, decide).

So the page cannot choose whose conversation it joins or what channel it claims, and nothing of
Rasa but the chat is reachable from outside. Rasa's answers pass unchanged (bot_uttered with the
assistant's text, buttons and events).
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import re
import time
from typing import Optional

import aiohttp
from aiohttp import web

from bot import channel_events, identities
from bot.limits import Refusal, process_limits
from bot.restrictions import checks as restrictions
from bot.settings import hotline_settings
from channels import hosts
from channels.web import identity
from channels.web.evidence_upload import web_keeper
from channels.web.location import coordinates_from
from channels.web.page_settings import page_settings

logger = logging.getLogger(__name__)

FRAME_LIMIT = 64 * 1024       # bytes of one websocket frame from the browser
_EVENT = re.compile(r"^42(\d*)(\[.*\])$", re.S)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def socket_token(key: str, lifetime: float = 60) -> str:
    """An HS256 JWT for Rasa's socketio channel (credentials: jwt_key), valid for one connect."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps({"sub": "web", "exp": int(time.time() + lifetime)}).encode())
    signature = hmac.new(key.encode("utf-8"), f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _emit(event: str, data, ack: str = "") -> str:
    return f"42{ack}" + json.dumps([event, data], ensure_ascii=False)


def notice(text: str) -> str:
    """A message from this server to the page, shown like the assistant's."""
    return _emit("bot_uttered", {"text": text})


class Rewrite:
    """What of the browser's frames goes on to Rasa, and as what."""

    def __init__(self, session_id: str, socket_key: str):
        self.session_id = session_id
        self.socket_key = socket_key

    def __call__(self, frame: str) -> Optional[str]:
        if frame in ("3", "41", "1"):
            return frame
        if frame == "40" or frame.startswith("40{"):
            return "40" + json.dumps({"token": socket_token(self.socket_key)})
        match = _EVENT.match(frame)
        if not match:
            return None
        try:
            args = json.loads(match.group(2))
        except ValueError:
            return None
        if not args or not isinstance(args[0], str):
            return None
        data = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
        if args[0] == "session_request":
            return _emit("session_request", {"session_id": self.session_id}, match.group(1))
        if args[0] == "user_uttered":
            message = data.get("message")
            if not isinstance(message, str):
                return None
            return _emit("user_uttered", {"message": message, "session_id": self.session_id,
                                          "customData": _metadata(data)}, match.group(1))
        return None


def _metadata(data: dict) -> dict:
    """What the actions see of the message besides its text: the channel, never the page's claims,
    and the coordinates only once checked."""
    metadata = {"channel": identities.WEB, "language": "zh"}
    custom = data.get("customData")
    coordinates = coordinates_from(custom.get("coordinates")) if isinstance(custom, dict) else None
    if coordinates:
        metadata["coordinates"] = coordinates
    return metadata


def _upstream_url() -> str:
    base = hotline_settings().rasa_url.rstrip("/")
    return base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"


def _socket_key() -> str:
    key = os.environ.get("HOTLINE_SOCKET_KEY")
    if not key:
        raise web.HTTPServiceUnavailable(text="chat socket not configured (HOTLINE_SOCKET_KEY)")
    return key


async def citizen_socket(request: web.Request) -> web.StreamResponse:
    if request.query.get("transport") != "websocket" or request.query.get("EIO") != "4":
        raise web.HTTPBadRequest(text="websocket transport only")
    session_id = identity.session_of(request)
    if session_id is None:
        raise web.HTTPForbidden(text="no chat session: load the page first")
    if await asyncio.to_thread(restrictions.refusal, (restrictions.WEB,), session_id):
        # The page learnt why from /config.json and does not connect; anything else is refused.
        raise web.HTTPForbidden(text="restricted")
    rewrite = Rewrite(session_id, _socket_key())
    browser = web.WebSocketResponse(max_msg_size=FRAME_LIMIT, heartbeat=None)
    await browser.prepare(request)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(_upstream_url(), heartbeat=None, max_msg_size=4 * 1024 * 1024) as rasa:
                await _relay(browser, rasa, rewrite, request)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        logger.warning("chat socket: Rasa unreachable (%s)", type(exc).__name__)
    finally:
        await browser.close()
    return browser


async def _relay(browser: web.WebSocketResponse, rasa, rewrite: Rewrite, request: web.Request) -> None:
    address = hosts.client_address(request)

    async def from_browser() -> None:
        async for message in browser:
            if message.type != aiohttp.WSMsgType.TEXT:
                return                                  # binary or close: end the connection
            frame = rewrite(message.data)
            if frame is None:
                continue
            if frame.startswith("42") and '"user_uttered"' in frame[:20]:
                refusal = await _refused(rewrite.session_id, address, frame)
                if refusal:
                    await browser.send_str(notice(refusal))
                    continue
                frame = await _with_attachments(frame, rewrite.session_id)
            await rasa.send_str(frame)

    async def from_rasa() -> None:
        async for message in rasa:
            if message.type != aiohttp.WSMsgType.TEXT:
                return
            await _settle_evidence(message.data, rewrite.session_id)
            await browser.send_str(message.data)

    tasks = [asyncio.create_task(from_browser()), asyncio.create_task(from_rasa())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _with_attachments(frame: str, session_id: str) -> str:
    """The rewritten user_uttered frame with the session's pending evidence in its metadata."""
    attachments = await web_keeper().pending(session_id)
    if not attachments:
        return frame
    match = _EVENT.match(frame)
    name, data = json.loads(match.group(2))
    data["customData"]["attachments"] = attachments
    return _emit(name, data, match.group(1))


def _assistant_event(raw: str) -> Optional[dict]:
    """The event (bot/channel_events.py) a frame from Rasa carries, if any."""
    if not raw.startswith("42") or '"event"' not in raw:
        return None
    match = _EVENT.match(raw)
    try:
        args = json.loads(match.group(2)) if match else None
    except ValueError:
        return None
    if not isinstance(args, list) or len(args) < 2 or args[0] != "bot_uttered":
        return None
    events = channel_events.read([args[1]])
    return events[0] if events else None


async def _settle_evidence(raw: str, session_id: str) -> None:
    """A ticket opened: its pending evidence is attached; a request cancelled: deleted."""
    event = _assistant_event(raw)
    if event is None or event["event"] not in (channel_events.TICKET_OPENED, channel_events.DRAFT_CANCELLED):
        return
    keeper = web_keeper()
    pending = await keeper.pending(session_id)
    if not pending:
        return
    if event["event"] == channel_events.TICKET_OPENED:
        await keeper.attach(session_id, event["number"], pending, identities.WEB)
    else:
        await keeper.discard(session_id, pending)


async def _refused(session_id: str, address: str, raw: str) -> Optional[str]:
    """A clear Chinese reason when a message may not go on (too long, too many); raw is the
    rewritten frame (well-formed by construction)."""
    message = json.loads(_EVENT.match(raw).group(2))[1]["message"]
    if len(message) > page_settings().message_max_chars:
        return page_settings().too_long()
    try:
        await asyncio.to_thread(_count_message, session_id, address)
    except Refusal as refusal:
        return str(refusal)
    return None


def _count_message(session_id: str, address: str) -> None:
    limits = process_limits()
    limits.hit("message_per_sender", session_id)
    limits.hit("message_per_address", address)
