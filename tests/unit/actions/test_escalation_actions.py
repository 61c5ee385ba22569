"""The actions around a seat's hold, run with rasa-sdk against a real queue (SQLite)."""
from __future__ import annotations


import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot import channel_events

from actions import seats as seat_actions
from actions.conversation import ActionClarify, ActionHandoff
from actions.seats import ActionQueueTimeout, ActionSeatHandback, ActionStartCallback
from bot.seats.hours import SeatHours
from bot.seats.queue import SeatQueue
from bot.seats.settings import seat_settings, seat_settings_from
from bot.settings import load_yaml
from bot.tickets.database import make_engine, migrate
from bot.workdays import WorkdayCalendar
from tests.support.actions import slot_events, tracker


@pytest.fixture
def queue(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'seats.db'}")
    migrate(engine)
    queue = SeatQueue(engine)
    monkeypatch.setattr(seat_actions, "seat_queue", lambda: queue)
    return queue


def set_hours(monkeypatch, workdays, rest_days):
    raw = dict(load_yaml("seats.yml"), hours={"workdays": workdays, "rest_days": rest_days})
    hours = SeatHours.from_settings(seat_settings_from(raw), calendar=WorkdayCalendar(), timezone="Asia/Shanghai")
    monkeypatch.setattr(seat_actions, "seat_hours", lambda: hours)


def escalated(text, entities=None, channel="web", sender="web-1", slots=None, input_channel="socketio"):
    t = tracker(text, "request_human", sender=sender, metadata={"channel": channel}, slots=slots, channel=input_channel)
    t.latest_message["entities"] = entities or []
    return t


def run_handoff(t):
    dispatcher = CollectingDispatcher()
    events = ActionHandoff().run(dispatcher, t, {})
    return dispatcher.messages, events


def test_asking_for_a_person_queues_and_pauses(queue):
    messages, events = run_handoff(escalated("转人工"))
    assert "马上就到您" in messages[0]["text"]
    # every channel learns the conversation waits (the page shows it), in socket.io's shape
    assert messages[0]["custom"] == {"data": {"event": "handoff_queued", "position": 0}}
    assert events[-1] == {"event": "pause", "timestamp": None}
    entry = queue.open_for("web-1")
    assert (entry.channel, entry.reason, entry.status) == ("web", "requested", "waiting")


def test_rest_channels_get_the_same_event(queue):
    messages, _ = run_handoff(escalated("转人工", channel="wechat", input_channel="rest"))
    assert len(messages) == 1
    assert channel_events.read(messages) == [{"event": "handoff_queued", "position": 0}]


def test_the_citizen_hears_their_place_in_the_queue(queue):
    queue.enqueue("someone-else", "wechat", "requested")
    messages, _ = run_handoff(escalated("人工", sender="web-2"))
    assert "前面还有1位" in messages[0]["text"]
    again, events = run_handoff(escalated("人工", sender="web-2"))
    assert "已在人工客服队列中" in again[0]["text"] and "前面还有1位" in again[0]["text"]


def test_anger_found_by_the_nlu_component_is_the_reason(queue):
    entity = {"entity": "escalation", "value": "anger", "original_intent": "complain",
              "detail": {"matched": ["气死", "！！"], "score": 2.0}}
    messages, _ = run_handoff(escalated("气死了！！", [entity]))
    assert messages[0]["text"].startswith("非常抱歉")
    entry = queue.open_for("web-1")
    assert entry.reason == "anger" and entry.detail == {"matched": ["气死", "！！"], "score": 2.0, "intent": "complain"}


def test_two_misunderstandings_escalate(queue):
    events = [{"event": "user", "text": t, "parse_data": {"intent": {"name": i}}}
              for t, i in [("asdf", "nlu_fallback"), ("qwer", "out_of_scope")]]
    dispatcher = CollectingDispatcher()
    # The first message was not understood (action_clarify noted its count): this is the second.
    result = ActionClarify().run(dispatcher, tracker("qwer", "out_of_scope", events=events, slots={"misunderstood": 1}), {})
    assert "转人工" in dispatcher.messages[0]["text"]
    assert {"event": "followup", "name": "action_handoff", "timestamp": None} in result
    assert slot_events(result)["escalation_reason"] == "misunderstood"
    messages, _ = run_handoff(escalated("qwer", slots={"escalation_reason": "misunderstood"}))
    assert queue.open_for("web-1").reason == "misunderstood"
    assert messages[0]["text"].startswith("已为您转接人工客服")


