import pytest

pytestmark = pytest.mark.rasa


def test_greeting_says_what_the_hotline_does(chat):
    reply = chat.say("你好")
    assert "12345" in reply and "119" in reply


def test_gibberish_gets_a_clarifying_question_then_an_offer_of_a_person(chat):
    first = chat.say("asdfgh qwer")
    assert "投诉" in " ".join(chat.buttons) or "没能理解" in first or "服务范围" in first
    chat.say("zxcv bnm")
    assert "转人工" in chat.text or "转人工" in chat.buttons


def test_asking_for_a_person(chat):
    assert "人工" in chat.say("转人工")


def test_a_bare_complaint_asks_what_happened(chat):
    reply = chat.say("我要投诉")
    assert "具体" in reply
