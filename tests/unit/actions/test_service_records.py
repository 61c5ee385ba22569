"""What the assistant did for a citizen without a ticket is recorded (bot/office/service_log.py):
the actions run with rasa-sdk against a real, migrated SQLite store, and the rows are read back."""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import consultation, services
from actions import seats as seat_actions
from actions.consultation import ActionAnswerConsultation
from actions.conversation import ActionClarify, ActionHandoff
from actions.intake import ActionStartRequest
from actions.screening import ActionAskEmergencyCheck, ActionEmergencyReferral, ActionNotAcceptedReferral
from bot.knowledge.service import Decision, Hit
from bot.office.service_log import (EMERGENCY_REFERRAL, KB_ANSWER, KB_OFFER, NOT_ACCEPTED, UNANSWERED, ServiceLog,
                                    citizen_digest)
from bot.seats.queue import SeatQueue
from tests.support.actions import tracker

EVER = (dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc))


def records(store, kind=None):
    services.flush_service_records()
    return ServiceLog(store.engine).between(*EVER, kinds=[kind] if kind else None)


def said(text, intent, slots=None, sender="web-user-1", metadata=None, before=()):
    """A tracker whose latest message carries a message id and a time of its own, as Rasa sends it
    (the same tracker run again is the same message)."""
    t = tracker(text, intent, slots=slots, sender=sender, metadata=metadata)
    latest = dict(t.latest_message)
    t.events = list(before) + [{"event": "user", "text": text, "parse_data": latest, "input_channel": "socketio",
                                "message_id": uuid.uuid4().hex, "timestamp": time.time()}]
    return t


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, events


def hit(entry_id, score, question="怎么办理居住证"):
    return Hit(entry_id, question, "带身份证到派出所办理。", "市公安局", "12345", "kb", score)


@pytest.fixture
def seats_open(store, monkeypatch):
    """The seat queue in the same database, and seats on duty."""
    queue = SeatQueue(store.engine)
    monkeypatch.setattr(seat_actions, "seat_queue", lambda: queue)

    class Open:
        def is_open(self, moment=None):
            return True
    monkeypatch.setattr(seat_actions, "seat_hours", lambda: Open())
    return queue


# Emergencies and matters not accepted


def test_an_emergency_the_rules_see_is_recorded_once_with_its_number(store):
    t = said("厨房着火了，我电话13812345678", "emergency_fire", metadata={"channel": "wechat"},
             sender="wechat:openid-1")
    messages, _ = run(ActionEmergencyReferral(), t)
    assert "119" in messages[0]["text"]
    run(ActionEmergencyReferral(), t)   # the same message again (a retried action): no second row
    [row] = records(store)
    assert (row.kind, row.channel) == (EMERGENCY_REFERRAL, "wechat")
    assert row.detail == {"to": "119", "numbers": ["119"], "evidence": "rule"}
    assert row.citizen == citizen_digest("wechat:openid-1") and "wechat" not in row.citizen
    assert row.question == "厨房着火了，我电话138****5678"   # personal data masked
    assert row.at.tzinfo is not None


def test_a_crash_with_injuries_names_both_numbers_the_first_leading(store):
    run(ActionEmergencyReferral(), said("车祸了，有人流了好多血", "emergency_traffic"))
    [row] = records(store)
    assert row.detail["to"] == "122" and row.detail["numbers"] == ["122", "120"]


def test_a_suspected_emergency_is_recorded_only_when_the_citizen_confirms(store):
    text = "门口那辆车停了好几天了"
    suspected = said(text, "emergency_traffic")
    suspected.latest_message["intent_ranking"] = [{"name": "emergency_traffic", "confidence": 0.5},
                                                  {"name": "report", "confidence": 0.3}]
    _, events = run(ActionEmergencyReferral(), suspected)
    assert [e["name"] for e in events] == ["action_ask_emergency_check"]
    run(ActionAskEmergencyCheck(), suspected)
    assert records(store) == []
    run(ActionEmergencyReferral(), said("是", "affirm", slots={
        "emergency_check": True, "emergency_kind": "traffic", "request_text": text}))
    [row] = records(store)
    assert (row.detail["to"], row.detail["evidence"], row.question) == ("122", "confirmed", text)


def test_no_to_the_check_records_no_referral(store):
    run(ActionEmergencyReferral(), said("是", "affirm", slots={"request_text": "门口车停了好几天"}))
    assert records(store, EMERGENCY_REFERRAL) == []


