"""aiohttp application of the staff's web server: /api/ (staff API), /seats (seat console),
/portal (staff portal for the hotline office, departments and leaders), /static/ (the pages'
files), /healthz. Same Host/Origin checks and access log as every public server; staff tokens
and roles inside each app."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from aiohttp import web

from bot.privacy import setup_process_logging
from channels import hosts
from channels.access_log import PathOnlyAccessLogger
from channels.staff.api import mount_api
from channels.staff.seats import add_seat_routes

STATIC = Path(__file__).resolve().parent / "static"
PORTAL_PAGE = STATIC / "portal" / "index.html"
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
       "frame-ancestors 'none'; form-action 'self'")


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def home(_: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/seats")


async def portal(_: web.Request) -> web.StreamResponse:
    """The page only: every panel on it gets its data from /api with the signed-in staff token."""
    return web.FileResponse(PORTAL_PAGE, headers={"Cache-Control": "no-cache"})


def create_app() -> web.Application:
    middlewares = [hosts.host_and_origin, hosts.security_headers(lambda: CSP)]
    app = web.Application(middlewares=middlewares, client_max_size=64 * 1024)
    app.router.add_get("/", home)
    app.router.add_get("/healthz", health)
    app.router.add_get("/portal", portal)
    app.router.add_static("/static/", STATIC)
    mount_api(app)          # /api/: its own middlewares (tokens, JSON errors) and body limit
    add_seat_routes(app)    # /seats and /seats/api/
    return app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="12345 hotline staff server (seat console, staff API)")
    parser.add_argument("--host", default=os.environ.get("HOTLINE_STAFF_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("HOTLINE_STAFF_PORT", 8081)))
    args = parser.parse_args(argv)
    setup_process_logging()
    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
