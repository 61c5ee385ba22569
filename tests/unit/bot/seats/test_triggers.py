"""Escalation triggers from the message text (bot/seats/triggers.py, settings/escalation.yml)."""
from __future__ import annotations

import pytest

from bot.seats import reasons
from bot.seats.settings import escalation_settings_from
from bot.seats.triggers import Lexicon, detect


@pytest.mark.parametrize("text", ["我真的不想活了", "活着没意思，撑不下去了", "我已经走投无路了", "真想一死了之"])
def test_distress_goes_to_a_person(text):
    assert detect(text).reason == reasons.DISTRESS


@pytest.mark.parametrize("text", [
    "气死我了！！打了多少次电话都没人管",
    "你们这破机器人听不懂人话",
    "你们就是一群废物",
    "到底管不管？？推来推去的",
])
def test_anger_goes_to_a_person(text):
    trigger = detect(text)
    assert trigger.reason == reasons.ANGER and trigger.score >= 2 and trigger.matched


@pytest.mark.parametrize("text", [
    "气死我了，热力公司上门收费的人说不交就给我家停暖",   # an annoyed complaint stays with intake
    "我妈的遗产官司法院判的不公",                          # 我妈的 is not a curse
    "我建议公交车上加装USB充电口",
    "垃圾站的垃圾堆了一礼拜没清运",
    "我想咨询一下公积金怎么提取",
    "/request_human",
    "",
])
def test_ordinary_messages_do_not_trigger(text):
    assert detect(text) is None


def test_configured_matters_by_words_and_by_intent():
    assert detect("老板拖欠我们工资三个月了").matter == "农民工欠薪"
    assert detect("明天我们几十个人要集体讨薪").reason == reasons.MATTER
    lexicon = Lexicon.from_settings(escalation_settings_from({"matters": [{"name": "举报一律人工", "intents": ["report"]}]}))
    trigger = detect("有人往河里倒垃圾", "report", lexicon=lexicon)
    assert trigger.reason == reasons.MATTER and trigger.matter == "举报一律人工"
    assert detect("有人往河里倒垃圾", "complain", lexicon=lexicon) is None


def test_distress_comes_before_anger_and_matters():
    assert detect("老板欠薪不给，气死了，我不想活了！！").reason == reasons.DISTRESS


def test_negation_cancels_an_anger_word():
    lexicon = Lexicon.from_settings(escalation_settings_from({
        "anger": [{"pattern": "生气", "weight": 2}], "anger_threshold": 2, "anger_negations": "不|没"}))
    assert detect("我很生气", lexicon=lexicon).reason == reasons.ANGER
    assert detect("我不生气，就是问问", lexicon=lexicon) is None


def test_threshold_is_configurable():
    lexicon = Lexicon.from_settings(escalation_settings_from({
        "anger": [{"pattern": "气死", "weight": 1}], "anger_threshold": 1}))
    assert detect("气死我了，物业又停水", lexicon=lexicon).reason == reasons.ANGER


def test_reason_labels_for_seats():
    assert reasons.label(reasons.MATTER, {"matter": "农民工欠薪"}) == "需人工处理的事项：农民工欠薪"
    assert reasons.label(reasons.ANGER) == "市民情绪激动"


@pytest.mark.parametrize("intent, reason, overridden", [
    ("complain", reasons.ANGER, True),
    ("seek_help", reasons.MATTER, True),
    ("emergency_fire", reasons.DISTRESS, False),          # 119 first, always
    ("emergency_police", reasons.ANGER, False),
    ("request_human", reasons.ANGER, False),              # already going to a person
    ("not_accepted_unlawful", reasons.ANGER, True),       # frustration, not a lecture on public order
    ("not_accepted_litigation", reasons.ANGER, False),    # the court is still the answer
    ("not_accepted_jurisdiction", reasons.MATTER, False),
    ("not_accepted_petition", reasons.DISTRESS, True),    # distress always reaches a person
])
def test_what_a_trigger_may_override(intent, reason, overridden):
    from bot.seats.triggers import Trigger, may_override
    assert may_override(intent, Trigger(reason)) is overridden
