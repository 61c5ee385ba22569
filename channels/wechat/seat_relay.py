"""POST /seat/messages: how the seat console reaches a WeChat user while a seat holds the
conversation (the assistant is paused, so nothing else answers them).

    Authorization: Bearer <HOTLINE_GATEWAY_SECRET>      shared by the web server and the gateway
    {"openid": "...", "messages": [{"text": "..."}, {"text": "...", "buttons": [...]}]}

The messages are Rasa-style: a seat's words, or the assistant's answer after a hand-back (its
buttons become numbered options, remembered like the gateway's own). They go out as
customer-service messages (allowed within 48 hours of the citizen's last message).
200 {"sent": n}; 401 wrong secret; 503 no secret configured; 400 bad body; 502 WeChat refused.
"""
from __future__ import annotations

import functools
import hmac
import json
import logging
import os
from typing import Any

from aiohttp import web

from channels.wechat import replies
from channels.wechat.customer_service import DeliveryFailed
from channels.wechat.gateway import OPTIONS_TTL, Gateway, mask_openid

logger = logging.getLogger("channels.wechat")

SECRET_VARIABLE = "HOTLINE_GATEWAY_SECRET"
MAX_BODY_BYTES = 32 * 1024


def _answer(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response({"message": message, **extra}, status=status,
                             dumps=functools.partial(json.dumps, ensure_ascii=False))


def _authorised(request: web.Request, secret: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), secret.encode())


async def _read(request: web.Request):
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return None
    try:
        body = await request.json()
    except ValueError:
        return None
    openid, messages = (body or {}).get("openid"), (body or {}).get("messages")
    if not isinstance(openid, str) or not openid or not isinstance(messages, list):
        return None
    return openid, [m for m in messages if isinstance(m, dict)]


async def _remember_options(gateway: Gateway, openid: str, rendered: replies.Rendered) -> None:
    if rendered.options:
        await gateway.store.set(f"options:{openid}", [o.as_dict() for o in rendered.options], OPTIONS_TTL)
    else:
        await gateway.store.delete(f"options:{openid}")


def add_seat_relay(app: web.Application, gateway: Gateway, secret: str = None) -> None:
    secret = os.environ.get(SECRET_VARIABLE, "") if secret is None else secret

    async def relay(request: web.Request) -> web.Response:
        if not secret:
            return _answer(503, f"网关未配置 {SECRET_VARIABLE}，不接受坐席消息")
        if not _authorised(request, secret):
            return _answer(401, "坐席消息的口令不对")
        read = await _read(request)
        if read is None:
            return _answer(400, "请求体应为 JSON：{\"openid\": ..., \"messages\": [...]}")
        openid, messages = read
        rendered = replies.render(messages)
        pieces = replies.split(rendered.text)
        try:
            await gateway.service.send_text(openid, pieces)
        except DeliveryFailed as exc:
            logger.error("seat message to %s not delivered: %s", mask_openid(openid), exc)
            return _answer(502, str(exc))
        await _remember_options(gateway, openid, rendered)
        logger.info("relayed %d seat/assistant message(s) to %s", len(pieces), mask_openid(openid))
        return _answer(200, "ok", sent=len(pieces))

    app.router.add_post("/seat/messages", relay)
