"""A WeChat user's side of the intake dialogue, and what Rasa's tracker recorded of it."""
from __future__ import annotations

import re
import urllib.parse

import pytest
import requests

from channels.wechat.assistant import sender_id
from tests.support.conversation import CITIZEN_ANSWERS, rasa_api, unique_phone
from tests.support.wechat.wechat_side import Citizen

TICKET = re.compile(r"工单编号：(\d{12})")
COMPLAINT = "我要投诉楼下烧烤摊，每天吵到半夜两点，根本睡不着"
ANSWERS = CITIZEN_ANSWERS


def user_messages(rasa_url: str, openid: str) -> list:
    """What Rasa's tracker holds as said by this WeChat user."""
    sender = urllib.parse.quote(sender_id(openid), safe=":")   # Sanic does not decode %3A
    tracker = requests.get(rasa_api(f"{rasa_url}/conversations/{sender}/tracker"), timeout=30).json()
    return [e for e in tracker.get("events") or [] if e.get("event") == "user"]


def answer_until_summary(citizen: Citizen, reply, before_consent=None):
    phone = unique_phone()
    for _ in range(12):
        assert reply.status == 200 and reply.content, f"no passive reply: {reply.body!r}"
        text = reply.content
        if "请核对" in text:
            return reply
        if "回复1：同意" in text:
            if before_consent:
                before_consent()
            reply = citizen.say("1")
            continue
        for words, answer in ANSWERS:
            if any(w in text for w in words):
                reply = citizen.say(answer or phone)
                break
        else:
            pytest.fail(f"unexpected question: {text}")
    pytest.fail("no summary after answering every question")
