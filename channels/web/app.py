"""aiohttp application serving the citizens' web chat page on 127.0.0.1:8080 (the staff's
console and API are another server: channels/staff).

The page talks socket.io (websocket transport) to this server, which proxies it to Rasa under the
browser's server-issued session (citizen_socket.py, identity.py): the public never reaches Rasa.
This server also hands out the page, its configuration and the socket.io client library installed
from the npm registry (never from a CDN). Every request must name an allowed Host, and a browser's
Origin must be this server's own (channels/hosts.py): a page elsewhere, or one reached by DNS rebinding,
gets nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from pathlib import Path

from aiohttp import web

from bot.limits import Refusal, process_limits
from bot.privacy import setup_process_logging
from bot.restrictions import checks as restrictions
from bot.settings import hotline_settings
from channels import hosts
from channels.access_log import PathOnlyAccessLogger
from channels.evidence import evidence_settings
from channels.web import evidence_upload, identity, my_tickets
from channels.web.citizen_socket import citizen_socket
from channels.web.page_settings import page_settings
from channels.web.privacy import privacy

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

logger = logging.getLogger(__name__)


async def index(_: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


def _voice_url() -> str:
    """The voice gateway's WebSocket (channels/voice) for the page's 语音 button."""
    return os.environ.get("HOTLINE_VOICE_URL", "ws://127.0.0.1:8091").rstrip("/")


async def page_config(request: web.Request) -> web.Response:
    """The page's settings; a browser without a chat session gets one (a signed cookie)."""
    settings = hotline_settings()
    response = web.json_response({
        "voice_url": _voice_url() + "/",
        "rasa_url": "",                 # the chat socket is this server's own (/socket.io/)
        "socket_path": "/socket.io",
        "service_name": settings.service_name,
        "city": settings.city,
        "hotline_number": settings.hotline_number,
        # The page counts characters against the same limit the socket proxy enforces.
        "message_max_chars": page_settings().message_max_chars,
        "message_too_long": page_settings().too_long(),
        "queue_poll_seconds": page_settings().queue_poll_seconds,
        "faq": list(page_settings().faq),
        "evidence": _evidence_limits(),
    }, headers={"Cache-Control": "no-store"})
    session_id = identity.session_of(request)
    if session_id is None:
        await _count_new_session(request)
        identity.issue(response, request)
    else:
        # A restricted session (seed 004) is told why, and the page does not connect.
        restricted = await asyncio.to_thread(restrictions.refusal, (restrictions.WEB,), session_id)
        if restricted:
            response.text = json.dumps(dict(json.loads(response.text), restricted=restricted), ensure_ascii=False)
    return response


def _evidence_limits() -> dict:
    settings = evidence_settings()
    return {"max_per_request": settings.max_per_request, "max_image_bytes": settings.max_image_bytes,
            "max_video_bytes": settings.max_video_bytes, "too_big": settings.refusal("too_big"),
            "not_allowed": settings.refusal("not_allowed"), "too_many": settings.refusal("too_many")}


async def new_session(request: web.Request) -> web.Response:
    """新对话: a fresh conversation id for this browser (the old one is left behind)."""
    await _count_new_session(request)
    response = web.json_response({"status": "ok"}, headers={"Cache-Control": "no-store"})
    identity.issue(response, request)
    return response


async def _count_new_session(request: web.Request) -> None:
    try:
        await asyncio.to_thread(process_limits().hit, "session_per_address", hosts.client_address(request))
    except Refusal as refusal:
        raise web.HTTPTooManyRequests(text=str(refusal), content_type="text/plain")


async def socket_io_client(_: web.Request) -> web.StreamResponse:
    if not SOCKET_IO_CLIENT.exists():
        raise web.HTTPServiceUnavailable(text="socket.io client missing: run `make setup` (npm ci in channels/web)")
    return web.FileResponse(SOCKET_IO_CLIENT)


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _content_security_policy() -> str:
    """The page has no inline script or style; it may only talk to its own server (the chat socket
    included) and to the voice gateway; blob: shows a photo or video the citizen just chose."""
    return (f"default-src 'self'; connect-src 'self' {_voice_url()}; img-src 'self' data: blob:; "
            "media-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")


def create_app() -> web.Application:
    middlewares = [hosts.host_and_origin, hosts.security_headers(_content_security_policy)]
    app = web.Application(middlewares=middlewares, client_max_size=64 * 1024)
    app.router.add_get("/", index)
    app.router.add_get("/config.json", page_config)
    app.router.add_post("/session/new", new_session)
    app.router.add_get("/socket.io/", citizen_socket)
    app.router.add_get("/vendor/socket.io.min.js", socket_io_client)
    app.router.add_get("/privacy", privacy)
    app.router.add_get("/healthz", health)
    my_tickets.add_routes(app)
    evidence_upload.add_routes(app)
    app.router.add_static("/static/", STATIC)
    return app


def main(argv=None) -> None:
    settings = hotline_settings()
    parser = argparse.ArgumentParser(description="12345 web chat page server")
    parser.add_argument("--host", default=settings.web_host)
    parser.add_argument("--port", type=int, default=settings.web_port)
    args = parser.parse_args(argv)
    setup_process_logging()
    # The access log shows the path only: query strings carry tokens, phone digits and ticket numbers.
    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
