"""A seat's words to the citizen, on the citizen's own channel, and stored with the conversation.

    web chat   one bot event {"seat": name} appended with execute_side_effects: Rasa's socket.io
               output pushes it to the browser's room (its text, then a seat_message event with
               the seat's work number), and the tracker keeps it
    WeChat     the gateway sends it as a customer-service message (POST {gateway}/seat/messages,
               Authorization: Bearer HOTLINE_GATEWAY_SECRET); then the bot event is appended
    phone      the voice gateway transferred the call to a seat's telephone: nothing to relay here
"""
from __future__ import annotations

import asyncio
import os
from typing import Any, Dict, List, Optional

import aiohttp

from bot import channel_events
from bot.seats.models import QueueEntry
from channels.rasa_client import RasaClient, bot_event

WECHAT_PREFIX = "wechat:"
SECRET_VARIABLE = "HOTLINE_GATEWAY_SECRET"


class DeliveryFailed(RuntimeError):
    """The citizen's channel did not take the message; the message says why, in Chinese."""


def openid_of(entry: QueueEntry) -> str:
    return entry.sender_id[len(WECHAT_PREFIX):] if entry.sender_id.startswith(WECHAT_PREFIX) else entry.sender_id


class WeChatRelay:
    """Client of the WeChat gateway's /seat/messages endpoint (channels/wechat/seat_relay.py)."""

    def __init__(self, gateway_url: str, secret: Optional[str] = None, timeout: float = 20.0):
        self.url = gateway_url.rstrip("/") + "/seat/messages"
        self.secret = secret if secret is not None else os.environ.get(SECRET_VARIABLE, "")
        self.timeout = timeout
        self._session: Optional[aiohttp.ClientSession] = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, openid: str, messages: List[Dict[str, Any]]) -> None:
        if not self.secret:
            raise DeliveryFailed(f"未配置 {SECRET_VARIABLE}，无法向微信用户发送消息，请联系管理员")
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        headers = {"Authorization": f"Bearer {self.secret}"}
        try:
            async with self._session.post(self.url, json={"openid": openid, "messages": messages},
                                          headers=headers) as response:
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            raise DeliveryFailed("微信网关暂时无法连接，消息没有发出，请稍后重试") from None
        if response.status != 200:
            reason = (answer or {}).get("message") if isinstance(answer, dict) else None
            raise DeliveryFailed(f"微信没有收下这条消息：{reason or response.status}")


class Delivery:
    def __init__(self, rasa: RasaClient, wechat: WeChatRelay):
        self.rasa = rasa
        self.wechat = wechat

    async def seat_words(self, entry: QueueEntry, text: str, metadata: Dict[str, Any], at: float) -> None:
        """Say `text` (already prefixed with the seat's label) to the citizen and keep it; `at` is
        the bot event's timestamp (the ticket's history refers to the words by text and time)."""
        event = bot_event(text, metadata, at)
        if entry.channel == "voice":
            raise DeliveryFailed("电话渠道的市民已转接到坐席电话，请在电话中答复")
        if entry.channel == "wechat":
            await self.wechat.send(openid_of(entry), [{"text": text}])
            await self.rasa.append(entry.sender_id, [event])
            return
        # Web chat: beside the text, a seat_message event (bot/channel_events.py) with the seat's
        # work number, so the page shows a person's words as such without reading the prefix.
        event["data"] = {"custom": channel_events.envelope(
            channel_events.seat_message(str(metadata.get("seat") or ""), str(metadata.get("seat_text") or text)))}
        await self.rasa.append(entry.sender_id, [event], push=True)

    async def assistant_messages(self, entry: QueueEntry, messages: List[Dict[str, Any]]) -> None:
        """What the assistant said after a hand-back, on channels Rasa cannot push to (WeChat)."""
        if entry.channel == "wechat" and messages:
            await self.wechat.send(openid_of(entry), messages)

    async def close(self) -> None:
        await self.rasa.close()
        await self.wechat.close()
