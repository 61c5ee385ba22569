"""The hotline office's desk in the staff API: supervision (督办) and reviews (审核), office only.

    POST /api/tickets/{number}/supervise      {"reason"}        督办
    POST /api/tickets/{number}/urge           {"text"}          催办 (shown to the lead department)
    POST /api/tickets/{number}/escalate       {"reason"}        升级督办 (red-card tickets)
    POST /api/tickets/{number}/unsupervise    {"note"}          解除督办
    POST /api/tickets/{number}/extension      {"approve", "reason"}   a department's extension request
    POST /api/tickets/{number}/return-review  {"approve", "reason"}   a department's return
    GET  /api/supervision   {"supervised", "red_unsupervised", "extension_requests", "returns"}

The rules are the domain's (bot/tickets/supervision.py, reviews.py); each answer is the ticket as
GET /api/tickets/{number} shows it to the caller.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Dict, List

from aiohttp import web

from bot.tickets import reviews, supervision, views
from bot.tickets.models import Ticket
from bot.tickets.reviews import TicketReviews
from bot.tickets.store import TicketStore
from bot.tickets.supervision import TicketSupervision
from channels.staff.api.auth import require
from channels.staff.api.context import context_of
from channels.staff.api.errors import json_response
from channels.staff.api.params import OFFICE_BODIES, checked_body
from channels.staff.api.staff import StaffMember
from channels.staff.api.tickets import full_view

# Each route: (permission, what it does with the workflow, the number, the checked body, the member).
ACTIONS: Dict[str, tuple] = {
    "supervise": ("supervise", lambda w, n, b, m: TicketSupervision(w).supervise(n, b["reason"], m.actor)),
    "urge": ("supervise", lambda w, n, b, m: TicketSupervision(w).urge(n, b["text"], m.actor)),
    "escalate": ("supervise", lambda w, n, b, m: TicketSupervision(w).escalate(n, b["reason"], m.actor)),
    "unsupervise": ("supervise", lambda w, n, b, m: TicketSupervision(w).unsupervise(n, b["note"], m.actor)),
    "extension": ("review", lambda w, n, b, m: TicketReviews(w).decide_extension(n, b["approve"], b["reason"], m.actor)),
    "return-review": ("review", lambda w, n, b, m: TicketReviews(w).decide_return(n, b["approve"], b["reason"], m.actor)),
}


def _handler(name: str) -> Callable:
    permission, action = ACTIONS[name]

    async def handler(request: web.Request) -> web.Response:
        member = require(request, permission)
        context = context_of(request)
        body = await checked_body(request, name, OFFICE_BODIES[name], context.settings.max_body_bytes)
        workflow = await context.run(context.workflow)
        ticket = await context.run(action, workflow, request.match_info["number"], body, member)
        return json_response(full_view(workflow.store, ticket, member))
    handler.__name__ = f"{name.replace('-', '_')}_ticket"
    return handler


def _lists(store: TicketStore) -> Dict[str, List[Ticket]]:
    local_now = store.local_now()
    return {"supervised": supervision.supervised(store),
            "red_unsupervised": supervision.red_unsupervised(store, local_now),
            "extension_requests": reviews.waiting(store, "extend_request"),
            "returns": reviews.waiting(store, "return")}


async def desk(request: web.Request) -> web.Response:
    """The four lists of the office's desk, each ticket as the office sees it (with its suggestion:
    an approved return goes back to dispatch)."""
    member: StaffMember = require(request, "supervise")
    context = context_of(request)
    store = await context.run(context.store)
    found = await context.run(_lists, store)
    local_now: dt.datetime = store.local_now()
    data: Dict[str, Any] = {
        name: [views.ticket_view(store, t, member.privacy, local_now=local_now, suggestion=True) for t in tickets]
        for name, tickets in found.items()}
    return json_response(data)


def add_routes(api: web.Application) -> None:
    api.router.add_get("/supervision", desk)
    for name in ACTIONS:
        api.router.add_post(f"/tickets/{{number}}/{name}", _handler(name))
