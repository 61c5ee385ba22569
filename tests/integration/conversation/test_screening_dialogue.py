"""Emergencies and matters not accepted are answered at once, with no ticket."""
import pytest

pytestmark = pytest.mark.rasa


def test_fire_is_told_to_call_119_at_once(chat, ticket_store_of_stack):
    before = len(ticket_store_of_stack.list(limit=1000))
    reply = chat.say("救命！我家厨房着火了，火很大")
    assert "119" in reply.splitlines()[0]
    assert len(ticket_store_of_stack.list(limit=1000)) == before


def test_an_emergency_interrupts_a_form(chat):
    chat.say("我要投诉楼下烧烤摊每天吵到半夜")
    assert "地方" in chat.text or "地点" in chat.text
    reply = chat.say("等一下，楼下有人晕倒了")
    assert "120" in reply
    # The complaint was closed: the next message starts afresh.
    assert "地点" not in chat.say("你好")


def test_suing_someone_is_sent_to_court(chat):
    reply = chat.say("我想让你们帮我起诉我前老板，让法院判他赔钱")
    assert "法院" in reply and "工单编号" not in reply


def test_corruption_is_sent_to_discipline_inspection(chat):
    reply = chat.say("我要举报我们镇长收红包，帮别人批地")
    assert "纪委" in reply or "纪检" in reply


def test_a_question_about_ambulance_fees_is_not_an_emergency(chat):
    reply = chat.say("请问120急救车怎么收费")
    assert "立即拨打120" not in reply
