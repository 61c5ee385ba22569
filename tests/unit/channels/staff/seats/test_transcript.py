"""What a seat sees of a conversation, read from a tracker (channels/staff/seats/transcript.py)."""
from __future__ import annotations

from channels.staff.seats import transcript

EVENTS = [
    {"event": "session_started", "timestamp": 1},
    {"event": "user", "text": "社保卡丢了怎么办", "timestamp": 2,
     "parse_data": {"intent": {"name": "consult", "confidence": 0.91}}},
    {"event": "action", "name": "action_answer_consultation", "timestamp": 3},
    {"event": "bot", "text": "您想问的是不是下面这些问题？请点选一个：", "timestamp": 3,
     "data": {"buttons": [{"title": "社保卡丢了怎么挂失和补办？"}, {"title": "都不是"}]}},
    {"event": "slot", "name": "kb_outcome", "value": "offered", "timestamp": 3},
    {"event": "action", "name": "action_listen", "timestamp": 3},
    {"event": "user", "text": "气死了！！你们这破机器人", "timestamp": 4,
     "parse_data": {"intent": {"name": "request_human", "confidence": 1.0},
                    "entities": [{"entity": "escalation", "value": "anger", "detail": {"matched": ["破机器人", "！！"]}}]}},
    {"event": "bot", "text": "非常抱歉……已为您转接人工客服", "timestamp": 5},
    {"event": "bot", "text": None, "timestamp": 5, "data": {"custom": {"data": {"handoff": "queued"}}}},
    {"event": "pause", "timestamp": 5},
    {"event": "pause", "timestamp": 5.5},
    {"event": "user", "text": "我的社保卡在公交上丢了", "timestamp": 6,
     "parse_data": {"intent": {"name": "consult", "confidence": 0.7}}},
    {"event": "bot", "text": "【人工客服王芳】好的，我来帮您", "timestamp": 7, "metadata": {"seat": "王芳", "seat_text": "好的，我来帮您"}},
    {"event": "resume", "timestamp": 8},
    {"event": "user", "text": "EXTERNAL: EXTERNAL_seat_handback", "timestamp": 8, "metadata": {"is_external": True},
     "parse_data": {"intent": {"name": "EXTERNAL_seat_handback"}}},
    {"event": "user", "text": "119着火了", "timestamp": 9, "parse_data": {"intent": {"name": "emergency_fire"}}},
]
TRACKER = {"events": EVENTS, "paused": False, "active_loop": {"name": "ticket_form"},
           "slots": {"request_type": None, "location": "公交302路", "contact_phone": "13812345678", "anonymous": False}}


def test_the_transcript_has_everyone_and_the_pauses():
    items = transcript.transcript(EVENTS)
    roles = [i["role"] for i in items]
    assert roles == ["citizen", "assistant", "citizen", "assistant", "note", "citizen", "seat", "note", "note", "citizen"]
    assert items[2]["escalation"] == {"reason": "anger", "matched": ["破机器人", "！！"]}
    assert items[1]["buttons"] == ["社保卡丢了怎么挂失和补办？", "都不是"]
    assert items[6]["seat"] == "王芳" and items[6]["text"] == "好的，我来帮您"   # without the prefix
    assert items[8]["text"] == "坐席交回智能助手"
    assert items[0]["intent_label"] == "咨询" and items[0]["confidence"] == 0.91
    assert "intent" not in items[5]   # said to the seat while the assistant was paused
    assert items[9]["intent"] == "emergency_fire"


def test_what_the_assistant_understood():
    u = transcript.understanding(TRACKER)
    assert u["request_type"] == "consult" and u["request_type_label"] == "咨询"
    assert u["screening"] == ["紧急情况：已提示拨打119"]
    assert {f["label"]: f["value"] for f in u["facts"]} == {"地点": "公交302路", "联系电话": "13812345678", "匿名": False}
    assert u["knowledge"] == [{"question": "社保卡丢了怎么办", "answer": "您想问的是不是下面这些问题？请点选一个：",
                               "offered": ["社保卡丢了怎么挂失和补办？"], "outcome": "offered"}]
    assert u["form_running"] == "ticket_form" and u["paused"] is False


