"""Clarifying questions and the way to a person (the queue and the pause are in actions/seats.py)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.seats import REASON_SLOT, hand_off
from bot.seats import reasons
from bot.wording import say

UNCLEAR_INTENTS = {"nlu_fallback", "out_of_scope", "affirm", "inform"}


def _recent_user_intents(tracker: Tracker, count: int) -> List[str]:
    """The intents of the citizen's latest messages with something in them (an empty message is
    a slip of the thumb, not a misunderstanding)."""
    intents = [(e.get("parse_data") or {}).get("intent", {}).get("name")
               for e in tracker.events if e.get("event") == "user" and (e.get("text") or "").strip()]
    return intents[-count:]


class ActionClarify(Action):
    """Ask what the citizen means; after two misunderstandings in a row, escalate to a person."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        if not ((tracker.latest_message or {}).get("text") or "").strip():
            dispatcher.utter_message(text=say("blank_message"))
            return []
        recent = _recent_user_intents(tracker, 2)
        if len(recent) == 2 and all(intent in UNCLEAR_INTENTS for intent in recent):
            dispatcher.utter_message(text=reasons.MISUNDERSTOOD_NOTICE)
            return [SlotSet(REASON_SLOT, reasons.MISUNDERSTOOD), FollowupAction("action_handoff")]
        latest = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        dispatcher.utter_message(response="utter_out_of_scope" if latest == "out_of_scope" else "utter_clarify")
        return []


class ActionHandoff(Action):
    """To a person: the seat queue in seat hours (the assistant pauses), a ticket with a call back
    out of hours, a transfer on the phone."""

    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        return hand_off(dispatcher, tracker)
