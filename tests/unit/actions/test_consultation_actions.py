"""Triage after an answer: 「没解决，帮我登记」 typed instead of pressing the button keeps the matter."""
from rasa_sdk.executor import CollectingDispatcher

from actions import consultation
from actions.consultation import ActionAnswerConsultation
from tests.support.actions import slot_events, tracker


def test_a_typed_not_solved_keeps_the_question_and_does_not_ask_the_knowledge_base_again(monkeypatch):
    asked = []
    monkeypatch.setattr(consultation, "knowledge_decision", lambda text: asked.append(text))
    question = "高考报名是在学校报还是自己网上报，时间是哪几天"
    dispatcher = CollectingDispatcher()
    events = ActionAnswerConsultation().run(dispatcher, tracker(
        "没解决，帮我登记", "seek_help",
        slots={"kb_outcome": "answered", "request_text": question, "request_guess": "consult"}), {})
    slots = slot_events(events)
    assert slots["request_text"] == question and slots["request_guess"] == "consult"
    assert slots["kb_outcome"] == "none" and asked == [] and dispatcher.messages == []
