"""「我的工单」 and ratings, for the browser that opened the tickets.

    GET  /my/tickets                 the tickets of this browser's conversations (identity.py), masked
    POST /my/tickets/{number}/rating {"rating": "satisfied"|"basically_satisfied"|"unsatisfied", "reason"}
    GET  /my/queue                   this conversation's place in the seats' queue (the page polls it)
    POST /my/seat-rating             the same grades, for the seat who just handed the conversation back

Who the citizen is comes only from the signed session cookie, never from the request: a ticket
number of someone else's ticket gets the same 404 as a number that does not exist. Ratings go
through the ticket workflow (bot/tickets/workflow.py), as in the chat and the staff API.
"""
from __future__ import annotations

import asyncio
import json
import re
import threading
from functools import lru_cache
from typing import Any, Dict, List, Optional

from aiohttp import web

from bot.identities import WEB
from bot.limits import Refusal, process_limits
from bot.seats.queue import SeatQueue
from bot.tickets import lifecycle, lookup, satisfaction
from bot.tickets.database import open_store
from bot.tickets.errors import TicketError
from bot.tickets.models import Ticket
from bot.tickets.seat_ratings import NothingToRate, SeatRatings
from bot.tickets.views import MASKED, ticket_view
from bot.tickets.workflow import TicketWorkflow
from channels import hosts
from channels.web import identity
from channels.web.page_settings import page_settings

BODY_LIMIT = 4 * 1024              # a rating is a grade and a reason of at most 500 characters
_NUMBER = re.compile(r"^\d{8,20}$")


_STORE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _opened_store():
    return open_store()


def _store():
    """The ticket store, opened (and migrated) once: the page asks for tickets and the queue at
    once, from two threads, and alembic's migration may not run twice in one process at a time."""
    with _STORE_LOCK:
        return _opened_store()


_REFUSALS = {400: web.HTTPBadRequest, 403: web.HTTPForbidden, 404: web.HTTPNotFound,
             409: web.HTTPConflict, 429: web.HTTPTooManyRequests}


def _refuse(status: int, message: str) -> web.HTTPException:
    """A refusal the page shows as it is: {"message": <Chinese>}."""
    body = json.dumps({"message": message}, ensure_ascii=False)
    if status == 413:
        return web.HTTPRequestEntityTooLarge(BODY_LIMIT, BODY_LIMIT + 1, text=body, content_type="application/json")
    return _REFUSALS[status](text=body, content_type="application/json")


def _session(request: web.Request) -> str:
    session_id = identity.session_of(request)
    if session_id is None:
        raise _refuse(403, "没有有效的会话，请刷新页面后再试")
    return session_id


def citizen_view(store, ticket: Ticket) -> Dict[str, Any]:
    """What the owner sees in 「我的工单」: status in plain words, department, answer; contacts masked."""
    view = ticket_view(store, ticket, MASKED)
    answered = ticket.status in (lifecycle.REPLIED, lifecycle.CLOSED)
    return {
        "number": ticket.number,
        "type_label": view["type_label"],
        "status": ticket.status,
        "status_label": lifecycle.STATUS_LABELS.get(ticket.status, ticket.status),
        "status_text": lifecycle.CITIZEN_LABELS.get(ticket.status, ticket.status),
        "department": ticket.department or "待分派",
        "summary": (view["text"] or "")[:80],
        "place": (view["facts"] or {}).get("location"),
        "created_at": view["created_at"],
        "deadline": None if answered else view["deadline"],
        "answer": view["answer"] if answered else None,
        "rateable": lookup.rateable(ticket),
        "rating_label": view["satisfaction_label"],
    }


def _tickets_of(conversations: List[str]) -> List[Dict[str, Any]]:
    store = _store()
    limit = page_settings().my_tickets_max
    tickets: List[Ticket] = []
    for conversation in conversations:
        tickets += store.list(limit=limit, sender_id=conversation)
    tickets.sort(key=lambda t: t.id, reverse=True)
    return [citizen_view(store, t) for t in tickets[:limit]]


async def my_tickets(request: web.Request) -> web.Response:
    _session(request)
    tickets = await asyncio.to_thread(_tickets_of, identity.conversations_of(request))
    return web.json_response({"tickets": tickets}, headers={"Cache-Control": "no-store"},
                             dumps=lambda d: json.dumps(d, ensure_ascii=False))


