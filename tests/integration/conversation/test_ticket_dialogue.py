"""A complaint ends in a ticket; facts are validated and can be corrected; retries stay one ticket."""
import re

import pytest

from tests.support.conversation import CITIZEN_ANSWERS

pytestmark = pytest.mark.rasa

ANSWERS = CITIZEN_ANSWERS


def answer_until_summary(chat, limit=10):
    """Answer whatever the assistant asks until it shows the summary."""
    for _ in range(limit):
        if "请核对" in chat.text:
            return
        if "同意" in chat.buttons:
            chat.say("/affirm")
            continue
        for words, reply in ANSWERS:
            if any(w in chat.text for w in words):
                chat.say(reply or chat.phone)
                break
        else:
            pytest.fail(f"unexpected question: {chat.text}")
    pytest.fail("no summary after answering every question")


def test_a_noise_complaint_ends_with_a_ticket_number_and_a_date(chat, ticket_store_of_stack):
    chat.say("我要投诉楼下烧烤摊，每天吵到半夜两点，根本睡不着")
    answer_until_summary(chat)
    assert "诉求类型：投诉" in chat.text and "人民路88号" in chat.text
    chat.say("/affirm")
    number = chat.ticket_number()
    assert number and re.search(r"\d{4}年\d{2}月\d{2}日前", chat.text)
    ticket = ticket_store_of_stack.get(number)
    assert ticket.request_type == "complain" and ticket.facts["location"] == "和平区人民路88号"
    assert ticket.contact_phone == chat.phone and ticket.consent_to_share
    assert "烧烤" in ticket.text


def test_confirming_twice_opens_one_ticket(chat, ticket_store_of_stack):
    chat.say("投诉小区物业乱收停车费，一个月多收两百")
    answer_until_summary(chat)
    chat.say("确认提交")
    number = chat.ticket_number()
    assert number
    chat.say("/affirm")
    assert chat.ticket_number() in (None, number)
    assert len(ticket_store_of_stack.list(limit=1000, sender_id=chat.sender)) == 1


def test_a_wrong_phone_is_asked_again(chat):
    chat.say("我要投诉楼下烧烤摊每天吵到半夜")
    for _ in range(8):
        if "手机" in chat.text:
            break
        answer_until_summary_step(chat)
    reply = chat.say("12345")
    assert "11位手机号码" in reply


def answer_until_summary_step(chat):
    for words, reply in ANSWERS:
        if any(w in chat.text for w in words):
            chat.say(reply or chat.phone)
            return
    pytest.fail(f"unexpected question: {chat.text}")


def test_a_field_can_be_corrected_before_submitting(chat):
    chat.say("我要投诉楼下烧烤摊每天吵到半夜")
    answer_until_summary(chat)
    chat.say("/deny")
    assert "哪一项" in chat.text
    chat.say('/correct_field{"field": "location"}')
    assert "地方" in chat.text or "地点" in chat.text
    chat.say("和平区中山路12号")
    assert "请核对" in chat.text and "中山路12号" in chat.text and "人民路88号" not in chat.text


def test_an_empty_place_is_refused(chat):
    chat.say("路灯坏了好几天了，晚上黑乎乎的，麻烦派人修一下")
    assert "地方" in chat.text or "地点" in chat.text
    reply = chat.say("不知道")
    assert "地点不能为空" in reply


def test_a_report_may_stay_anonymous(chat, ticket_store_of_stack):
    chat.say("举报一个黑作坊，在居民楼里偷偷生产假白酒")
    for _ in range(8):
        if "匿名" in chat.text:
            break
        answer_until_summary_step(chat)
    chat.say("/affirm")
    assert "请核对" in chat.text and "匿名" in chat.text
    chat.say("/affirm")
    ticket = ticket_store_of_stack.get(chat.ticket_number())
    assert ticket.anonymous and ticket.contact_phone is None and ticket.request_type == "report"


def test_cancelling_keeps_nothing(chat, ticket_store_of_stack):
    chat.say("我要投诉楼下烧烤摊每天吵到半夜")
    reply = chat.say("算了，不办了")
    assert "已取消" in reply
    assert ticket_store_of_stack.list(sender_id=chat.sender) == []


def test_the_owner_can_follow_up_a_ticket(chat):
    chat.say("我要投诉楼下烧烤摊，每天吵到半夜两点")
    answer_until_summary(chat)
    chat.say("/affirm")
    number = chat.ticket_number()
    reply = chat.say(f"查一下工单{number}的进度")
    assert number in reply and "答复期限" in reply


def test_a_stranger_must_prove_the_ticket_is_theirs(chat, rasa_url):
    from tests.support.conversation import Conversation
    chat.say("我要投诉楼下烧烤摊，每天吵到半夜两点")
    answer_until_summary(chat)
    chat.say("/affirm")
    number = chat.ticket_number()
    stranger = Conversation(rasa_url)
    assert "后四位" in stranger.say(f"帮我查下工单{number}")
    wrong = "0000" if chat.phone[-4:] != "0000" else "1111"
    assert "不一致" in stranger.say(wrong) and number not in stranger.text
    stranger.say(wrong)
    assert "没有找到" in stranger.say(wrong)           # the third wrong code ends the lookup
    other = Conversation(rasa_url)
    other.say(f"帮我查下工单{number}")
    assert number in other.say(chat.phone[-4:])
