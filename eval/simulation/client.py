"""Talking to a running Rasa server the way a channel does, and reading its tracker."""
from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


def _request(url: str, payload: Optional[dict] = None, timeout: float = 120) -> object:
    """As the project's own processes call Rasa: the REST channel's secret and the API's token
    (HOTLINE_CHANNEL_SECRET, HOTLINE_RASA_TOKEN: set by the stack the simulator starts, or by
    whoever points it at a running one). Servers that ask for neither ignore them."""
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    headers = {"Content-Type": "application/json"}
    if os.environ.get("HOTLINE_CHANNEL_SECRET"):
        headers["X-Hotline-Channel-Secret"] = os.environ["HOTLINE_CHANNEL_SECRET"]
    if os.environ.get("HOTLINE_RASA_TOKEN") and "/webhooks/" not in url:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"token": os.environ["HOTLINE_RASA_TOKEN"]})
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


@dataclass
class Reply:
    """What the assistant said after one citizen message."""
    messages: List[Dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m.get("text"))

    @property
    def buttons(self) -> List[Tuple[str, str]]:
        return [(b.get("title", ""), b.get("payload", "")) for m in self.messages for b in m.get("buttons") or []]

    @property
    def custom(self) -> List[Dict]:
        return [m["custom"] for m in self.messages if isinstance(m.get("custom"), dict)]


@dataclass(frozen=True)
class DialogueState:
    """What the assistant is waiting for, from its tracker (not from its wording)."""
    active_loop: Optional[str]
    requested_slot: Optional[str]

    @property
    def key(self) -> str:
        return f"{self.active_loop}:{self.requested_slot}"


class RasaClient:
    def __init__(self, rasa_url: str):
        self.url = rasa_url.rstrip("/")

    def say(self, sender: str, text: str) -> Reply:
        payload = {"sender": sender, "message": text, "metadata": {"channel": "test"}}
        return Reply(list(_request(f"{self.url}/webhooks/rest/webhook", payload) or []))

    def state(self, sender: str) -> DialogueState:
        tracker = _request(f"{self.url}/conversations/{urllib.parse.quote(sender)}/tracker")
        loop = (tracker.get("active_loop") or {}).get("name")
        return DialogueState(loop, (tracker.get("slots") or {}).get("requested_slot"))

    def parse(self, text: str) -> dict:
        return _request(f"{self.url}/model/parse", {"text": text})
