"""The ticket routes of the staff API: list, show, the lifecycle operations, the department list."""
from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from bot.tickets import departments, query, views
from bot.tickets.errors import TicketNotFound
from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore
from channels.staff.api.auth import PERMISSIONS, member_of, require
from channels.staff.api.context import context_of
from channels.staff.api.errors import json_response
from channels.staff.api.params import operation_body, ticket_query
from channels.staff.api.staff import ROLE_LABELS, StaffMember


async def list_tickets(request: web.Request) -> web.Response:
    member = require(request, "read")
    context = context_of(request)
    wanted = ticket_query(request.query, context.settings, member.scope)
    store = await context.run(context.store)
    local_now = store.local_now()
    tickets, total = await context.run(query.search, store, wanted, local_now)
    return json_response({
        "total": total, "limit": wanted.limit, "offset": wanted.offset,
        "tickets": [views.ticket_view(store, t, member.privacy, local_now=local_now, for_department=member.scope)
                    for t in tickets],
    })


async def show_ticket(request: web.Request) -> web.Response:
    member = require(request, "read")
    context = context_of(request)
    number = request.match_info["number"]
    store = await context.run(context.store)
    ticket = await context.run(query.get_visible, store, number, member.scope)
    if ticket is None:
        raise TicketNotFound(number)
    return json_response(full_view(store, ticket, member))


def full_view(store: TicketStore, ticket: Ticket, member: StaffMember) -> Dict[str, Any]:
    """A ticket with its history; the router's suggestion for those who dispatch."""
    return views.ticket_view(store, ticket, member.privacy, history=True, suggestion=may_dispatch(member),
                             for_department=member.scope)


def may_dispatch(member: StaffMember) -> bool:
    return member.role in PERMISSIONS["dispatch"]


# Each operation and its checked body onto the workflow (bot/tickets/workflow.py). A handler's
# scope (its department) goes with every operation it may perform.
OPERATIONS = {
    "dispatch": lambda w, n, b, m: w.dispatch(n, b["department"], m.actor, b.get("note"), b.get("co_handlers")),
    "accept": lambda w, n, b, m: w.accept(n, m.actor, m.scope),
    "reassign": lambda w, n, b, m: w.reassign(n, b["department"], b["reason"], m.actor, b.get("co_handlers")),
    "extend": lambda w, n, b, m: w.extend(n, b["days"], b["reason"], m.actor, m.scope),
    "return": lambda w, n, b, m: w.return_ticket(n, b["reason"], m.actor, m.scope),
    "reply": lambda w, n, b, m: w.reply(n, b["answer"], m.actor, m.scope),
    "close": lambda w, n, b, m: w.close(n, m.actor, b.get("note")),
    "rate": lambda w, n, b, m: _rate(w, n, b, m),
    "assist": lambda w, n, b, m: w.assist(n, b["opinion"], m.actor, m.scope),
}


def _rate(workflow, number, body, member):
    """A rating taken by phone (回访); the ticket afterwards shows whether it was reopened."""
    workflow.rate(number, body["rating"], body.get("reason"), member.actor)
    return workflow.store.get(number)


def operation_handler(operation: str):
    async def handler(request: web.Request) -> web.Response:
        member = require(request, operation)
        context = context_of(request)
        body = await operation_body(request, operation, context.settings.max_body_bytes)
        number = request.match_info["number"]
        workflow = await context.run(context.workflow)
        ticket = await context.run(OPERATIONS[operation], workflow, number, body, member)
        return json_response(full_view(workflow.store, ticket, member))
    handler.__name__ = f"{operation}_ticket"
    return handler


async def list_departments(request: web.Request) -> web.Response:
    require(request, "read")
    catalogue = departments.catalogue()
    return json_response({"departments": [
        {"id": d.id, "name": d.name, "kind": d.kind, "hotline": d.hotline} for d in catalogue.departments]})


async def whoami(request: web.Request) -> web.Response:
    member = member_of(request)
    return json_response({"name": member.name, "role": member.role, "role_label": ROLE_LABELS[member.role],
                          "department_id": member.department_id, "department": member.department_name,
                          "privacy": member.privacy})
