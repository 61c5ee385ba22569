"""Rasa's REST channel, for the project's own gateways only (voice, WeChat) — not for the public.

A REST caller names the conversation ("sender") and the channel metadata itself, so whoever may
call it can speak as any citizen: only the gateways, which derive the sender from what they really
received (a WeChat openid, a call), hold the secret (HOTLINE_CHANNEL_SECRET, written into the run's
credentials by hotline/stack.py) and send it as X-Hotline-Channel-Secret. A request without it is
refused; with no secret configured every request is (fail closed). The input channel is always
"rest", whatever the body says (Rasa's own REST channel lets a caller choose it).

credentials.yml:
    components.gateway_rest.GatewayRestInput:
      secret: <the channel secret>
"""
from __future__ import annotations

import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

logger = logging.getLogger(__name__)

HEADER = "X-Hotline-Channel-Secret"


class GatewayRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GatewayRestInput":
        return cls(str((credentials or {}).get("secret") or ""))

    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        if not secret:
            logger.error("REST channel without a secret: every request will be refused")

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def is_gateway(self, request: Request) -> bool:
        given = request.headers.get(HEADER, "")
        return bool(self.secret) and hmac.compare_digest(given.encode("utf-8"), self.secret.encode("utf-8"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def gateways_only(request: Request):
            if request.method == "POST" and not self.is_gateway(request):
                return response.json({"error": "this channel is for the hotline's own gateways"}, status=403)
            return None

        return webhook
