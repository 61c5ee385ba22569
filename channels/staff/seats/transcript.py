"""What a seat sees of a conversation, read from Rasa's tracker: the whole transcript, and what the
assistant understood (request type, screening, facts collected, knowledge-base answers tried).

Plain functions over the tracker's JSON (GET /conversations/{id}/tracker?include_events=ALL).
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.intake import is_substantive
from bot.seats.prefill import prefill
from bot.seats.tickets import SeatWords
from bot.tickets.policy import REQUEST_TYPES

FACT_SLOTS = ("description", "location", "event_time", "involved_party", "contact_name", "contact_phone",
              "anonymous", "consent", "callback_requested")
FACT_LABELS = {"description": "诉求内容", "location": "地点", "event_time": "时间", "involved_party": "涉及对象",
               "contact_name": "联系人", "contact_phone": "联系电话", "anonymous": "匿名", "consent": "同意转交联系方式",
               "callback_requested": "要求回电"}
SCREENING = {
    "emergency_police": "紧急情况：已提示拨打110", "emergency_fire": "紧急情况：已提示拨打119",
    "emergency_medical": "紧急情况：已提示拨打120", "emergency_traffic": "紧急情况：已提示拨打122",
    "not_accepted_litigation": "不予受理：诉讼、仲裁、复议事项", "not_accepted_petition": "不予受理：已进入信访渠道",
    "not_accepted_discipline": "不予受理：纪检监察、组织人事", "not_accepted_other_organs": "不予受理：党委人大政协等职能",
    "not_accepted_info_disclosure": "不予受理：政府信息公开申请", "not_accepted_secrets": "不予受理：涉密或他人隐私",
    "not_accepted_jurisdiction": "不予受理：不属本市管辖", "not_accepted_unlawful": "不予受理：违法或违背公序良俗",
}
INTENT_LABELS = {**REQUEST_TYPES, "request_human": "要求转人工", "greet": "问候", "goodbye": "告别", "thank": "感谢",
                 "affirm": "肯定", "deny": "否定", "stop": "取消", "ask_ticket_status": "查询工单",
                 "correct_field": "修改信息", "bot_challenge": "问是不是机器人", "out_of_scope": "超出范围",
                 "nlu_fallback": "没听懂", "request_callback": "要求回电"}
EXTERNAL_NOTES = {"EXTERNAL_seat_handback": "坐席交回智能助手", "EXTERNAL_queue_timeout": "等候超时，智能助手接回"}
# Suspected while a seat held the conversation: the assistant said nothing, the seat must.
SUSPECTED = {
    "emergency_police": "疑似紧急（需报警110），未提示", "emergency_fire": "疑似紧急（火警119），未提示",
    "emergency_medical": "疑似紧急（急救120），未提示", "emergency_traffic": "疑似紧急（交通事故122），未提示",
}
KB_ACTION = "action_answer_consultation"


def _intent(event: Dict[str, Any]) -> Dict[str, Any]:
    return ((event.get("parse_data") or {}).get("intent") or {})


def _is_external(event: Dict[str, Any]) -> bool:
    return bool((event.get("metadata") or {}).get("is_external")) or (event.get("text") or "").startswith("EXTERNAL")


def _buttons(event: Dict[str, Any]) -> List[str]:
    return [str(b.get("title")) for b in ((event.get("data") or {}).get("buttons") or []) if b.get("title")]


def _user_item(event: Dict[str, Any], paused: bool) -> Dict[str, Any]:
    item: Dict[str, Any] = {"role": "citizen", "text": event.get("text") or "", "at": event.get("timestamp")}
    if paused:   # said to the seat: only a suspected emergency or refusal matters (nobody told the citizen)
        suspicion = suspected_label(_intent(event).get("name"))
        if suspicion:
            item["suspected"] = suspicion
        return item
    intent = _intent(event)
    item.update(intent=intent.get("name"), intent_label=INTENT_LABELS.get(intent.get("name"), intent.get("name")),
                confidence=round(float(intent.get("confidence") or 0), 2))
    escalation = next((e for e in (event.get("parse_data") or {}).get("entities") or []
                       if e.get("entity") == "escalation"), None)
    if escalation:
        item["escalation"] = {"reason": escalation.get("value"),
                              "matched": (escalation.get("detail") or {}).get("matched") or []}
    return item


def _bot_item(event: Dict[str, Any]) -> Dict[str, Any]:
    metadata = event.get("metadata") or {}
    seat = metadata.get("seat")
    text = (metadata.get("seat_text") if seat else None) or event.get("text") or ""
    return {"role": "seat" if seat else "assistant", "seat": seat, "text": text, "buttons": _buttons(event),
            "at": event.get("timestamp")}


def _note(text: str, event: Dict[str, Any]) -> Dict[str, Any]:
    return {"role": "note", "text": text, "at": event.get("timestamp")}


def transcript(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Citizen, assistant and seat messages in order, with notes where the assistant paused or resumed."""
    items: List[Dict[str, Any]] = []
    paused = False
    for event in events:
        kind = event.get("event")
        if kind == "user" and _is_external(event):
            items.append(_note(EXTERNAL_NOTES.get(_intent(event).get("name"), "系统事件"), event))
        elif kind == "user":
            items.append(_user_item(event, paused))
        elif kind == "bot" and (event.get("text") or _buttons(event)):
            items.append(_bot_item(event))
        elif kind == "pause" and not paused:
            items.append(_note("智能助手已暂停（转人工）", event))
        elif kind == "resume" and paused:
            items.append(_note("智能助手已恢复", event))
        elif kind == "session_started" and items:
            items.append(_note("新的会话开始（长时间未活动）", event))
        if kind in ("pause", "resume", "session_started", "restart"):
            paused = kind == "pause"
    return items


