"""The running gateway (python -m channels.wechat) against the session's real Rasa, driven the way
WeChat's servers drive it: wechatpy's signatures, WeChatCrypto for safe mode."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from channels.wechat.assistant import sender_id
from tests.support.wechat.dialogue import COMPLAINT, TICKET, answer_until_summary, user_messages
from tests.support.wechat.standin import TINY_JPEG
from tests.support.wechat.wechat_side import ACCOUNT, Citizen, WeChatServer, message_xml, new_msg_id, new_openid

pytestmark = pytest.mark.rasa


# -- protocol ------------------------------------------------------------------------------------

def test_server_url_verification_echoes_echostr(server):
    response = server.verify(echostr="5914785061207895000")
    assert response.status_code == 200 and response.text == "5914785061207895000"
    assert server.verify(signature="0" * 40).status_code == 403
    assert server.verify(timestamp=str(int(time.time()) - 3600)).status_code == 403


def test_plain_text_gets_a_passive_reply_from_the_assistant(citizen, stack):
    reply = citizen.say("你好")
    assert reply.status == 200 and not reply.is_success
    assert reply.fields["ToUserName"] == citizen.openid and reply.fields["FromUserName"] == ACCOUNT
    assert reply.fields["MsgType"] == "text" and reply.content
    said = user_messages(stack.rasa_url, citizen.openid)
    assert [e["text"] for e in said] == ["你好"]
    assert said[0]["metadata"]["channel"] == "wechat" and said[0]["metadata"]["openid"] == citizen.openid


def test_safe_mode_decrypts_the_message_and_encrypts_the_reply(server, stack):
    citizen = Citizen(server, safe=True)
    reply = citizen.say("我要投诉楼下烧烤摊每天吵到半夜")
    assert reply.status == 200 and "<Encrypt>" in reply.body and "烧烤" not in reply.body
    assert reply.content and ("地点" in reply.content or "地方" in reply.content)
    assert [e["text"] for e in user_messages(stack.rasa_url, citizen.openid)] == ["我要投诉楼下烧烤摊每天吵到半夜"]


def test_safe_mode_with_a_wrong_msg_signature_is_refused(server, stack):
    openid = new_openid()
    query = server.signed_query()
    envelope = server.crypto.encrypt_message(message_xml(openid, "text", {"Content": "你好"}, new_msg_id()),
                                             query["nonce"], query["timestamp"])
    response = server.post_raw(envelope.encode(), query, encrypt_type="aes", msg_signature="0" * 40)
    assert response.status_code == 403
    assert user_messages(stack.rasa_url, openid) == []


# -- a whole complaint ----------------------------------------------------------------------------

def test_a_complaint_ends_in_one_ticket_and_keeps_the_photo(citizen, gateway, wechat_api, ticket_store_of_stack, stack):
    wechat_api.media["photo-1"] = TINY_JPEG

    def send_photo():
        reply = citizen.send("image", {"PicUrl": "http://mmbiz.example/1.jpg", "MediaId": "photo-1"}, msg_id=new_msg_id())
        assert "已收到图片" in reply.content and "第1张" in reply.content

    reply = answer_until_summary(citizen, citizen.say(COMPLAINT), before_consent=send_photo)
    assert "回复1：确认提交" in reply.content and "回复2：修改" in reply.content
    assert "请回复“1”" in reply.content          # the page's "请点“确认提交”" reads right on WeChat
    reply = citizen.say("1")
    number = TICKET.search(reply.content).group(1)
    tickets = ticket_store_of_stack.list(limit=1000, sender_id=sender_id(citizen.openid))
    assert [t.number for t in tickets] == [number]
    assert tickets[0].facts["location"] == "和平区人民路88号" and tickets[0].consent_to_share

    manifest = json.loads((gateway.media_dir / "tickets" / f"{number}.json").read_text(encoding="utf-8"))
    [photo] = manifest["attachments"]
    assert photo["kind"] == "image" and Path(photo["path"]).read_bytes() == TINY_JPEG
    confirming = [e for e in user_messages(stack.rasa_url, citizen.openid) if e["text"] == "/affirm"][-1]
    assert confirming["metadata"]["attachments"][0]["path"] == photo["path"]
    assert citizen.openid not in json.dumps(manifest) and citizen.openid not in photo["path"]


def test_a_cancelled_request_drops_its_photo(citizen, gateway, wechat_api, ticket_store_of_stack):
    wechat_api.media["photo-2"] = TINY_JPEG
    citizen.say(COMPLAINT)
    reply = citizen.send("image", {"PicUrl": "http://mmbiz.example/2.jpg", "MediaId": "photo-2"}, msg_id=new_msg_id())
    assert "已收到图片" in reply.content
    kept = list(gateway.media_dir.glob("*/*.jpg"))
    assert "已取消" in citizen.say("算了，不办了").content
    assert len(list(gateway.media_dir.glob("*/*.jpg"))) == len(kept) - 1
    assert ticket_store_of_stack.list(sender_id=sender_id(citizen.openid)) == []


def test_an_image_that_cannot_be_downloaded_is_explained(citizen):
    reply = citizen.send("image", {"PicUrl": "http://mmbiz.example/x.jpg", "MediaId": "no-such-media"}, msg_id=new_msg_id())
    assert "没能保存" in reply.content


def test_a_confirmation_retried_three_times_at_once_opens_one_ticket(citizen, ticket_store_of_stack, stack):
    answer_until_summary(citizen, citizen.say(COMPLAINT))
    msg_id = new_msg_id()
    with ThreadPoolExecutor(3) as pool:
        replies = list(pool.map(lambda _: citizen.say("1", msg_id=msg_id), range(3)))
    assert all(r.status == 200 for r in replies)
    numbers = {TICKET.search(r.content).group(1) for r in replies if not r.is_success}
    assert len(numbers) == 1
    assert len(ticket_store_of_stack.list(limit=1000, sender_id=sender_id(citizen.openid))) == 1
    confirmations = [e for e in user_messages(stack.rasa_url, citizen.openid) if e["text"] == "/affirm"]
    assert len(confirmations) == 2    # the consent and one confirmation, not three


def test_a_message_retried_in_sequence_reaches_the_assistant_once(citizen, stack):
    msg_id = new_msg_id()
    replies = [citizen.say("路灯坏了好几天了，晚上黑乎乎的", msg_id=msg_id) for _ in range(3)]
    assert replies[0].content and all(r.content == replies[0].content for r in replies)
    assert len(user_messages(stack.rasa_url, citizen.openid)) == 1


# -- refused requests -----------------------------------------------------------------------------

def test_a_forged_signature_is_refused_without_reaching_the_assistant(server, stack):
    openid = new_openid()
    body = message_xml(openid, "text", {"Content": "我要投诉"}, new_msg_id()).encode()
    query = server.signed_query()
    assert server.post_raw(body, query, signature="f" * 40).status_code == 403
    assert server.post_raw(body, {"timestamp": query["timestamp"], "nonce": query["nonce"]}).status_code == 403
    forged = WeChatServer(server.url, token="not-the-token")
    assert forged.post_raw(body, forged.signed_query()).status_code == 403
    assert user_messages(stack.rasa_url, openid) == []


def test_a_replayed_old_request_is_refused(server, stack):
    openid = new_openid()
    old = int(time.time()) - 301
    reply = server.post(message_xml(openid, "text", {"Content": "你好"}, new_msg_id()), timestamp=old)
    assert reply.status == 403
    assert user_messages(stack.rasa_url, openid) == []


@pytest.mark.parametrize("body", [
    b"<xml><ToUserName>gh</ToUserName><FromUserName>o1",                     # cut off
    b"not xml at all",
    b"<html><body>hello</body></html>",                                           # not WeChat's <xml>
    b"<xml><ToUserName>gh</ToUserName></xml>",                                    # fields missing
    "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType><a>text</a></MsgType></xml>".encode(),                              # nested where text belongs
])
def test_malformed_xml_is_refused_with_400(server, body):
    assert server.post_raw(body).status_code == 400


def test_entity_expansion_and_external_entities_are_refused(server, stack):
    openid = new_openid()
    lol = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10))
           + f']><xml><ToUserName>gh</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1</CreateTime>'
           '<MsgType>text</MsgType><Content>&lol9;</Content><MsgId>1</MsgId></xml>')
    assert server.post_raw(lol.encode()).status_code == 400
    external = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                f'<xml><ToUserName>gh</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1</CreateTime>'
                '<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>2</MsgId></xml>')
    assert server.post_raw(external.encode()).status_code == 400
    assert user_messages(stack.rasa_url, openid) == []


def test_an_oversized_body_is_refused_with_413(server, stack):
    openid = new_openid()
    body = message_xml(openid, "text", {"Content": "长" * 40000}, new_msg_id()).encode()
    assert len(body) > 64 * 1024
    assert server.post_raw(body).status_code == 413
    # Without Content-Length (chunked), the limit holds while reading.
    chunks = (body[i:i + 8192] for i in range(0, len(body), 8192))
    response = requests.post(server.url, params=server.signed_query(), data=chunks, timeout=30)
    assert response.status_code == 413
    assert user_messages(stack.rasa_url, openid) == []


# -- other kinds of message ----------------------------------------------------------------------

def test_subscribing_gets_a_welcome_without_the_assistant(citizen, stack):
    reply = citizen.event("subscribe")
    assert "欢迎关注" in reply.content and "投诉" in reply.content and "工单" in reply.content
    assert user_messages(stack.rasa_url, citizen.openid) == []
    assert citizen.event("unsubscribe").is_success


def test_an_event_retried_with_the_same_time_is_handled_once(citizen):
    created = int(time.time())
    first = citizen.event("CLICK", create_time=created, EventKey="TALK_TO_HUMAN")
    again = citizen.event("CLICK", create_time=created, EventKey="TALK_TO_HUMAN")
    assert "人工客服" in first.content and again.content == first.content   # queued for a seat (issue 7)


def test_menu_clicks_map_to_actions(citizen):
    assert "工单编号" in citizen.event("CLICK", EventKey="MY_TICKETS").content
    time.sleep(1.1)   # events are told apart by user and CreateTime (seconds)
    assert "暂未开通" in citizen.event("CLICK", EventKey="NO_SUCH_KEY").content


def test_voice_uses_recognition_or_says_it_is_not_understood(citizen, stack):
    reply = citizen.send("voice", {"MediaId": "v1", "Format": "amr", "Recognition": "路灯坏了好几天了"}, msg_id=new_msg_id())
    assert "语音识别：路灯坏了好几天了" in reply.content
    assert [e["text"] for e in user_messages(stack.rasa_url, citizen.openid)] == ["路灯坏了好几天了"]
    reply = citizen.send("voice", {"MediaId": "v2", "Format": "amr"}, msg_id=new_msg_id())
    assert "听不懂语音" in reply.content and "文字" in reply.content


def test_other_message_types_get_a_polite_explanation(citizen, stack):
    reply = citizen.send("video", {"MediaId": "m", "ThumbMediaId": "t"}, msg_id=new_msg_id())
    assert "文字" in reply.content and "抱歉" in reply.content
    assert user_messages(stack.rasa_url, citizen.openid) == []


# -- the slow path -------------------------------------------------------------------------------

def test_slow_answers_go_out_by_customer_service_with_one_cached_token(launch, stack):
    from tests.support.wechat.standin import WeChatApiStandIn
    from tests.support.wechat.wechat_side import APPID, APPSECRET
    api = WeChatApiStandIn(APPID, APPSECRET).start()
    try:
        slow = launch("slow", api=api, WECHAT_REPLY_BUDGET="0.001")
        server = WeChatServer(slow.url)
        people = [Citizen(server), Citizen(server)]
        sent = [("你好", people[0]), (COMPLAINT, people[1]), ("路灯坏了好几天了", people[0])]
        for text, person in sent:
            started = time.monotonic()
            reply = person.say(text)
            assert reply.is_success and time.monotonic() - started < 1.0
            # Wait for each answer before the next message: a conversation is answered in order.
            expected = sum(1 for _, p in sent[:sent.index((text, person)) + 1] if p is person)
            assert api.wait_until(lambda: len(api.sent_to(person.openid)) >= expected, 60), slow.log()
        first, second = api.sent_to(people[0].openid), api.sent_to(people[1].openid)
        assert all(m["msgtype"] == "text" and m["text"]["content"] for m in first + second)
        assert "地点" in second[0]["text"]["content"] or "地方" in second[0]["text"]["content"]
        assert api.token_request_count() == 1
        assert len({m["access_token"] for m in first + second}) == 1
    finally:
        api.stop()
