"""Clarifying questions and the way to a person (the queue and the pause are in actions/seats.py)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.seats import REASON_SLOT, hand_off
from actions.services import record_service
from bot import intake
from bot.intake_text import is_letter, looks_like_question
from bot.office.service_log import UNANSWERED
from bot.screening.elsewhere import where_to_go
from bot.seats import reasons
from bot.wording import say


MISUNDERSTOOD_SLOT = "misunderstood"
# Intents the rules send here although the message may be a request after all.
_STRAY = {"inform", "affirm", "deny", "stop"}
_NOTHING_TO_CANCEL = {"deny", "stop"}


def _messages_so_far(events: List[Dict[Text, Any]]) -> int:
    """How many messages with something in them the citizen has sent (an empty message is a slip
    of the thumb: it neither counts as a misunderstanding nor breaks a run of them)."""
    return sum(1 for e in events if e.get("event") == "user" and (e.get("text") or "").strip())


def _consulted_this_turn(events: List[Dict[Text, Any]]) -> bool:
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == "action_answer_consultation":
            return True
    return False


def _a_request_after_all(text: str) -> bool:
    """「我姓王，投诉…」 (inform), 「那个事怎么办」 (deny): a request type named, a letter or a question."""
    return bool(intake.named_request_type(text)) or is_letter(text) or looks_like_question(text)


class ActionClarify(Action):
    """Ask what the citizen means; after two misunderstandings in a row, escalate to a person.

    Only messages this action fails to understand count: an answer the form took, a knowledge-base
    answer or a button is understanding, whatever the classifier called it. The slot misunderstood
    holds which message (by count) was last not understood, so the next one knows if it is the
    second in a row."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        text = (message.get("text") or "").strip()
        intent = (message.get("intent") or {}).get("name")
        if not text:
            dispatcher.utter_message(text=say("blank_message"))
            return []
        if intent in _STRAY and not text.startswith("/") and not _consulted_this_turn(tracker.events):
            if _a_request_after_all(text):
                return [FollowupAction("action_answer_consultation")]
            if intent in _NOTHING_TO_CANCEL:
                dispatcher.utter_message(response="utter_nothing_to_cancel")
                return []
        this_message = _messages_so_far(tracker.events)
        if tracker.get_slot(MISUNDERSTOOD_SLOT) == this_message - 1:
            dispatcher.utter_message(text=reasons.MISUNDERSTOOD_NOTICE)
            return [SlotSet(REASON_SLOT, reasons.MISUNDERSTOOD), SlotSet(MISUNDERSTOOD_SLOT, None),
                    FollowupAction("action_handoff")]
        self._clarify(dispatcher, text, intent)
        if intent != "out_of_scope":
            # Not understood (the second time in a row is recorded by the hand-off: a seat, or the
            # fallback again when no seat can take it). Weather or shares, told where to go, are
            # understood: no knowledge-base entry is missing for them.
            record_service(tracker, UNANSWERED, question=text, fell_to="fallback", intent=intent)
        return [SlotSet(MISUNDERSTOOD_SLOT, this_message)]

    @staticmethod
    def _clarify(dispatcher: CollectingDispatcher, text: str, intent: Optional[str]) -> None:
        if not intake.is_substantive(text):
            # 「那个事怎么办」: nothing says what the matter is. Ask, with the request types to tap.
            dispatcher.utter_message(response="utter_clarify_vague")
        elif intent == "out_of_scope":
            # Really outside the service (weather, shares, train tickets): say so and where to go.
            dispatcher.utter_message(text=say("out_of_scope", go=where_to_go(text)))
        else:
            dispatcher.utter_message(response="utter_clarify")


class ActionHandoff(Action):
    """To a person: the seat queue in seat hours (the assistant pauses), a ticket with a call back
    out of hours, a transfer on the phone."""

    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        return hand_off(dispatcher, tracker)