def _heard_by_the_assistant(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The citizen's messages outside a seat's hold."""
    heard, paused = [], False
    for event in events:
        kind = event.get("event")
        if kind in ("pause", "resume", "session_started", "restart"):
            paused = kind == "pause"
        elif kind == "user" and not paused:
            heard.append(event)
    return heard


def _request_type(slots: Dict[str, Any], events: List[Dict[str, Any]]) -> Optional[str]:
    if slots.get("request_type") in REQUEST_TYPES:
        return slots["request_type"]
    for event in reversed(_heard_by_the_assistant(events)):
        if _intent(event).get("name") in REQUEST_TYPES:
            return _intent(event)["name"]
    return None


def suspected_label(intent: Optional[str]) -> Optional[str]:
    """What the NLU suspected in a message said while the assistant was paused: nothing was said
    to the citizen about it, so the seat must act (「疑似紧急，未提示」)."""
    if intent in SUSPECTED:
        return SUSPECTED[intent]
    if intent in SCREENING:
        kind, what = SCREENING[intent].split("：", 1)
        return f"疑似{kind}（{what}），未提示"
    return None


def _screening(events: List[Dict[str, Any]]) -> Tuple[List[str], List[Dict[str, Any]]]:
    """Emergencies and matters not accepted, told apart: what the assistant said to the citizen
    (outside a hold), and what the NLU only suspected while a seat held the conversation — nobody
    told the citizen to call 119 then, so that must stand out as a warning for the seat."""
    said: List[str] = []
    suspected: List[Dict[str, Any]] = []
    paused = False
    for event in events:
        kind = event.get("event")
        if kind in ("pause", "resume", "session_started", "restart"):
            paused = kind == "pause"
        if kind != "user" or _is_external(event):
            continue
        intent = _intent(event).get("name")
        if paused and suspected_label(intent):
            suspected.append({"label": suspected_label(intent), "text": event.get("text") or "",
                              "at": event.get("timestamp"), "emergency": str(intent).startswith("emergency_")})
        elif not paused and SCREENING.get(intent) and SCREENING[intent] not in said:
            said.append(SCREENING[intent])
    return said, suspected


def knowledge_tried(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Each knowledge-base attempt: the question, what the assistant answered or offered, the outcome."""
    tried: List[Dict[str, Any]] = []
    question, current = None, None
    for event in events:
        kind = event.get("event")
        if kind == "user" and not _is_external(event):
            question, current = event.get("text"), None
        elif kind == "action" and event.get("name") == KB_ACTION:
            current = {"question": question, "answer": "", "offered": [], "outcome": None}
            tried.append(current)
        elif kind == "bot" and current is not None:
            current["answer"] = (current["answer"] + "\n" + (event.get("text") or "")).strip()
            current["offered"] += [t for t in _buttons(event) if t not in ("解决了", "没解决，帮我登记", "都不是")]
        elif kind == "slot" and event.get("name") == "kb_outcome" and current is not None:
            current["outcome"] = event.get("value")
        elif kind == "action" and event.get("name") == "action_listen":
            current = None
    return tried


# Messages that say nothing about the matter itself (asking for a person, yes, no, thanks...).
NOT_THE_MATTER = {"request_human", "request_callback", "greet", "goodbye", "thank", "affirm", "deny", "stop",
                  "bot_challenge", "ask_ticket_status", "correct_field"}


def citizen_words(events: List[Dict[str, Any]]) -> List[str]:
    """What the citizen said about their matter, for the ticket's text."""
    return [str(e.get("text")) for e in events
            if e.get("event") == "user" and not _is_external(e) and e.get("text")
            and not str(e.get("text")).startswith("/") and _intent(e).get("name") not in NOT_THE_MATTER
            and not str(_intent(e).get("name") or "").startswith("emergency_")]


def understanding(tracker: Dict[str, Any]) -> Dict[str, Any]:
    events, slots = tracker.get("events") or [], tracker.get("slots") or {}
    request_type = _request_type(slots, events)
    facts = [{"slot": s, "label": FACT_LABELS[s], "value": slots.get(s)} for s in FACT_SLOTS
             if slots.get(s) not in (None, "")]
    said, suspected = _screening(events)
    return {"request_type": request_type, "request_type_label": REQUEST_TYPES.get(request_type or "", "未确定"),
            "screening": said, "suspected": suspected, "facts": facts, "knowledge": knowledge_tried(events),
            # A form the hand-off suspended (held_form) goes on when the seat hands back.
            "form_running": (tracker.get("active_loop") or {}).get("name") or slots.get("held_form"),
            "paused": bool(tracker.get("paused"))}


def _said_around_the_hold(events: List[Dict[str, Any]]) -> Tuple[List[str], List[str]]:
    """The citizen's typed words before the latest hold and during it (button payloads and the
    console's external intents left out)."""
    earlier: List[str] = []
    later: List[str] = []
    paused = False
    for event in events:
        kind, text = event.get("event"), str(event.get("text") or "")
        if kind in ("pause", "resume", "session_started", "restart"):
            if kind == "pause" and not paused:
                earlier, later = earlier + later, []
            paused = kind == "pause"
        elif kind == "user" and text and not text.startswith("/") and not _is_external(event):
            (later if paused else earlier).append(text)
    return earlier, later


def ticket_prefill(tracker: Dict[str, Any]) -> Dict[str, Any]:
    """The ticket form as the seat first sees it: the facts the assistant collected, and what the
    citizen stated anywhere in the conversation (to the seat too)."""
    events, slots = tracker.get("events") or [], tracker.get("slots") or {}
    said = [t for t in citizen_words(events) if is_substantive(t)]
    # Place, time, name and phone also from what the citizen said in words (bot/seats/prefill.py).
    earlier, later = _said_around_the_hold(events)
    return {"request_type": _request_type(slots, events) or "", "text": slots.get("description") or "；".join(said),
            **prefill(slots, earlier, later),
            "involved_party": slots.get("involved_party") or "", "anonymous": bool(slots.get("anonymous")),
            "consent": bool(slots.get("consent")), "callback": bool(slots.get("callback_requested"))}


def seat_words(events: Iterable[Dict[str, Any]], seat: str) -> List[SeatWords]:
    """What this seat said in the conversation (bot events with metadata seat = its name)."""
    return [SeatWords(str((e.get("metadata") or {}).get("seat_text") or e.get("text") or ""), float(e.get("timestamp") or 0))
            for e in events if e.get("event") == "bot" and (e.get("metadata") or {}).get("seat") == seat]
