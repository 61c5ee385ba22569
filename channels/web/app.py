"""aiohttp application serving the web chat page on 127.0.0.1:8080.

The page talks to Rasa's socketio channel directly (websocket transport, so no CORS preflight and
no sticky sessions are needed); this server only hands out the page, its configuration and the
socket.io client library installed from the npm registry (never from a CDN).
"""
from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from aiohttp import web

from bot.settings import hotline_settings

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

logger = logging.getLogger(__name__)


async def index(_: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


def _voice_url() -> str:
    """The voice gateway's WebSocket (channels/voice) for the page's 语音 button."""
    return os.environ.get("HOTLINE_VOICE_URL", "ws://127.0.0.1:8091").rstrip("/")


async def page_config(_: web.Request) -> web.Response:
    settings = hotline_settings()
    return web.json_response({
        "voice_url": _voice_url() + "/",
        "rasa_url": settings.rasa_url,
        "socket_path": "/socket.io",
        "service_name": settings.service_name,
        "city": settings.city,
        "hotline_number": settings.hotline_number,
    })


async def socket_io_client(_: web.Request) -> web.StreamResponse:
    if not SOCKET_IO_CLIENT.exists():
        raise web.HTTPServiceUnavailable(text="socket.io client missing: run `make setup` (npm ci in channels/web)")
    return web.FileResponse(SOCKET_IO_CLIENT)


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _content_security_policy() -> str:
    """The page has no inline script or style; it may only talk to its own server and to Rasa."""
    rasa = hotline_settings().rasa_url.rstrip("/")
    websocket = rasa.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    return (f"default-src 'self'; connect-src 'self' {rasa} {websocket} {_voice_url()}; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", _content_security_policy())
    return response


def create_app() -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app.router.add_get("/", index)
    app.router.add_get("/config.json", page_config)
    app.router.add_get("/vendor/socket.io.min.js", socket_io_client)
    app.router.add_get("/healthz", health)
    app.router.add_static("/static/", STATIC)
    # The staff API (/api/, its own middlewares and body limit) for the hotline office.
    from channels.web.api import mount_api
    mount_api(app)
    # The seat console (/seats and /seats/api/) for human seats taking over conversations.
    from channels.web.seats import add_seat_routes
    add_seat_routes(app)
    return app


def main(argv=None) -> None:
    settings = hotline_settings()
    parser = argparse.ArgumentParser(description="12345 web chat page server")
    parser.add_argument("--host", default=settings.web_host)
    parser.add_argument("--port", type=int, default=settings.web_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    web.run_app(create_app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