def test_out_of_hours_offers_a_ticket_and_a_call_back(queue, monkeypatch):
    set_hours(monkeypatch, [], [])
    messages, events = run_handoff(escalated("转人工"))
    assert "不是人工客服服务时间" in messages[0]["text"] and "回电" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/request_callback"
    assert queue.open_for("web-1") is None
    assert not any(e["event"] == "pause" for e in events)


def test_the_phone_gets_a_transfer_for_the_voice_gateway(queue):
    messages, events = run_handoff(escalated("/request_human", channel="voice"))
    assert len(messages) == 1
    [transfer] = channel_events.read(messages)
    assert transfer["event"] == "transfer" and transfer["to"] == "seat"
    assert queue.open_for("web-1") is None and not any(e["event"] == "pause" for e in events)


def test_a_broken_queue_sends_the_citizen_to_the_phone(monkeypatch):
    from sqlalchemy.exc import OperationalError

    class Broken:
        def enqueue(self, *args, **kwargs):
            raise OperationalError("INSERT", {}, Exception("down"))
    monkeypatch.setattr(seat_actions, "seat_queue", lambda: Broken())
    messages, events = run_handoff(escalated("转人工"))
    assert "拨打12345" in messages[0]["text"] and not any(e["event"] == "pause" for e in events)


def test_a_running_form_waits_while_a_seat_talks_and_goes_on_after(queue):
    t = escalated("转人工", slots={"draft_id": "d-1", "requested_slot": "location"})
    t.active_loop = {"name": "ticket_form"}
    _, events = run_handoff(t)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert slot_events(events)["held_form"] == "ticket_form" and slot_events(events)["requested_slot"] is None
    assert events[-1]["event"] == "pause"
    dispatcher = CollectingDispatcher()
    back = ActionSeatHandback().run(dispatcher, tracker("EXTERNAL: EXTERNAL_seat_handback", "EXTERNAL_seat_handback",
                                                        slots={"held_form": "ticket_form"}), {})
    assert "智能助手继续为您服务" in dispatcher.messages[0]["text"]
    assert back == [{"event": "slot", "name": "held_form", "value": None, "timestamp": None},
                    {"event": "followup", "name": "ticket_form", "timestamp": None}]


def test_hand_back_and_timeout_messages():
    dispatcher = CollectingDispatcher()
    back = ActionSeatHandback().run(dispatcher, tracker("EXTERNAL: EXTERNAL_seat_handback", "EXTERNAL_seat_handback"), {})
    assert "智能助手继续为您服务" in dispatcher.messages[0]["text"] and back == []
    dispatcher = CollectingDispatcher()
    ActionQueueTimeout().run(dispatcher, tracker("x", "EXTERNAL_queue_timeout"), {})
    minutes = int(seat_settings().max_wait_minutes)
    assert f"{minutes}分钟" in dispatcher.messages[0]["text"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_callback", "/request_human"]


def test_a_call_back_starts_a_draft_from_what_was_said():
    events = [{"event": "user", "text": "小区门口的路灯坏了一个多月了", "parse_data": {"intent": {"name": "seek_help"}}},
              {"event": "user", "text": "转人工", "parse_data": {"intent": {"name": "request_human"}}},
              {"event": "user", "text": "/request_callback", "parse_data": {"intent": {"name": "request_callback"}}}]
    result = ActionStartCallback().run(CollectingDispatcher(), tracker("/request_callback", "request_callback", events=events), {})
    slots = slot_events(result)
    assert slots["description"] == "小区门口的路灯坏了一个多月了" and slots["callback_requested"] is True
    assert slots["draft_id"] and slots["request_type"] is None


def test_a_call_back_keeps_a_draft_in_progress():
    result = ActionStartCallback().run(CollectingDispatcher(), tracker("回电", "request_callback",
                                                                        slots={"draft_id": "d-1"}), {})
    assert slot_events(result) == {"callback_requested": True}


def test_empty_messages_are_asked_for_content_and_never_escalate(queue):
    events = [{"event": "user", "text": t, "parse_data": {"intent": {"name": "nlu_fallback"}}}
              for t in ("", "   ", "\n\n")]
    dispatcher = CollectingDispatcher()
    result = ActionClarify().run(dispatcher, tracker("\n\n", "nlu_fallback", events=events), {})
    assert "请说说您要咨询或办理的事情" in dispatcher.messages[0]["text"] and result == []
    assert queue.open_for("web-1") is None
