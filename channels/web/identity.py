"""Web chat identities, issued by the server and never chosen by the browser.

A browser gets one conversation id in a signed cookie (HttpOnly, SameSite=Strict): the socket.io
proxy (citizen_socket.py) speaks to Rasa under that id whatever the page sends, so a page cannot
claim another citizen's session, a WeChat openid or a phone call. The id survives reloads; 新对话
(POST /session/new) issues a fresh one.

「我的工单」 lists the tickets of every conversation this browser had, not only the current one: a
second signed cookie (EARLIER) keeps the last few ids this browser was given before 新对话.

Ids are "web-" and 32 hex digits; the cookie is "<id>.<HMAC-SHA256 of the id>" under
HOTLINE_WEB_SECRET (hotline/stack.py makes one per start when it is not set: cookies then last
until the next start).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from typing import List, Optional

from aiohttp import web

from bot import identities

COOKIE = "hotline_session"
EARLIER = "hotline_earlier"
EARLIER_KEPT = 10             # earlier conversations whose tickets 「我的工单」 still shows
PREFIX = identities.SENDER_PREFIXES[identities.WEB]
MAX_AGE = 30 * 24 * 3600      # a month: long enough to come back for a ticket's answer


@lru_cache(maxsize=1)
def _secret() -> bytes:
    configured = os.environ.get("HOTLINE_WEB_SECRET")
    # Without a configured secret this process signs with its own: valid until it restarts.
    return (configured or secrets.token_urlsafe(32)).encode("utf-8")


def _signature(session_id: str) -> str:
    return hmac.new(_secret(), session_id.encode("utf-8"), hashlib.sha256).hexdigest()


def new_session_id() -> str:
    return PREFIX + secrets.token_hex(16)


def is_session_id(value: str) -> bool:
    tail = value[len(PREFIX):] if value.startswith(PREFIX) else ""
    return len(tail) == 32 and all(c in "0123456789abcdef" for c in tail)


def verified(cookie: Optional[str]) -> Optional[str]:
    """The session id a cookie carries, if the server signed it."""
    session_id, _, signature = (cookie or "").partition(".")
    if not is_session_id(session_id) or not hmac.compare_digest(signature, _signature(session_id)):
        return None
    return session_id


def session_of(request: web.Request) -> Optional[str]:
    return verified(request.cookies.get(COOKIE))


def _secure(request: web.Request) -> bool:
    """Secure cookies over https; behind a TLS-terminating proxy, HOTLINE_COOKIE_SECURE=1 says so."""
    return request.secure or os.environ.get("HOTLINE_COOKIE_SECURE") == "1"


def issue(response: web.StreamResponse, request: web.Request, session_id: Optional[str] = None) -> str:
    session_id = session_id or new_session_id()
    response.set_cookie(COOKIE, f"{session_id}.{_signature(session_id)}", max_age=MAX_AGE, path="/",
                        httponly=True, samesite="Strict", secure=_secure(request))
    _remember_earlier(response, request)
    return session_id


def earlier_of(request: web.Request) -> List[str]:
    """This browser's earlier conversation ids, as this server signed them (nothing if forged)."""
    ids, _, signature = (request.cookies.get(EARLIER) or "").partition(".")
    if not ids or not hmac.compare_digest(signature, _signature("earlier:" + ids)):
        return []
    return [i for i in ids.split(",") if is_session_id(i)][:EARLIER_KEPT]


def conversations_of(request: web.Request) -> List[str]:
    """The current conversation and the earlier ones: whose tickets this browser may see."""
    current = session_of(request)
    return ([current] if current else []) + [i for i in earlier_of(request) if i != current]


def _remember_earlier(response: web.StreamResponse, request: web.Request) -> None:
    ids = conversations_of(request)[:EARLIER_KEPT]
    if ids:
        joined = ",".join(ids)
        response.set_cookie(EARLIER, f"{joined}.{_signature('earlier:' + joined)}", max_age=MAX_AGE, path="/",
                            httponly=True, samesite="Strict", secure=_secure(request))
