"""The same through the WeChat gateway and its API stand-in: the citizen asks for a person on
WeChat, a seat takes the conversation (console API), the seat's words arrive as customer-service
messages at the stand-in, the citizen's answers (no reply while paused) reach the console, the
seat registers a ticket and hands back, and the assistant answers passively again."""
from __future__ import annotations

import pytest

from tests.support.seats.fixtures import wait_for
from tests.support.wechat.wechat_side import Citizen, WeChatServer

pytestmark = pytest.mark.rasa


def texts_to(api, openid):
    return [m["text"]["content"] for m in api.sent_to(openid)]


def test_wechat_citizen_and_seat(seat_gateway, seat_wechat_api, seat_client, ticket_store_of_stack):
    citizen = Citizen(WeChatServer(seat_gateway.url))
    seat = seat_client("王芳")
    first = citizen.say("小区门口的路灯坏了一个多月了")
    assert first.status == 200
    queued = citizen.say("转人工")
    assert "已为您转接人工客服" in queued.content, queued.body

    entry = seat.waiting_for(f"wechat:{citizen.openid}")
    assert entry["channel_label"] == "微信" and entry["reason_label"] == "市民要求转人工"
    taken = seat.ok("POST", f"/queue/{entry['id']}/claim")
    assert taken["warning"] is None
    wait_for(lambda: any("【人工客服王芳】您好" in t for t in texts_to(seat_wechat_api, citizen.openid)), 20,
             message="greeting not sent as a customer-service message")

    seat.ok("POST", f"/conversations/{entry['id']}/messages", {"text": "请问是哪个小区？"})
    wait_for(lambda: "【人工客服王芳】请问是哪个小区？" in texts_to(seat_wechat_api, citizen.openid), 20,
             message=f"seat's words not delivered: {texts_to(seat_wechat_api, citizen.openid)}")

    answer = citizen.say("幸福小区东门，人民路88号")
    assert answer.is_success, f"the assistant answered while paused: {answer.body}"
    wait_for(lambda: any(t["text"] == "幸福小区东门，人民路88号" for t in seat.transcript(entry["id"])), 20,
             message="citizen's answer not in the console")
    view = seat.ok("GET", f"/conversations/{entry['id']}")
    assert view["understanding"]["paused"] and view["ticket_form"]["request_type"] == "seek_help"
    assert "路灯" in view["ticket_form"]["text"]

    form = dict(view["ticket_form"], location="人民路88号幸福小区东门", contact_name="李女士",
                contact_phone="13912345678", consent=True)
    made = seat.ok("POST", f"/conversations/{entry['id']}/ticket", form)
    assert made["created"] and made["warning"] is None
    wait_for(lambda: any(made["number"] in t for t in texts_to(seat_wechat_api, citizen.openid)), 20,
             message="ticket number not sent")
    ticket = ticket_store_of_stack.get(made["number"])
    assert ticket.channel == "wechat" and ticket.sender_id == f"wechat:{citizen.openid}"
    assert any(e.action == "seat_message" and "哪个小区" in e.detail["text"] for e in ticket.events)

    seat.ok("POST", f"/conversations/{entry['id']}/handback")
    wait_for(lambda: any("智能助手继续为您服务" in t for t in texts_to(seat_wechat_api, citizen.openid)), 20,
             message="hand-back not relayed")
    again = citizen.say("你好")
    assert "12345" in again.content, again.body
