"""A small stand-in of Rasa's HTTP API for the console's in-process tests: it keeps each
conversation's events and paused state, and answers trigger_intent like a REST conversation."""
from __future__ import annotations

from typing import Any, Dict, List

from aiohttp import web

STAFF_YAML = """
staff:
  - {name: 王芳, role: seat, token: seat-token-wangfang-0123456789}
  - {name: 李强, role: seat, token: seat-token-liqiang-01234567890}
  - {name: 赵敏, role: readonly, token: readonly-token-zhaomin-0123456}
  - {name: 孙伟, role: handler, department: gongan, token: handler-token-sunwei-01234567}
"""
TOKENS = {"王芳": "seat-token-wangfang-0123456789", "李强": "seat-token-liqiang-01234567890",
          "赵敏": "readonly-token-zhaomin-0123456", "孙伟": "handler-token-sunwei-01234567"}


class FakeRasa:
    def __init__(self):
        self.events: Dict[str, List[Dict[str, Any]]] = {}
        self.paused: Dict[str, bool] = {}
        self.slots: Dict[str, Dict[str, Any]] = {}
        self.pushed: List[Dict[str, Any]] = []       # bot events sent with execute_side_effects
        self.triggered: List[str] = []

    def say(self, sender: str, text: str, intent: str = "complain", **parse) -> None:
        self.events.setdefault(sender, []).append(
            {"event": "user", "text": text, "timestamp": 1.0, "input_channel": "socketio",
             "parse_data": {"intent": {"name": intent, "confidence": 0.9}, **parse}})

    async def tracker(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        return web.json_response({"sender_id": sender, "events": self.events.get(sender, []),
                                  "slots": self.slots.get(sender, {}), "paused": self.paused.get(sender, False),
                                  "active_loop": {}})

    async def append(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        for event in await request.json():
            self.events.setdefault(sender, []).append(event)
            if event["event"] in ("pause", "resume"):
                self.paused[sender] = event["event"] == "pause"
            if event["event"] == "bot" and request.query.get("execute_side_effects") == "true":
                self.pushed.append(dict(event, sender=sender, channel=request.query.get("output_channel")))
        return web.json_response({})

    async def trigger(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        name = (await request.json())["name"]
        self.triggered.append(name)
        reply = {"recipient_id": sender, "text": "人工客服已结束本次服务，智能助手继续为您服务。"}
        self.events.setdefault(sender, []).append({"event": "bot", "text": reply["text"], "timestamp": 2.0})
        return web.json_response({"tracker": {}, "messages": [reply] if sender.startswith("wechat:") else []})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        app.router.add_post("/conversations/{sender}/tracker/events", self.append)
        app.router.add_post("/conversations/{sender}/trigger_intent", self.trigger)
        return app


class FakeGateway:
    """The WeChat gateway's /seat/messages, recording what it was asked to send."""

    def __init__(self, secret: str):
        self.secret = secret
        self.sent: List[Dict[str, Any]] = []

    async def relay(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.secret}":
            return web.json_response({"message": "口令不对"}, status=401)
        self.sent.append(await request.json())
        return web.json_response({"message": "ok", "sent": 1})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/seat/messages", self.relay)
        return app
