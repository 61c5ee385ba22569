"""The restriction list routes of the staff API (bot/restrictions): list, restrict, lift.

Seats restrict and lift; seats and read-only staff (督查) may read the list. Department handlers
have nothing to do with who may call the hotline, so they may not even read it. Responses carry
only the masked value (`shown`), never the number or id that was restricted.
"""
from __future__ import annotations

from typing import Any, Dict, FrozenSet, Mapping

from aiohttp import web

from bot.restrictions.service import RestrictionConflict, RestrictionError, RestrictionList, RestrictionNotFound
from channels.staff.api.auth import member_of
from channels.staff.api.context import ApiContext, context_of
from channels.staff.api.errors import ApiError, json_response
from channels.staff.api.params import _json_object, bad_request
from channels.staff.api.staff import OFFICE, READONLY, SEAT, StaffMember

READERS: FrozenSet[str] = frozenset({SEAT, OFFICE, READONLY})
WRITERS: FrozenSet[str] = frozenset({SEAT, OFFICE})
# Fields of each body: name -> (type, required), as channels/staff/api/params.py BODIES.
ADD_BODY = {"kind": (str, True), "value": (str, True), "reason": (str, True), "days": (int, True)}
LIFT_BODY = {"reason": (str, True)}
_TYPE_NAMES = {str: "文字", int: "整数"}
_FLAGS = {"": False, "0": False, "false": False, "1": True, "true": True}


def _require(request: web.Request, roles: FrozenSet[str]) -> StaffMember:
    member = member_of(request)
    if member.role not in roles:
        raise ApiError(403, "forbidden", f"{member.actor.split(':')[0]}无权执行此操作")
    return member


async def _body(request: web.Request, fields: Dict[str, tuple], max_bytes: int) -> Dict[str, Any]:
    data = await _json_object(request, max_bytes)
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise bad_request(f"不认识的字段：{'、'.join(unknown)}（可用：{'、'.join(fields)}）")
    for name, (kind, required) in fields.items():
        value = data.get(name)
        if value is None and required:
            raise bad_request(f"缺少字段 {name}")
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise bad_request(f"字段 {name} 应为{_TYPE_NAMES[kind]}")
    return data


def _include_past(query: Mapping[str, str]) -> bool:
    unknown = sorted(set(query) - {"include_past"})
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：include_past）")
    value = query.get("include_past", "").strip().lower()
    if value not in _FLAGS:
        raise bad_request(f"include_past 应为 true 或 false：{value}")
    return _FLAGS[value]


def _restriction_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if not raw.isdigit():
        raise ApiError(404, "restriction_not_found", f"没有编号为 {raw} 的限制记录")
    return int(raw)


def _restrictions(context: ApiContext) -> RestrictionList:
    """On the ticket store's database, clock and time zone (tests pass a fixed clock)."""
    store = context.store()
    return RestrictionList(store.engine, timezone=store.zone.key, clock=store.clock)


async def _run(context: ApiContext, change):
    """Database work off the event loop; the domain's refusals as the API's errors."""
    try:
        return await context.run(lambda: _with_view(_restrictions(context), change))
    except RestrictionNotFound as exc:
        raise ApiError(404, "restriction_not_found", str(exc)) from None
    except RestrictionConflict as exc:
        raise ApiError(409, "conflict", str(exc)) from None
    except RestrictionError as exc:
        raise bad_request(str(exc)) from None


def _with_view(restrictions: RestrictionList, change):
    result = change(restrictions)
    if isinstance(result, list):
        return [restrictions.view(r) for r in result]
    return restrictions.view(result)


async def list_restrictions(request: web.Request) -> web.Response:
    _require(request, READERS)
    include_past = _include_past(request.query)
    views = await _run(context_of(request), lambda r: r.list(include_past=include_past))
    return json_response({"total": len(views), "restrictions": views})


async def add_restriction(request: web.Request) -> web.Response:
    member = _require(request, WRITERS)
    context = context_of(request)
    body = await _body(request, ADD_BODY, context.settings.max_body_bytes)
    view = await _run(context, lambda r: r.add(body["kind"], body["value"], body["reason"], body["days"],
                                               member.actor))
    return json_response(view, status=201)


async def lift_restriction(request: web.Request) -> web.Response:
    member = _require(request, WRITERS)
    context = context_of(request)
    restriction_id = _restriction_id(request)
    body = await _body(request, LIFT_BODY, context.settings.max_body_bytes)
    return json_response(await _run(context, lambda r: r.lift(restriction_id, member.actor, body["reason"])))