async def _rating_body(request: web.Request) -> Dict[str, Optional[str]]:
    if request.content_length is not None and request.content_length > BODY_LIMIT:
        raise _refuse(413, "提交的内容过长")
    raw = await request.content.read(BODY_LIMIT + 1)
    if len(raw) > BODY_LIMIT:
        raise _refuse(413, "提交的内容过长")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(400, "请选择满意、基本满意或不满意") from None
    if not isinstance(body, dict) or body.get("rating") not in satisfaction.RATINGS:
        raise _refuse(400, "请选择满意、基本满意或不满意")
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise _refuse(400, "原因应为文字")
    return {"rating": body["rating"], "reason": (reason or "").strip()[:500] or None}


def _count(session_id: str, address: str) -> None:
    """A rating is a message to the hotline: the message limits count it."""
    try:
        process_limits().hit("message_per_sender", session_id)
        process_limits().hit("message_per_address", address)
    except Refusal as refusal:
        raise _refuse(429, str(refusal)) from None


def _rate_ticket(conversations: List[str], number: str, rating: str, reason: Optional[str]) -> Dict[str, Any]:
    store = _store()
    ticket = store.get(number)
    if ticket is None or ticket.sender_id not in conversations:
        raise _refuse(404, f"没有找到编号为 {number} 的您的工单")
    if not lookup.rateable(ticket):
        raise _refuse(409, "工单办结后才能评价，或已经评价过了")
    if rating == satisfaction.UNSATISFIED and not satisfaction.clean_reason(reason or ""):
        raise _refuse(400, "请说明不满意的原因，以便承办部门有针对性地重新办理")
    try:
        outcome = TicketWorkflow(store).rate(number, rating, reason, actor=f"citizen:{WEB}")
    except TicketError as exc:
        raise _refuse(409, str(exc)) from None
    message = f"感谢您的评价：{satisfaction.LABELS[rating]}。"
    if outcome.reopened:
        message += f"工单已退回承办部门重新办理，答复期限为{outcome.deadline:%Y年%m月%d日}。"
    return {"message": message, "ticket": citizen_view(store, store.get(number))}


async def rate_ticket(request: web.Request) -> web.Response:
    session_id = _session(request)
    number = request.match_info["number"]
    if not _NUMBER.match(number):
        raise _refuse(404, "没有找到这个工单")
    body = await _rating_body(request)
    await asyncio.to_thread(_count, session_id, hosts.client_address(request))
    result = await asyncio.to_thread(_rate_ticket, identity.conversations_of(request), number,
                                     body["rating"], body["reason"])
    return web.json_response(result, dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _queue_place(session_id: str) -> Dict[str, Any]:
    queue = SeatQueue(_store().engine)
    entry = queue.open_for(session_id)
    if entry is None:
        return {"status": "none", "position": 0}
    return {"status": entry.status, "position": queue.position(entry)}


async def my_queue(request: web.Request) -> web.Response:
    """排队中 · 第N位: N is 1 for the next conversation a seat takes."""
    session_id = _session(request)
    place = await asyncio.to_thread(_queue_place, session_id)
    return web.json_response(place, headers={"Cache-Control": "no-store"})


def _rate_seat(session_id: str, rating: str, reason: Optional[str]) -> Dict[str, Any]:
    try:
        SeatRatings(_store().engine).rate(session_id, rating, reason, WEB)
    except NothingToRate as exc:
        raise _refuse(409, str(exc)) from None
    except TicketError as exc:
        raise _refuse(400, str(exc)) from None
    return {"message": f"感谢您对人工服务的评价：{satisfaction.LABELS[rating]}。"}


async def rate_seat(request: web.Request) -> web.Response:
    session_id = _session(request)
    body = await _rating_body(request)
    await asyncio.to_thread(_count, session_id, hosts.client_address(request))
    result = await asyncio.to_thread(_rate_seat, session_id, body["rating"], body["reason"])
    return web.json_response(result, dumps=lambda d: json.dumps(d, ensure_ascii=False))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/my/tickets", my_tickets)
    app.router.add_post(r"/my/tickets/{number}/rating", rate_ticket)
    app.router.add_get("/my/queue", my_queue)
    app.router.add_post("/my/seat-rating", rate_seat)
