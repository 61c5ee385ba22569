"""Hole 7 of the security review: logs leaked personal data.

Spaced, dashed and +86 phone numbers slipped past the masking; the web server's access log printed
query strings; a database error printed the row it was writing. Every process of the running stack
is checked here after a citizen gave their number in such forms.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from tests.support.conversation import Conversation, unique_phone

pytestmark = pytest.mark.rasa


def spaced(phone: str) -> str:
    return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"


def test_no_process_of_the_stack_logs_a_phone_number(stack, rasa_url, web_url):
    phone = unique_phone()
    chat = Conversation(rasa_url)
    chat.say(f"我要投诉楼下烧烤摊每天吵到半夜，电话{spaced(phone)}")
    chat.say(f"我的电话是{phone[:3]}-{phone[3:7]}-{phone[7:]}")
    for path in (f"static/chat.js?phone={phone}", f"api/tickets?contact_phone={phone}", f"nothing?p={phone}"):
        try:
            urllib.request.urlopen(web_url + path, timeout=10).read()
        except urllib.error.HTTPError:
            pass
    time.sleep(1)   # let the processes flush their logs
    logs = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in stack.run_dir.glob("*.log")}
    assert {"rasa.log", "actions.log", "web.log"} <= set(logs)
    assert "GET /static/chat.js" in logs["web.log"]              # the access log is on, without queries
    for name, text in logs.items():
        for form in (phone, f"{phone[3:7]} {phone[7:]}", f"{phone[3:7]}-{phone[7:]}"):
            assert form not in text, f"{name} shows {form}"
