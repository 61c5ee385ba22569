"""The assistant around a seat's hold: queueing a conversation for a person, taking it back when
the seat hands it back or nobody came in time, and a ticket with a call back out of hours.

Why a conversation goes to a person, in order of precedence:
  1. the NLU component components/escalation_net.py saw distress, anger or a configured matter
     (entity "escalation" on a request_human message);
  2. ActionClarify failed to understand twice in a row (slot escalation_reason = misunderstood);
  3. the citizen asked (转人工, 人工, 找客服; "/request_human" from the web button, the WeChat menu,
     or the voice gateway when the caller presses 0).
"""
from __future__ import annotations

import logging
import uuid
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.messages import channel_of
from actions.screening import FORM_SLOTS_TO_CLEAR
from actions.services import record_service, ticket_store
from bot import channel_events, intake
from bot.office.service_log import UNANSWERED
from bot.seats import reasons
from bot.seats.hours import SeatHours
from bot.seats.queue import SeatQueue
from bot.seats.service import SeatRefused, SeatService
from bot.seats.settings import seat_settings
from bot.settings import hotline_settings
from bot.wording import say

logger = logging.getLogger(__name__)

REASON_SLOT = "escalation_reason"
HELD_FORM_SLOT = "held_form"
CALLBACK_SLOT = "callback_requested"
CALLBACK_BUTTONS = [{"title": say("callback_button"), "payload": "/request_callback"}]


@lru_cache(maxsize=None)
def seat_queue() -> SeatQueue:
    return SeatQueue(ticket_store().engine)   # same database, already migrated


@lru_cache(maxsize=None)
def seat_hours() -> SeatHours:
    return SeatHours.from_settings(seat_settings())


def escalation_of(tracker: Tracker) -> Tuple[str, Dict[str, Any]]:
    """Why this conversation goes to a person, and what the seat should know about it."""
    latest = tracker.latest_message or {}
    for entity in latest.get("entities") or []:
        if entity.get("entity") == "escalation" and entity.get("value") in reasons.LABELS:
            detail = dict(entity.get("detail") or {})
            detail["intent"] = entity.get("original_intent")
            return str(entity["value"]), detail
    if tracker.get_slot(REASON_SLOT) == reasons.MISUNDERSTOOD:
        return reasons.MISUNDERSTOOD, {}
    return reasons.REQUESTED, {}


def _hotline() -> str:
    return hotline_settings().hotline_number


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """Queue the conversation for a seat and pause the assistant; out of hours, offer a ticket
    and a call back; on the phone, ask the voice gateway for a transfer."""
    reason, detail = escalation_of(tracker)
    channel = channel_of(tracker)
    done = [SlotSet(REASON_SLOT, None)]
    if channel == "voice":
        _record_handoff(tracker, reason, to_seat=True)
        return done + _transfer(dispatcher, reason, detail)
    if not seat_hours().is_open():
        dispatcher.utter_message(text=seat_settings().message("out_of_hours", hours=seat_hours().describe()),
                                 buttons=CALLBACK_BUTTONS)
        _record_handoff(tracker, reason, to_seat=False)
        return done
    return done + _queue(dispatcher, tracker, channel, reason, detail)


def _record_handoff(tracker: Tracker, reason: str, to_seat: bool) -> None:
    """A conversation going to a seat is a question the assistant did not answer itself (the
    citizen's latest matter in this session, if any). When no seat can take it, a second
    misunderstanding in a row is recorded as what it is: a fallback."""
    if to_seat:
        latest = ((tracker.latest_message or {}).get("text") or "").strip()
        if reason == reasons.MISUNDERSTOOD or (reason != reasons.REQUESTED and not latest.startswith("/")
                                               and intake.is_substantive(latest)):
            question = latest   # what was not understood; the distress or anger that called a person
        else:
            question = _what_was_said(tracker, this_session=True) or ""   # 转人工 says nothing itself
        record_service(tracker, UNANSWERED, question=question, fell_to="seat", reason=reason)
    elif reason == reasons.MISUNDERSTOOD:
        record_service(tracker, UNANSWERED, fell_to="fallback",
                       intent=((tracker.latest_message or {}).get("intent") or {}).get("name"))