def test_a_matter_not_accepted_is_recorded_with_its_reason(store):
    messages, _ = run(ActionNotAcceptedReferral(), said("帮我把这个官司判了", "not_accepted_litigation"))
    assert "法院" in messages[0]["text"]
    [row] = records(store)
    assert (row.kind, row.question, row.detail) == (NOT_ACCEPTED, "帮我把这个官司判了", {"reason": "litigation"})


# Knowledge base


def test_an_answer_from_the_knowledge_base_is_recorded_with_its_entry_and_score(store, monkeypatch):
    monkeypatch.setattr(consultation, "knowledge_decision", lambda text: Decision("answer", (hit("kb-7", 0.91234),)))
    t = said("居住证怎么办理？", "consult")
    messages, _ = run(ActionAnswerConsultation(), t)
    assert "派出所" in messages[0]["text"]
    run(ActionAnswerConsultation(), t)
    [row] = records(store)
    assert (row.kind, row.question, row.detail) == (KB_ANSWER, "居住证怎么办理？", {"entry_id": "kb-7", "score": 0.9123})


def test_near_matches_offered_are_recorded_then_the_one_picked(store, monkeypatch):
    hits = (hit("kb-1", 0.7), hit("kb-2", 0.65, "居住证续签"))
    monkeypatch.setattr(consultation, "knowledge_decision", lambda text: Decision("offer", hits))
    run(ActionAnswerConsultation(), said("居住证的事问一下？", "consult"))
    [offer] = records(store)
    assert (offer.kind, offer.detail) == (KB_OFFER, {"entry_ids": ["kb-1", "kb-2"], "scores": [0.7, 0.65]})

    class KB:
        def entry(self, entry_id):
            return hit(entry_id, 1.0)
    monkeypatch.setattr(consultation, "knowledge_base", lambda: KB())
    run(ActionAnswerConsultation(), said('/consult{"kb_entry": "kb-2"}', "consult",
                                         slots={"kb_entry": "kb-2", "kb_question": "居住证的事问一下？"}))
    [answer] = records(store, KB_ANSWER)
    assert answer.question == "居住证的事问一下？" and answer.detail == {"entry_id": "kb-2", "score": 1.0, "chosen": True}


# Questions the assistant could not answer


def test_a_consultation_without_an_answer_falls_to_a_ticket(store, monkeypatch):
    monkeypatch.setattr(consultation, "knowledge_decision", lambda text: Decision("none", ()))
    question = "我们小区的电动车充电桩归哪个部门管？"
    _, events = run(ActionAnswerConsultation(), said(question, "consult"))
    assert records(store) == []   # nothing is recorded until the ticket form starts
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    start = said(question, "consult", slots=slots)
    run(ActionStartRequest(), start)
    run(ActionStartRequest(), start)
    [row] = records(store)
    assert (row.kind, row.question, row.detail) == (UNANSWERED, question, {"fell_to": "ticket", "kb": "none"})


def test_an_answer_that_did_not_help_falls_to_a_ticket_too(store):
    run(ActionStartRequest(), said("没解决", "deny", slots={
        "kb_outcome": "answered", "request_text": "居住证怎么办理？", "request_guess": "consult"}))
    [row] = records(store)
    assert row.question == "居住证怎么办理？" and row.detail == {"fell_to": "ticket", "kb": "answered"}


def test_a_complaint_going_to_a_ticket_is_no_unanswered_question(store):
    run(ActionStartRequest(), said("楼下烧烤店天天吵到半夜", "complain", slots={
        "kb_outcome": "none", "request_text": "楼下烧烤店天天吵到半夜", "request_guess": "complain"}))
    assert records(store) == []


def test_a_message_not_understood_falls_to_the_fallback(store):
    messages, _ = run(ActionClarify(), said("那个事怎么办", "nlu_fallback"))
    assert messages
    [row] = records(store)
    assert (row.kind, row.question, row.detail["fell_to"]) == (UNANSWERED, "那个事怎么办", "fallback")


def test_a_question_outside_the_service_told_where_to_go_is_no_missing_entry(store):
    messages, _ = run(ActionClarify(), said("明天的高铁票能不能改签", "out_of_scope"))
    assert messages and records(store) == []


