"""Holes 3 and 4 of the security review, against the running web server (seat console and staff API).

3. Every staff role read any queue entry's transcript, raw phone and sender id by sequential id.
   Now only seats (who talk to the citizen) open a conversation; others see the queue without ids.
4. Seat-written history entries (the seat's words, the facts it registered) reached read-only and
   handler staff unmasked. Now every string of every history entry goes through one masking.
"""
from __future__ import annotations

import requests
import pytest

from tests.support.seats.fakes import TOKENS
from tests.support.conversation import Conversation, unique_phone

pytestmark = pytest.mark.rasa

ID_NUMBER = "110101199003071234"


def staff_api(seat_web, who: str, path: str) -> requests.Response:
    return requests.get(f"{seat_web.url}/api{path}", headers={"Authorization": f"Bearer {TOKENS[who]}"}, timeout=30)


@pytest.fixture
def waiting(rasa_url, seat_client):
    phone = unique_phone()
    chat = Conversation(rasa_url, phone=phone)
    chat.say(f"我要投诉楼下烧烤摊，我电话{phone}，住人民路88号3单元201室")
    chat.say("转人工")
    entry = seat_client("王芳").waiting_for(chat.sender)
    return chat, entry


def test_only_seats_open_a_conversation(seat_client, waiting):
    chat, entry = waiting
    for who in ("赵敏", "孙伟"):                    # read-only staff, a department's handler
        onlooker = seat_client(who)
        for entry_id in (entry["id"], entry["id"] - 1, entry["id"] + 1):
            refused = onlooker.call("GET", f"/conversations/{entry_id}")
            assert refused.status_code == 403 and "只有热线坐席" in refused.text
        listed = [e for e in onlooker.ok("GET", "/queue")["waiting"] if e["id"] == entry["id"]]
        assert listed and listed[0]["sender_id"] is None and chat.sender not in str(listed)
    seat = seat_client("王芳")
    assert any(t["text"].startswith("我要投诉") for t in seat.transcript(entry["id"]))


def test_history_written_by_a_seat_is_masked_for_other_staff(seat_client, seat_web, waiting):
    chat, entry = waiting
    seat = seat_client("王芳")
    seat.ok("POST", f"/queue/{entry['id']}/claim")
    seat.ok("POST", f"/conversations/{entry['id']}/messages", {"text": f"您是{chat.phone}吧？身份证{ID_NUMBER}对吗"})
    form = {"request_type": "complain", "text": f"烧烤摊扰民，市民电话{chat.phone}，住人民路88号3单元201室",
            "location": "人民路88号3单元201室", "contact_name": "李女士", "contact_phone": chat.phone,
            "consent": False, "tell_citizen": False}
    made = seat.ok("POST", f"/conversations/{entry['id']}/ticket", form)
    seat.ok("POST", f"/conversations/{entry['id']}/handback")

    full = staff_api(seat_web, "王芳", f"/tickets/{made['number']}").json()
    assert chat.phone in str(full["history"]) and ID_NUMBER in str(full["history"])       # the seat sees all
    shown = staff_api(seat_web, "赵敏", f"/tickets/{made['number']}")
    assert shown.status_code == 200
    history = str(shown.json()["history"])
    assert shown.json()["history"], "no history to check"
    for secret in (chat.phone, ID_NUMBER, "88号", "201室", "李女士"):
        assert secret not in history, f"read-only staff see {secret}"
