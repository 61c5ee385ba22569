"""Escalation triggers and hand-back through the real assistant (REST channel), with the queue
read through the console's API: anger, two misunderstandings, a request in the middle of the
intake, which goes on after the seat hands back."""
from __future__ import annotations

import pytest

from tests.support.conversation import Conversation, parse

pytestmark = pytest.mark.rasa


def test_anger_becomes_a_request_for_a_person(rasa_url):
    parsed = parse(rasa_url, "气死我了！！打了多少次电话都没人管，你们到底管不管")
    assert parsed["intent"]["name"] == "request_human"
    escalation = [e for e in parsed["entities"] if e["entity"] == "escalation"][0]
    assert escalation["value"] == "anger" and escalation["detail"]["matched"]


def test_an_emergency_is_never_turned_into_a_queue(rasa_url):
    assert parse(rasa_url, "气死了！！楼下着火了，快来人！！")["intent"]["name"] == "emergency_fire"


def test_an_angry_citizen_is_queued_with_the_reason(rasa_url, seat_client):
    chat = Conversation(rasa_url)
    reply = chat.say("你们这破机器人听不懂人话，气死我了！！")
    assert "非常抱歉" in reply and "人工客服" in reply
    entry = seat_client().waiting_for(chat.sender)
    assert entry["reason"] == "anger" and entry["matched"]
    assert chat.say("还要等多久") == ""   # paused: the assistant stays silent


def test_two_misunderstandings_queue_the_conversation(rasa_url, seat_client):
    chat = Conversation(rasa_url)
    chat.say("asdf qwer")
    reply = chat.say("zxcv bnm")
    assert "转人工" in reply and "人工客服" in reply
    assert seat_client().waiting_for(chat.sender)["reason"] == "misunderstood"


def test_the_intake_goes_on_after_the_seat_hands_back(rasa_url, seat_client):
    chat = Conversation(rasa_url)
    asked = chat.say("我要投诉楼下烧烤摊每天吵到半夜")
    assert "地方" in asked or "地点" in asked, asked
    assert "人工客服" in chat.say("转人工")
    seat = seat_client()
    entry = seat.waiting_for(chat.sender)
    seat.ok("POST", f"/queue/{entry['id']}/claim")
    assert chat.say("人民路88号") == ""
    view = seat.ok("GET", f"/conversations/{entry['id']}")
    assert view["understanding"]["form_running"] == "ticket_form"
    seat.ok("POST", f"/conversations/{entry['id']}/handback")
    tracker = seat.ok("GET", f"/conversations/{entry['id']}")
    said = [t["text"] for t in tracker["transcript"] if t["role"] == "assistant"]
    assert "智能助手继续为您服务" in said[-2] and ("地方" in said[-1] or "地点" in said[-1]), said[-3:]
    # The next question: the time was in the opening (每天吵到半夜), so the name comes next.
    assert "称呼" in chat.say("人民路88号"), chat.replies