def test_a_second_misunderstanding_goes_to_a_seat_and_is_recorded_once(store, seats_open):
    first = {"event": "user", "text": "那个事怎么办", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    second = said("就是上回那个", "nlu_fallback", slots={"misunderstood": 1}, before=[first])
    _, events = run(ActionClarify(), second)
    assert any(e.get("name") == "action_handoff" for e in events)
    second.slots["escalation_reason"] = "misunderstood"
    messages, events = run(ActionHandoff(), second)
    assert any(e["event"] == "pause" for e in events)
    [row] = records(store)
    assert (row.question, row.detail) == ("就是上回那个", {"fell_to": "seat", "reason": "misunderstood"})


def test_a_hand_off_records_the_matter_said_before_and_asking_again_is_no_new_one(store, seats_open):
    before = [{"event": "session_started"},
              {"event": "user", "text": "低保申请被退回了，不知道缺什么材料？", "parse_data": {"intent": {"name": "consult"}}}]
    run(ActionHandoff(), said("转人工", "request_human", before=before))
    run(ActionHandoff(), said("人工", "request_human", before=before))   # already waiting
    [row] = records(store)
    assert row.question == "低保申请被退回了，不知道缺什么材料？"
    assert row.detail == {"fell_to": "seat", "reason": "requested"}


def test_anger_that_calls_a_person_is_itself_the_matter(store, seats_open):
    t = said("投诉三次了路灯还是不亮，气死了！！", "request_human")
    t.latest_message["entities"] = [{"entity": "escalation", "value": "anger", "original_intent": "complain",
                                     "detail": {"matched": ["气死"]}}]
    run(ActionHandoff(), t)
    [row] = records(store)
    assert row.question == "投诉三次了路灯还是不亮，气死了！！" and row.detail == {"fell_to": "seat", "reason": "anger"}


def test_a_hand_off_out_of_hours_reaches_no_seat(store, seats_open, monkeypatch):
    class Closed:
        def is_open(self, moment=None):
            return False

        def describe(self):
            return "工作日 9:00-17:00"
    monkeypatch.setattr(seat_actions, "seat_hours", lambda: Closed())
    run(ActionHandoff(), said("转人工", "request_human"))
    assert records(store) == []
    # a second misunderstanding no seat can take is what it is: a fallback
    run(ActionHandoff(), said("就是上回那个", "nlu_fallback", slots={"escalation_reason": "misunderstood"}))
    [row] = records(store)
    assert (row.question, row.detail["fell_to"]) == ("就是上回那个", "fallback")


def test_the_phone_transfer_to_a_seat_is_recorded(store, seats_open):
    before = [{"event": "user", "text": "我家水管爆了物业不管怎么办", "parse_data": {"intent": {"name": "complain"}}}]
    run(ActionHandoff(), said("/request_human", "request_human", metadata={"channel": "voice"}, before=before,
                              sender="voice-call-1"))
    [row] = records(store)
    assert (row.channel, row.question, row.detail["fell_to"]) == ("voice", "我家水管爆了物业不管怎么办", "seat")


# Recording never costs the citizen anything


def test_a_store_that_cannot_be_opened_is_logged_masked_and_the_citizen_is_still_referred(store, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database at 13812345678 is down")
    monkeypatch.setattr(services, "ticket_store", broken)
    with caplog.at_level(logging.ERROR, logger="actions.services"):
        messages, events = run(ActionEmergencyReferral(), said("厨房着火了", "emergency_fire"))
    assert "119" in messages[0]["text"] and any(e["event"] == "active_loop" for e in events)
    assert "service record emergency_referral not taken" in caplog.text
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text


def test_a_failed_write_is_logged_masked(store, monkeypatch, caplog):
    def failing(self, *args, **kwargs):
        raise RuntimeError("no table for 帮我把这个官司判了 13812345678")
    monkeypatch.setattr(ServiceLog, "record", failing)
    with caplog.at_level(logging.ERROR, logger="actions.services"):
        messages, _ = run(ActionNotAcceptedReferral(), said("帮我把这个官司判了 13812345678", "not_accepted_litigation"))
        services.flush_service_records()
    assert "法院" in messages[0]["text"]
    assert "service record not_accepted not written" in caplog.text
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text


def test_a_busy_database_does_not_keep_the_citizen_waiting(store, monkeypatch):
    write = ServiceLog.record

    def slow(self, *args, **kwargs):
        time.sleep(1.0)   # SQLite's write lock held by an import, say
        return write(self, *args, **kwargs)
    monkeypatch.setattr(ServiceLog, "record", slow)
    run(ActionNotAcceptedReferral(), said("帮我把这个官司判了", "not_accepted_litigation"))   # opens the log
    started = time.monotonic()
    run(ActionNotAcceptedReferral(), said("帮我把这个官司判了", "not_accepted_litigation"))
    assert time.monotonic() - started < 0.5
    assert len(records(store)) == 2