def test_the_ticket_form_is_prefilled_from_the_conversation():
    form = transcript.ticket_prefill(TRACKER)
    assert form["request_type"] == "consult" and form["location"] == "公交302路"
    assert form["contact_phone"] == "13812345678"
    assert "社保卡丢了怎么办" in form["text"] and "我的社保卡在公交上丢了" in form["text"]
    assert "EXTERNAL" not in form["text"] and "破机器人" not in form["text"] and "着火" not in form["text"]


def test_the_seats_own_words():
    words = transcript.seat_words(EVENTS, "王芳")
    assert [(w.text, w.at) for w in words] == [("好的，我来帮您", 7.0)]
    assert transcript.seat_words(EVENTS, "李强") == []


HELD_FIRE = [
    {"event": "user", "text": "楼道里有人乱扔杂物", "timestamp": 1, "parse_data": {"intent": {"name": "complain"}}},
    {"event": "user", "text": "我家隔壁着火了，好多烟", "timestamp": 2, "parse_data": {"intent": {"name": "emergency_fire"}}},
    {"event": "bot", "text": "请立即拨打119", "timestamp": 2},
    {"event": "pause", "timestamp": 3},
    {"event": "user", "text": "楼下有人在打架，拿着刀", "timestamp": 4, "parse_data": {"intent": {"name": "emergency_police"}}},
    {"event": "user", "text": "我要起诉他", "timestamp": 5, "parse_data": {"intent": {"name": "not_accepted_litigation"}}},
]


def test_what_was_said_to_the_citizen_is_told_apart_from_what_was_only_suspected_during_a_hold():
    u = transcript.understanding({"events": HELD_FIRE, "paused": True, "slots": {}})
    assert u["screening"] == ["紧急情况：已提示拨打119"]
    assert [(s["label"], s["text"], s["emergency"]) for s in u["suspected"]] == [
        ("疑似紧急（需报警110），未提示", "楼下有人在打架，拿着刀", True),
        ("疑似不予受理（诉讼、仲裁、复议事项），未提示", "我要起诉他", False)]
    items = transcript.transcript(HELD_FIRE)
    assert items[-2]["suspected"] == "疑似紧急（需报警110），未提示" and "intent" not in items[-2]
    assert "suspected" not in items[1]   # the assistant itself answered that one


def test_the_ticket_form_takes_facts_the_citizen_told_the_seat():
    events = [
        {"event": "user", "text": "我要投诉楼下烧烤摊，每天吵到半夜", "timestamp": 1, "parse_data": {"intent": {"name": "complain"}}},
        {"event": "pause", "timestamp": 2},
        {"event": "bot", "text": "【人工客服王芳】请问具体在哪里？怎么称呼您？", "timestamp": 3, "metadata": {"seat": "王芳"}},
        {"event": "user", "text": "在人民路88号，我姓周", "timestamp": 4},
        {"event": "user", "text": "昨天晚上十点多", "timestamp": 5},
        {"event": "user", "text": "电话是一三八一二三四五六七八", "timestamp": 6},
    ]
    form = transcript.ticket_prefill({"events": events, "slots": {"contact_phone": "13900001111", "location": "楼下"}})
    assert (form["location"], form["contact_name"], form["event_time"]) == ("人民路88号", "周", "昨天晚上十点多")
    assert form["contact_phone"] == "13812345678"   # told to the seat after the form's answer: newer
    assert form["request_type"] == "complain" and "烧烤摊" in form["text"]
    before_the_hold = transcript.ticket_prefill({"events": events[:1], "slots": {"location": "楼下烧烤摊"}})
    assert before_the_hold["location"] == "楼下烧烤摊"   # the form's answer beats a guess from the opening words
