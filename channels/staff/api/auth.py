"""Who is calling (Authorization: Bearer <token>) and what their role may do.

401 for a missing or unknown token, 403 for an operation the role may not perform. A department
handler's limit to its own department is not checked here but where tickets are read and changed
(a ticket of another department answers 404, as if it did not exist).
"""
from __future__ import annotations

from typing import Callable, Dict, FrozenSet

from aiohttp import web

from channels.staff.api.errors import ApiError
from channels.staff.api.staff import HANDLER, OFFICE, READONLY, SEAT, StaffDirectory, StaffMember

MEMBER_KEY = web.RequestKey("hotline_staff_member", StaffMember)
PUBLIC_PATHS = frozenset({"/api/openapi.json"})

_ALL = frozenset({SEAT, OFFICE, HANDLER, READONLY})
_DESK = frozenset({SEAT, OFFICE})
# Who may do what. The hotline office (its seats and its office staff) dispatches, reassigns and
# closes; only the office supervises (督办) and reviews returns, extension requests and knowledge-base
# proposals; leaders (readonly) read the figures; the department
# (handler) signs for, returns and answers — as the lead (牵头); a co-handling department (协办)
# only records its part (assist, checked by the workflow); both may extend (seed 003 §17: the department asks,
# the hotline office may grant) and the seat records ratings taken by phone (回访).
PERMISSIONS: Dict[str, FrozenSet[str]] = {
    "read": _ALL,
    "dispatch": _DESK,
    "accept": frozenset({HANDLER}),
    "reassign": _DESK,
    "extend": frozenset({SEAT, OFFICE, HANDLER}),
    "return": frozenset({HANDLER}),
    "reply": frozenset({SEAT, OFFICE, HANDLER}),
    "close": _DESK,
    "rate": _DESK,
    "assist": frozenset({HANDLER}),
    # The office's side (issue 13): figures for everyone but handlers see their own department's.
    "stats": _ALL,
    "supervise": frozenset({OFFICE}),
    "review": frozenset({OFFICE}),
    "kb_propose": frozenset({OFFICE, HANDLER}),
    "kb_review": frozenset({OFFICE}),
}
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="hotline-staff"'}


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthenticated", "需要身份令牌：请在请求头中提供 Authorization: Bearer <令牌>",
                       _CHALLENGE)
    return token.strip()


def authentication(load_directory: Callable[[], StaffDirectory]):
    @web.middleware
    async def middleware(request: web.Request, handler):
        if request.path in PUBLIC_PATHS:
            return await handler(request)
        token = _bearer(request)
        member = load_directory().find(token)
        if member is None:
            raise ApiError(401, "invalid_token", "身份令牌无效或已停用", _CHALLENGE)
        request[MEMBER_KEY] = member
        return await handler(request)
    return middleware


def member_of(request: web.Request) -> StaffMember:
    return request[MEMBER_KEY]


def require(request: web.Request, permission: str) -> StaffMember:
    member = member_of(request)
    if member.role not in PERMISSIONS[permission]:
        raise ApiError(403, "forbidden", f"{member.actor.split(':')[0]}无权执行此操作")
    return member
