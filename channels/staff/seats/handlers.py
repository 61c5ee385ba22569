"""HTTP handlers of the seat console's API (/seats/api/...). Thin: read the request, call the
console, answer JSON. Authentication is the staff API's (Bearer token, channels/staff/api/auth.py)."""
from __future__ import annotations

from typing import Any, Dict

from aiohttp import web

from channels.staff.api.auth import member_of
from channels.staff.api.errors import ApiError, json_response
from channels.staff.api.staff import ROLE_LABELS, SEAT
from channels.staff.seats.context import context_of


def _entry_id(request: web.Request) -> int:
    try:
        entry_id = int(request.match_info["entry_id"])
    except ValueError:
        raise ApiError(404, "not_found", "没有这个对话") from None
    # Beyond the column's range PostgreSQL would fail rather than answer: such an id is like 0, which
    # no entry has (the role checks still come first, so onlookers learn nothing from the id).
    return entry_id if 0 < entry_id < 2 ** 31 else 0


async def _body(request: web.Request) -> Dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "bad_json", "请求体应为 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "请求体应为 JSON 对象")
    return body


async def me(request: web.Request) -> web.Response:
    member, context = member_of(request), context_of(request)
    context.quick_answers.warm_up()   # a seat is here: quick answers will be wanted soon
    settings = context.console.settings
    return json_response({"name": member.name, "role": member.role, "role_label": ROLE_LABELS[member.role],
                          "can_take": member.role == SEAT, "poll_queue_ms": settings.poll_queue_ms,
                          "poll_conversation_ms": settings.poll_conversation_ms})


async def queue(request: web.Request) -> web.Response:
    return json_response(await context_of(request).console.queue_view(member_of(request)))


async def claim(request: web.Request) -> web.Response:
    return json_response(await context_of(request).console.claim(member_of(request), _entry_id(request)))


async def conversation(request: web.Request) -> web.Response:
    return json_response(await context_of(request).console.conversation(member_of(request), _entry_id(request)))


async def say(request: web.Request) -> web.Response:
    body = await _body(request)
    console = context_of(request).console
    return json_response(await console.say(member_of(request), _entry_id(request), str(body.get("text") or "")))


async def ticket(request: web.Request) -> web.Response:
    body = await _body(request)
    return json_response(await context_of(request).console.ticket(member_of(request), _entry_id(request), body))


async def hand_back(request: web.Request) -> web.Response:
    return json_response(await context_of(request).console.hand_back(member_of(request), _entry_id(request)))


async def release(request: web.Request) -> web.Response:
    return json_response(await context_of(request).console.release(member_of(request), _entry_id(request)))


async def quick_answers(request: web.Request) -> web.Response:
    # auto=1: the page looks up the citizen's latest message by itself, only when it asks something.
    automatic = request.query.get("auto") == "1"
    return json_response(await context_of(request).quick_answers.search(request.query.get("q", ""), automatic))


async def outcome(request: web.Request) -> web.Response:
    body = await _body(request)
    return json_response(await context_of(request).console.mark_outcome(member_of(request), _entry_id(request), body))


async def today(request: web.Request) -> web.Response:
    return json_response(await context_of(request).console.today(member_of(request)))


def add_api_routes(api: web.Application) -> None:
    api.router.add_get("/me", me)
    api.router.add_get("/queue", queue)
    api.router.add_post("/queue/{entry_id}/claim", claim)
    api.router.add_get("/conversations/{entry_id}", conversation)
    api.router.add_post("/conversations/{entry_id}/messages", say)
    api.router.add_post("/conversations/{entry_id}/ticket", ticket)
    api.router.add_post("/conversations/{entry_id}/handback", hand_back)
    api.router.add_post("/conversations/{entry_id}/release", release)
    api.router.add_get("/quick-answers", quick_answers)
    api.router.add_post("/conversations/{entry_id}/outcome", outcome)
    api.router.add_get("/me/today", today)
