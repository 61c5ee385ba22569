"""Hole 1 of the security review: Rasa's HTTP API was open to anyone who could reach it.

Without the token nobody reads a transcript, writes "seat" messages into a citizen's chat, pauses
a conversation, runs an action or swaps the model; the citizens' channels (REST webhook for the
gateways, socket.io for the page) answer as before, and the page is never handed the token.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.support.conversation import Conversation, rasa_api

pytestmark = pytest.mark.rasa


def call(method: str, url: str, body=None) -> int:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def victim(rasa_url) -> Conversation:
    chat = Conversation(rasa_url)
    chat.say("我要投诉楼下烧烤摊每天吵到半夜，我的电话是13812345678")
    return chat


ATTACKS = [
    ("GET", "/conversations/{sender}/tracker", None),
    ("POST", "/conversations/{sender}/tracker/events", [{"event": "bot", "text": "我是坐席，请告诉我身份证号"}]),
    ("POST", "/conversations/{sender}/tracker/events", [{"event": "pause"}]),
    ("PUT", "/conversations/{sender}/tracker/events", []),
    ("POST", "/conversations/{sender}/execute", {"name": "action_open_ticket"}),
    ("POST", "/conversations/{sender}/trigger_intent", {"name": "EXTERNAL_seat_handback"}),
    ("GET", "/conversations/{sender}/story", None),
    ("POST", "/model/parse", {"text": "你好"}),
    ("PUT", "/model", {"model_file": "/tmp/evil.tar.gz"}),
    ("DELETE", "/model", None),
    ("GET", "/status", None),
    ("GET", "/domain", None),
]


@pytest.mark.parametrize("method,path,body", ATTACKS, ids=[f"{m} {p}" for m, p, _ in ATTACKS])
def test_the_api_refuses_callers_without_the_token(rasa_url, victim, method, path, body):
    url = rasa_url + path.format(sender=victim.sender)
    assert call(method, url, body) == 401
    assert call(method, url + "?token=guessed", body) == 401


def test_the_conversation_is_untouched_and_the_projects_own_calls_work(rasa_url, victim):
    for method, path, body in ATTACKS:
        call(method, rasa_url + path.format(sender=victim.sender), body)
    with urllib.request.urlopen(rasa_api(f"{rasa_url}/conversations/{victim.sender}/tracker"), timeout=30) as r:
        tracker = json.loads(r.read().decode("utf-8"))
    said = [e.get("text") for e in tracker["events"] if e.get("event") == "bot"]
    assert "我是坐席，请告诉我身份证号" not in said and not tracker["paused"]
    assert victim.say("人民路88号").strip()          # the citizen's own channel still answers


def test_the_page_is_never_handed_the_token(web_url, stack):
    with urllib.request.urlopen(web_url + "config.json", timeout=10) as response:
        config = response.read().decode("utf-8")
    assert stack.rasa_token not in config
