"""Inside the ticket form the message is the answer, unless something stronger is true."""
import pytest

from bot.form_turns import GREETING, ANSWER, INTERRUPT, QUESTION, read_turn

ANSWERS = [
    # (slot asked, what the citizen said, what the classifier made of it out of context)
    ("location", "胜利大街和建设路交叉口", "emergency_traffic"),
    ("location", "百货大楼后门", "emergency_fire"),
    ("location", "阳光小区7号楼3单元602", "emergency_police"),
    ("location", "柳河镇张家堡村二组", "nlu_fallback"),
    ("involved_party", "那个卖菜的，不认识", "bot_challenge"),
    ("involved_party", "楼上的住户", "out_of_scope"),
    ("contact_name", "免贵姓钱", "out_of_scope"),
    ("event_time", "大概春节以后吧", "out_of_scope"),
    ("event_time", "不用管时间，天天都这样", "stop"),
    ("description", "法院旁边那条路的井盖丢了", "not_accepted_litigation"),
    ("contact_phone", "一三九 零零一二 三四五六", "inform"),
    ("location", "人民医院急诊楼门口", "emergency_medical"),
]


@pytest.mark.parametrize("slot, text, intent", ANSWERS)
def test_an_answer_is_the_answer_whatever_the_classifier_thought(slot, text, intent):
    assert read_turn(slot, text, intent) == ANSWER


INTERRUPTIONS = [
    ("location", "我家厨房着火了！", "emergency_fire", ()),
    ("event_time", "有人拿刀砍人了快来", "emergency_police", ()),
    ("location", "算了不办了", "stop", ()),
    ("contact_name", "我要转人工", "request_human", ()),
    ("contact_phone", "电话写错了，要改一下", "correct_field", ()),
    ("location", "你是机器人吗", "bot_challenge", ()),
    ("location", "/request_human", "request_human", ()),
    ("location", "气死我了你们都不管", "request_human", ("escalation",)),
    ("location", "", "EXTERNAL_seat_handback", ()),
]


@pytest.mark.parametrize("slot, text, intent, entities", INTERRUPTIONS)
def test_clear_interruptions_leave_the_form_to_the_rules(slot, text, intent, entities):
    assert read_turn(slot, text, intent, entities) == INTERRUPT


def test_a_classifier_only_emergency_never_interrupts():
    assert read_turn("location", "消防队对面的小卖部", "emergency_fire") == ANSWER


def test_a_question_of_their_own_is_told_apart_from_an_answer():
    assert read_turn("location", "这个事一般多久能处理好？", "consult") == QUESTION
    assert read_turn("location", "是不是在幸福路那个路口？", "consult") == ANSWER


@pytest.mark.parametrize("text", ["你好", "您好！", "喂喂", "在吗？", "还在吗", "hello"])
def test_a_bare_greeting_answers_nothing(text):
    # after a seat hands back the form asks for the place again; 「你好」 is no place
    assert read_turn("location", text, "greet") == GREETING


@pytest.mark.parametrize("slot, text", [("location", "你好，在人民路88号"), ("involved_party", "您好小区物业"),
                                        ("contact_name", "喂，我姓王")])
def test_a_greeting_before_the_answer_is_still_the_answer(slot, text):
    assert read_turn(slot, text, "inform") == ANSWER
