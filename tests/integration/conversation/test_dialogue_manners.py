"""The manners of a good seat (issue 15), whole conversations against the running assistant:
facts already said are not asked again; the summary is answered in words as well as buttons and
the request type is corrected without a new draft; an accepted answer is no misunderstanding; a
mistyped code is asked again; a vague message gets the request types to choose from."""
import re

import pytest

from tests.support.conversation import Conversation

pytestmark = pytest.mark.rasa


def answer(chat, until, limit=10):
    """Answer the form with a citizen's defaults until `until` is in the reply."""
    defaults = [(("什么事情", "具体说说"), "饭店油烟直排居民楼"), (("地点", "地方"), "东风路17号"),
                (("时间",), "这两个月一直这样"), (("涉及", "对象"), "门口那家川菜馆"), (("称呼",), "刘先生"),
                (("手机", "电话"), None)]
    asked = []
    for _ in range(limit):
        if until in chat.text:
            return asked
        if "同意" in chat.buttons:
            asked.append("consent")
            chat.say("/affirm")
            continue
        for words, reply in defaults:
            if any(w in chat.text for w in words):
                asked.append(words[0])
                chat.say(reply or chat.phone)
                break
        else:
            pytest.fail(f"unexpected question: {chat.text}")
    pytest.fail(f"never reached {until!r}")


def test_facts_in_the_opening_are_shown_not_asked(rasa_url):
    chat = Conversation(rasa_url)
    chat.say(f"我姓王，投诉和平区人民路88号楼下烧烤店每天晚上吵到一两点，我的手机{chat.phone}")
    asked = answer(chat, "请核对")
    assert asked == ["consent"], asked           # place, time, party, name and phone were all said
    assert "和平区人民路88号" in chat.text and "烧烤店" in chat.text and chat.phone in chat.text


def test_the_summary_takes_words_and_a_corrected_type_keeps_the_draft(rasa_url, ticket_store_of_stack):
    chat = Conversation(rasa_url)
    chat.say("我要投诉小区门口那家饭店油烟直排，熏得窗户都不敢开")
    answer(chat, "请核对")
    chat.say("不是投诉，是建议")
    assert "改为“建议”" in chat.text and "诉求类型：建议" in chat.text and "东风路17号" in chat.text
    chat.say("地址写错了")
    assert "地方" in chat.text or "地点" in chat.text
    chat.say("东风路19号")
    assert "请核对" in chat.text and "东风路19号" in chat.text
    chat.say("明天会下雨吗")                       # fits no option: asked again, nothing lost
    assert "请回复“确认”" in chat.text and "东风路19号" in chat.text
    chat.say("没问题，提交吧")
    ticket = ticket_store_of_stack.get(chat.ticket_number())
    assert ticket.request_type == "suggest" and ticket.facts["location"] == "东风路19号"


def test_change_without_saying_what_asks_which_including_the_type(rasa_url):
    chat = Conversation(rasa_url)
    chat.say("我要投诉小区门口那家饭店油烟直排，熏得窗户都不敢开")
    answer(chat, "请核对")
    chat.say("我要改一下")
    assert "哪一项" in chat.text and "诉求类型" in chat.buttons
    chat.say("电话")
    assert "手机" in chat.text or "电话" in chat.text
    chat.say("13700001111")
    assert "请核对" in chat.text and "13700001111" in chat.text


def test_an_answer_the_form_took_never_counts_as_a_misunderstanding(rasa_url):
    chat = Conversation(rasa_url)
    chat.say("我要投诉楼下饭店油烟太大")
    answer(chat, "什么地方")
    chat.say("老邮局对面巷子")                     # an answer the classifier may not place
    assert "时间" in chat.text
    chat.say("啊吧啊吧")                           # at most the first real misunderstanding
    assert "没能理解" not in chat.text and "已为您转接" not in chat.text


def test_a_mistyped_code_is_asked_again_then_the_status_shown(rasa_url, ticket_store_of_stack):
    owner = Conversation(rasa_url)
    owner.say("我要投诉小区门口那家饭店油烟直排，熏得窗户都不敢开")
    answer(owner, "请核对")
    owner.say("/affirm")
    number = owner.ticket_number()
    stranger = Conversation(rasa_url)
    stranger.say(f"查一下工单{number}")
    assert "后四位" in stranger.text
    stranger.say("0000" if owner.phone[-4:] != "0000" else "1111")
    assert "还可以再试2次" in stranger.text and "后四位" in stranger.text
    stranger.say(owner.phone[-4:])
    assert number in stranger.text and "答复期限" in stranger.text


def test_a_vague_message_gets_the_request_types(rasa_url):
    chat = Conversation(rasa_url)
    chat.say("那个事怎么办")
    assert "超出" not in chat.text and "不属于" not in chat.text
    assert {"投诉", "提意见建议"} <= set(chat.buttons)
    chat.say("/complain")
    assert re.search("具体说说|什么事", chat.text)
