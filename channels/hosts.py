"""Host and Origin checks for every public server (web server, WeChat and voice gateways), and
the security headers of the servers that serve pages.

- Host: a request must name one of HOTLINE_ALLOWED_HOSTS (comma-separated host names, default
  127.0.0.1 and localhost; any port). A page on another site that re-points its own name at this
  machine (DNS rebinding) sends its own name as Host and is refused.
- Origin: a browser sends one on websockets and on requests that change something; it must be
  this server itself (scheme, host and port as requested) or one of HOTLINE_ALLOWED_ORIGINS. A
  request without Origin (a gateway, curl, the tests) passes: the check is against other pages
  steering a citizen's browser, not against programs, which every other check still meets.
"""
from __future__ import annotations

import os
from typing import Callable, FrozenSet
from urllib.parse import urlsplit

from aiohttp import web

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def allowed_hosts() -> FrozenSet[str]:
    raw = os.environ.get("HOTLINE_ALLOWED_HOSTS") or "127.0.0.1,localhost"
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


def allowed_origins() -> FrozenSet[str]:
    raw = os.environ.get("HOTLINE_ALLOWED_ORIGINS") or ""
    return frozenset(o.strip().rstrip("/").lower() for o in raw.split(",") if o.strip())


def host_name(host_header: str) -> str:
    host = (host_header or "").strip().lower()
    if host.startswith("["):                       # [::1]:8080
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def own_origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}".lower()


def origin_allowed(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    if origin in allowed_origins() or origin == own_origin(request):
        return True
    # Behind a TLS-terminating proxy the scheme seen here is http: compare host and port only.
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc == request.host.lower()


def _is_websocket(request: web.Request) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


@web.middleware
async def host_only(request: web.Request, handler):
    """For servers that browsers do not drive with cookies (the gateways): the Host check alone."""
    if host_name(request.host) not in allowed_hosts():
        raise web.HTTPMisdirectedRequest(text="unknown host")
    return await handler(request)


@web.middleware
async def host_and_origin(request: web.Request, handler):
    if host_name(request.host) not in allowed_hosts():
        raise web.HTTPMisdirectedRequest(text="unknown host")
    if (request.method not in _SAFE_METHODS or _is_websocket(request)) and not origin_allowed(request):
        raise web.HTTPForbidden(text="cross-origin request refused")
    return await handler(request)


def client_address(request: web.Request) -> str:
    """The citizen's address: behind one of HOTLINE_TRUSTED_PROXIES (the deployment's reverse
    proxy), the last X-Forwarded-For entry that proxy added; else the peer itself."""
    peer = request.remote or "?"
    trusted = {a.strip() for a in (os.environ.get("HOTLINE_TRUSTED_PROXIES") or "").split(",") if a.strip()}
    forwarded = request.headers.get("X-Forwarded-For", "")
    if peer in trusted and forwarded:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def security_headers(policy: Callable[[], str]):
    """A middleware adding nosniff, no-referrer and the Content-Security-Policy `policy()` gives."""
    @web.middleware
    async def add_headers(request: web.Request, handler):
        response = await handler(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", policy())
        return response
    return add_headers
