"""The seat console (人工坐席工作台) on the web server: the page at /seats and its API at /seats/api/;
beside it the hotline office's dispatch page (派单台) at /seats/dispatch, which uses the staff API
(GET /api/dispatch/queue, POST /api/tickets/{number}/dispatch, GET /api/departments).

    from channels.staff.seats import add_seat_routes
    add_seat_routes(app)          # in channels/web/app.py create_app()

Seats sign in with their staff API token (role seat; handler and readonly may only look). The
console lists the queue with waiting times, shows a conversation's whole transcript and what the
assistant understood, lets the holder talk to the citizen on their own channel, open or update a
ticket with the collected facts, hand the conversation back to the assistant, or put it back in
the queue. Quick answers come from the knowledge base as the seat types.

API (JSON; Authorization: Bearer <staff token>):
    GET  /seats/api/me                                  who is signed in
    GET  /seats/api/queue                               waiting and taken conversations
    POST /seats/api/queue/{id}/claim                    take a conversation (409 when another seat has it)
    GET  /seats/api/conversations/{id}                  transcript, understanding, ticket form, tickets
    POST /seats/api/conversations/{id}/messages         {"text"}: to the citizen
    POST /seats/api/conversations/{id}/ticket           ticket form fields, "tell_citizen": open or update
    POST /seats/api/conversations/{id}/handback         the assistant takes over again
    POST /seats/api/conversations/{id}/release          back to the queue for another seat
    GET  /seats/api/quick-answers?q=...[&auto=1]        knowledge-base hits (auto: only for a question)
    POST /seats/api/conversations/{id}/outcome          {"outcome", "note"}: how the seat closed it
    GET  /seats/api/me/today                            the seat's own figures for the day
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from aiohttp import web

from channels.staff.api.auth import authentication
from channels.staff.api.errors import json_errors
from channels.staff.api.staff import StaffDirectory, directory_from_environment
from channels.staff.seats import sweeper
from channels.staff.seats.context import CONTEXT_KEY, SeatContext, default_context
from channels.staff.seats.handlers import add_api_routes

PAGE = Path(__file__).resolve().parent.parent / "static" / "seats" / "index.html"
DISPATCH_PAGE = PAGE.with_name("dispatch.html")
MAX_BODY_BYTES = 16 * 1024


async def page(_: web.Request) -> web.StreamResponse:
    return web.FileResponse(PAGE, headers={"Cache-Control": "no-cache"})


async def dispatch_page(_: web.Request) -> web.StreamResponse:
    """The page only: like the console's, everything on it comes from the API with a seat's token."""
    return web.FileResponse(DISPATCH_PAGE, headers={"Cache-Control": "no-cache"})


def create_seat_api(context: Optional[SeatContext] = None,
                    staff: Optional[Callable[[], StaffDirectory]] = None, sweep: bool = True) -> web.Application:
    api = web.Application(middlewares=[json_errors, authentication(staff or directory_from_environment)],
                          client_max_size=MAX_BODY_BYTES)
    api[CONTEXT_KEY] = context or default_context()
    add_api_routes(api)
    if sweep:
        api.on_startup.append(sweeper.start)
    api.on_cleanup.append(sweeper.stop)
    return api


def add_seat_routes(app: web.Application, **options) -> web.Application:
    """Mount the console's page and API, and the dispatch page, on the web server; returns the API
    sub-application."""
    app.router.add_get("/seats", page)
    app.router.add_get("/seats/", page)
    app.router.add_get("/seats/dispatch", dispatch_page)
    api = create_seat_api(**options)
    app.add_subapp("/seats/api", api)
    return api