def _transfer(dispatcher: CollectingDispatcher, reason: str, detail: Dict[str, Any]) -> List[Dict[Text, Any]]:
    """The phone: the voice gateway hands the call to the seats' telephone queue (a transfer event)."""
    dispatcher.utter_message(text=say("transferring_to_seat"), json_message=channel_events.envelope(
        channel_events.transfer(channel_events.SEAT, reason, reasons.label(reason, detail))))
    return []


def _queue(dispatcher: CollectingDispatcher, tracker: Tracker, channel: str, reason: str,
           detail: Dict[str, Any]) -> List[Dict[Text, Any]]:
    settings = seat_settings()
    try:
        placed = SeatService(seat_queue()).request(tracker.sender_id, channel, reason, detail)
    except SeatRefused as refused:
        dispatcher.utter_message(text=str(refused))
        _record_handoff(tracker, reason, to_seat=False)
        return []
    except SQLAlchemyError:
        logger.exception("the seat queue is unavailable")
        dispatcher.utter_message(text=settings.message("unavailable", hotline=_hotline()))
        _record_handoff(tracker, reason, to_seat=False)
        return []
    ahead = max(placed.position - 1, 0)
    if not placed.created:
        text = settings.message("already_queued", position=ahead)
    else:
        _record_handoff(tracker, reason, to_seat=True)   # queued now; asking again is no new hand-off
        queued = settings.message("queued", position=ahead) if ahead else settings.message("queued_first")
        text = reasons.opening(reason) + queued
    # Every channel learns the conversation now waits (the web page shows a waiting state).
    dispatcher.utter_message(text=text, json_message=channel_events.envelope(channel_events.handoff_queued(ahead)))
    return _suspend_form(tracker) + [ConversationPaused()]


def _suspend_form(tracker: Tracker) -> List[Dict[Text, Any]]:
    """A form running when the citizen went to a person waits: while a seat talks with the citizen
    nothing they say may fill its slots. ActionSeatHandback starts it again where it stood."""
    form = (tracker.active_loop or {}).get("name")
    if not form:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet(HELD_FORM_SLOT, form)]


class ActionSeatHandback(Action):
    """The seat gave the conversation back (the console resumed it and triggered
    EXTERNAL_seat_handback): say so, and go on with the form the citizen was filling in, if any
    (the console clears it when the seat registered the matter itself)."""

    def name(self) -> Text:
        return "action_seat_handback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=seat_settings().message("handed_back"),
                                 json_message=channel_events.envelope(channel_events.handoff_resumed()))
        form = tracker.get_slot(HELD_FORM_SLOT)
        if not form:
            return []
        return [SlotSet(HELD_FORM_SLOT, None), FollowupAction(form)]


class ActionQueueTimeout(Action):
    """Nobody took the conversation in time (EXTERNAL_queue_timeout from the console's sweeper)."""

    def name(self) -> Text:
        return "action_queue_timeout"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        settings = seat_settings()
        minutes = int(round(settings.max_wait_minutes))
        dispatcher.utter_message(text=settings.message("wait_expired", minutes=minutes),
                                 buttons=CALLBACK_BUTTONS + [{"title": say("keep_waiting_button"), "payload": "/request_human"}],
                                 json_message=channel_events.envelope(channel_events.handoff_expired()))
        # A draft in progress stays: the call back (action_start_callback) goes on with it.
        return [SlotSet(HELD_FORM_SLOT, None)]


def _what_was_said(tracker: Tracker, this_session: bool = False) -> Optional[str]:
    """The citizen's latest substantive message: the matter the call back is about (or the one a
    seat takes over: this_session, then nothing said before the session started counts)."""
    for event in reversed(tracker.events):
        if this_session and event.get("event") in ("session_started", "restart"):
            return None
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if text and not text.startswith("/") and intent not in ("request_human", "request_callback") \
                and intake.is_substantive(text):
            return text
    return None


class ActionStartCallback(Action):
    """A ticket with a call back (out of hours, or after waiting too long): go on with the draft
    the citizen had started, else start one from what they said; ticket_form asks the rest."""

    def name(self) -> Text:
        return "action_start_callback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=say("callback_started"))
        if tracker.get_slot("draft_id"):
            return [SlotSet(CALLBACK_SLOT, True)]
        description = tracker.get_slot("kb_question") or _what_was_said(tracker)
        events = [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR]
        return events + [SlotSet("description", description), SlotSet("draft_id", uuid.uuid4().hex),
                         SlotSet(CALLBACK_SLOT, True)]
