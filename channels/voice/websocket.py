"""WebSocket transport (127.0.0.1:8091) speaking like vosk-server, for a browser or a SIP gateway,
plus a small HTTP API about calls.

Client -> gateway: {"config": {"sample_rate": 16000}} first, then binary 16-bit mono PCM at that rate, {"dtmf": "0"} for keypad digits, {"eof" : 1} when the
caller hangs up; {"text": "..."} is an utterance already recognised by the client (a SIP gateway
with its own recogniser), answered like speech. Gateway -> client: text frames of JSON — {"partial": ...} (streaming engines),
{"text": ...}, {"bot": ..., "buttons"?: [...]}, {"event": "barge_in"} (drop queued audio),
{"event": "transfer", "to": "119" | "seat"}, {"event": "hangup"} — and binary frames of reply audio
at the client's sample rate. After a transfer or hang-up event the gateway closes the socket.
The gateway names the call: its first message is {"call_id": ...}.

Identity: a browser (anyone without the secret) cannot choose the call id (so it cannot continue
or overwrite another call) nor the caller number. A PBX or SIP gateway that sends
"Authorization: Bearer <HOTLINE_VOICE_SECRET>" may pass its own "call_id" (never one used before)
and "caller" in the config message.

Bounds: at most VOICE_MAX_CALLS calls at once (one more gets {"error": "busy", "bot": ...}); each
call's length, input queue and audio rate are bounded in call.py.

HTTP, all behind the secret: GET /calls/<id> (outcome and archive summary, caller masked);
GET /calls/<id>/transfer (plain text "119", "seat" or "" for an Asterisk dialplan);
POST /calls/<id> {"caller": "..."} registers the caller number of a call about to connect over
AudioSocket (which carries no caller id). GET /healthz is open.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from typing import Iterable, Optional
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from bot.privacy import mask_phone
from channels import hosts
from channels.voice.archive import safe_call_id
from channels.voice.call import Call, VoiceServices

logger = logging.getLogger(__name__)

SERVICES = web.AppKey("services", VoiceServices)
ORIGINS = web.AppKey("origins", frozenset)
MIN_RATE, MAX_RATE = 8000, 48000


class WebSocketSink:
    def __init__(self, ws: web.WebSocketResponse, rate: int):
        self.ws = ws
        self.rate = rate
        self.chunk_bytes = rate // 10 * 2           # 100 ms per binary frame

    async def send_audio(self, pcm: bytes) -> None:
        if self.ws.closed:
            raise ConnectionError("WebSocket closed")
        await self.ws.send_bytes(pcm)

    async def send_json(self, message) -> None:
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(message, ensure_ascii=False))

    async def end(self) -> None:
        if not self.ws.closed:
            await self.ws.close()


def _config_of(message) -> Optional[dict]:
    try:
        data = json.loads(message)
    except (TypeError, ValueError):
        return None
    return data.get("config") if isinstance(data, dict) and isinstance(data.get("config"), dict) else None


def is_trusted(request: web.Request, services: VoiceServices) -> bool:
    """The PBX / SIP gateway: it holds HOTLINE_VOICE_SECRET."""
    secret = services.config.secret
    given = request.headers.get("Authorization", "")
    return bool(secret) and hmac.compare_digest(given.encode("utf-8"), f"Bearer {secret}".encode("utf-8"))


def _require_trusted(request: web.Request) -> None:
    if not request.app[SERVICES].config.secret:
        raise web.HTTPServiceUnavailable(text="the call API needs HOTLINE_VOICE_SECRET")
    if not is_trusted(request, request.app[SERVICES]):
        raise web.HTTPUnauthorized(text="the call API is for the telephone gateway only")


async def _refuse_busy(ws: web.WebSocketResponse, services: VoiceServices) -> web.WebSocketResponse:
    logger.warning("refused a call: %d calls already", len(services.active))
    await ws.send_str(json.dumps({"error": "busy", "bot": services.config.prompt("busy")}, ensure_ascii=False))
    await ws.close()
    return ws


async def voice_socket(request: web.Request) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if origin and origin not in request.app[ORIGINS]:
        raise web.HTTPForbidden(text=f"origin {origin} not allowed")
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=1 << 20)
    await ws.prepare(request)
    services = request.app[SERVICES]
    if services.full():
        return await _refuse_busy(ws, services)
    trusted = is_trusted(request, services)
    first = await ws.receive(timeout=15)
    rate, caller, call_id, pending = 16000, None, None, None
    if first.type == WSMsgType.TEXT:
        config = _config_of(first.data)
        if config is None:
            await ws.send_str(json.dumps({"error": 'first message must be {"config": {"sample_rate": N}}'}))
            await ws.close()
            return ws
        try:
            rate = int(config.get("sample_rate", rate))
        except (TypeError, ValueError):
            rate = 0
        if trusted:
            caller = str(config.get("caller") or "")[:32] or None
            call_id = config.get("call_id")
    elif first.type == WSMsgType.BINARY:
        pending = first.data                      # vosk-server clients may skip the config
    else:
        return ws
    if not MIN_RATE <= rate <= MAX_RATE:
        await ws.send_str(json.dumps({"error": f"sample_rate must be {MIN_RATE}–{MAX_RATE}"}))
        await ws.close()
        return ws
    try:
        call_id = safe_call_id(str(call_id)) if call_id else None
    except ValueError:
        call_id = None
    if call_id and services.is_known(call_id):
        call_id = None                            # never continue or overwrite another call
    sink = WebSocketSink(ws, rate)
    call = Call(services, sink, call_id=call_id, transport="websocket", caller=caller)
    await sink.send_json({"call_id": call.call_id})
    if pending:
        call.feed_audio(pending)
    running = asyncio.create_task(call.run(), name=f"call-{call.call_id}")
    try:
        async for message in ws:
            if message.type == WSMsgType.BINARY:
                call.feed_audio(message.data)
            elif message.type == WSMsgType.TEXT:
                try:
                    data = json.loads(message.data)
                except ValueError:
                    continue
                if not isinstance(data, dict):
                    continue
                if data.get("eof"):
                    call.hangup()
                elif "dtmf" in data:
                    for digit in str(data["dtmf"])[:8]:
                        call.dtmf(digit)
                elif isinstance(data.get("text"), str):
                    call.typed(data["text"])
            elif message.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                break
    finally:
        call.hangup()
        await running
        if not ws.closed:
            await ws.close()
    return ws


async def index(request: web.Request) -> web.StreamResponse:
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return await voice_socket(request)
    return web.json_response({"service": "12345 voice gateway",
                              "websocket": "send {\"config\": {\"sample_rate\": 16000}}, PCM, {\"eof\" : 1}"})


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def call_info(request: web.Request) -> web.Response:
    _require_trusted(request)
    services = request.app[SERVICES]
    try:
        call_id = safe_call_id(request.match_info["call_id"])
    except ValueError:
        raise web.HTTPNotFound()
    meta_path = services.config.archive_dir / call_id / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
    if meta is None and call_id not in services.active and call_id not in services.outcomes:
        raise web.HTTPNotFound(text="unknown call")
    return web.json_response({"call_id": call_id, "active": call_id in services.active,
                              "outcome": services.outcomes.get(call_id) or (meta or {}).get("outcome"),
                              "tickets": (meta or {}).get("tickets", []), "caller": (meta or {}).get("caller")})


async def call_transfer(request: web.Request) -> web.Response:
    _require_trusted(request)
    services = request.app[SERVICES]
    outcome = services.outcomes.get(request.match_info["call_id"]) or {}
    return web.Response(text=outcome.get("to", "") if outcome.get("event") == "transfer" else "")


async def register_caller(request: web.Request) -> web.Response:
    _require_trusted(request)
    services = request.app[SERVICES]
    try:
        call_id = safe_call_id(request.match_info["call_id"])
    except ValueError:
        raise web.HTTPBadRequest(text="unusable call id")
    body = await request.text()
    try:
        data = json.loads(body)
    except ValueError:
        data = {k: v[0] for k, v in parse_qs(body).items()}
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="expected {\"caller\": ...}")
    caller = str(data.get("caller") or "")[:32]
    if caller:
        services.callers[call_id] = caller
    return web.json_response({"call_id": call_id, "caller": mask_phone(caller) if caller else None})


def default_origins() -> Iterable[str]:
    """Browsers may connect from the web chat page only (VOICE_ALLOWED_ORIGINS adds others,
    comma-separated); clients that send no Origin (SIP gateways, tests) are not browsers."""
    from bot.settings import hotline_settings
    settings = hotline_settings()
    yield from (o.strip() for o in os.environ.get("VOICE_ALLOWED_ORIGINS", "").split(",") if o.strip())
    for host in {settings.web_host, "127.0.0.1", "localhost"}:
        yield f"http://{host}:{settings.web_port}"


def create_app(services: VoiceServices, origins: Optional[Iterable[str]] = None) -> web.Application:
    app = web.Application(middlewares=[hosts.host_only], client_max_size=64 * 1024)
    app[SERVICES] = services
    app[ORIGINS] = frozenset(origins if origins is not None else default_origins())
    app.router.add_get("/", index)
    app.router.add_get("/ws", voice_socket)
    app.router.add_get("/healthz", health)
    app.router.add_get("/calls/{call_id}", call_info)
    app.router.add_get("/calls/{call_id}/transfer", call_transfer)
    app.router.add_post("/calls/{call_id}", register_caller)
    return app
