"""Talking to the running Rasa server the way a channel does (REST webhook)."""
from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from bot import channel_events

# How a test citizen answers the intake questions, by words in the question.
CITIZEN_ANSWERS = [
    (("地点", "地方"), "和平区人民路88号"),
    (("时间",), "每天晚上十一点以后"),
    (("涉及", "对象"), "老王烧烤店"),
    (("称呼",), "张先生"),
    (("手机", "电话"), None),   # None: the citizen's own phone (Conversation.phone / unique_phone)
]


def unique_phone() -> str:
    """A mobile number no other test uses. Tickets with the same phone are one person's, and the
    same matter raised again by one person while a ticket is open is not a new ticket (seed 003
    §11(6)), so tests that each expect their own ticket need their own citizen."""
    return f"139{uuid.uuid4().int % 10**8:08d}"


def rasa_api(url: str) -> str:
    """An address of Rasa's HTTP API with the token it is locked with (tests/conftest.py sets it)."""
    token = os.environ.get("HOTLINE_RASA_TOKEN")
    if not token:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'token': token})}"


def post_json(url: str, payload: dict, timeout: float = 60) -> object:
    """POST as the project's gateways do (with the REST channel's secret, which tests/conftest.py sets)."""
    headers = {"Content-Type": "application/json"}
    if os.environ.get("HOTLINE_CHANNEL_SECRET"):
        headers["X-Hotline-Channel-Secret"] = os.environ["HOTLINE_CHANNEL_SECRET"]
    request = urllib.request.Request(url, data=json.dumps(payload).encode("utf-8"), headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


@dataclass
class Conversation:
    rasa_url: str
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:10]}")
    phone: str = field(default_factory=unique_phone)
    replies: List[Dict] = field(default_factory=list)

    def say(self, text: str, metadata: Optional[dict] = None) -> str:
        payload = {"sender": self.sender, "message": text, "metadata": metadata or {"channel": "test"}}
        self.replies = post_json(f"{self.rasa_url}/webhooks/rest/webhook", payload)
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(r.get("text", "") for r in self.replies if r.get("text"))

    @property
    def buttons(self) -> List[str]:
        return [b["title"] for r in self.replies for b in r.get("buttons", [])]

    def form_state(self) -> tuple:
        """(active form, slot it asks for) from the server's tracker: what a seat would know."""
        request = urllib.request.Request(rasa_api(f"{self.rasa_url}/conversations/{self.sender}/tracker"))
        with urllib.request.urlopen(request, timeout=30) as response:
            tracker = json.loads(response.read().decode("utf-8"))
        return (tracker.get("active_loop") or {}).get("name"), (tracker.get("slots") or {}).get("requested_slot")

    @property
    def events(self) -> List[Dict]:
        """The assistant's events in the last reply (bot/channel_events.py), as a channel reads them."""
        return channel_events.read(self.replies)

    def ticket_number(self) -> Optional[str]:
        """The ticket the last reply opened: from its ticket_opened event, which the citizen's text
        must show too (a number the channels know but the citizen never saw would be a defect)."""
        numbers = channel_events.opened_tickets(self.events)
        if not numbers:
            return None
        assert f"工单编号：{numbers[0]}" in self.text, f"ticket {numbers[0]} opened but not shown: {self.text}"
        return numbers[0]


def parse(rasa_url: str, text: str) -> dict:
    return post_json(rasa_api(f"{rasa_url}/model/parse"), {"text": text})
