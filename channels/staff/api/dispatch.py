"""The hotline office's manual dispatch queue (人工派单队列): GET /api/dispatch/queue.

The tickets waiting for a dispatch (bot/tickets/dispatch_queue.py) — those the router did not
dare to suggest first — each with the router's top candidates and their confidences, the suggested
co-handlers, the place and why, and for a returned ticket who returned it and why. For the roles
that dispatch only.
"""
from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from bot.tickets import dispatch_queue, views
from channels.staff.api.auth import require
from channels.staff.api.context import context_of
from channels.staff.api.errors import json_response
from channels.staff.api.params import page


def _entry(store, ticket, member, local_now) -> Dict[str, Any]:
    data = views.ticket_view(store, ticket, member.privacy, local_now=local_now, suggestion=True)
    returned = dispatch_queue.last_return(ticket)
    data["returned"] = views.event_view(store, ticket, returned, member.privacy) if returned else None
    return data


async def queue(request: web.Request) -> web.Response:
    member = require(request, "dispatch")
    context = context_of(request)
    limit, offset = page(request.query, context.settings)
    store = await context.run(context.store)
    local_now = store.local_now()
    tickets, total = await context.run(dispatch_queue.waiting, store, limit, offset)
    return json_response({"total": total, "limit": limit, "offset": offset,
                          "tickets": [_entry(store, t, member, local_now) for t in tickets]})
