"""Clarifying questions and the way to a person (the queue and the pause are in actions/seats.py)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.seats import REASON_SLOT, hand_off
from bot import intake
from bot.screening.elsewhere import where_to_go
from bot.seats import reasons
from bot.wording import say


def _misunderstood_before(events: List[Dict[Text, Any]]) -> bool:
    """Whether the citizen's message before this one was also one the assistant could not place
    (action_clarify answered it). Only those count: an answer the form accepted, a knowledge-base
    question answered or a button pressed is understanding, whatever the classifier called it,
    and an empty message is a slip of the thumb that neither counts nor breaks the run."""
    turns: List[List[bool]] = []          # [said something, was clarified] per user message
    for event in events:
        if event.get("event") == "user":
            turns.append([bool((event.get("text") or "").strip()), False])
        elif event.get("event") == "action" and event.get("name") == "action_clarify" and turns:
            turns[-1][1] = True
    # The latest turn is the one being clarified now (its action_clarify is not logged yet).
    earlier = [clarified for said, clarified in turns[:-1] if said]
    return bool(earlier) and earlier[-1]


class ActionClarify(Action):
    """Ask what the citizen means; after two misunderstandings in a row, escalate to a person."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        if not ((tracker.latest_message or {}).get("text") or "").strip():
            dispatcher.utter_message(text=say("blank_message"))
            return []
        if _misunderstood_before(tracker.events):
            dispatcher.utter_message(text=reasons.MISUNDERSTOOD_NOTICE)
            return [SlotSet(REASON_SLOT, reasons.MISUNDERSTOOD), FollowupAction("action_handoff")]
        message = tracker.latest_message or {}
        text = (message.get("text") or "").strip()
        if not intake.is_substantive(text):
            # 「那个事怎么办」: nothing says what the matter is. Ask, with the request types to tap.
            dispatcher.utter_message(response="utter_clarify_vague")
        elif (message.get("intent") or {}).get("name") == "out_of_scope":
            # Really outside the service (weather, shares, train tickets): say so and where to go.
            dispatcher.utter_message(text=say("out_of_scope", go=where_to_go(text)))
        else:
            dispatcher.utter_message(response="utter_clarify")
        return []


class ActionHandoff(Action):
    """To a person: the seat queue in seat hours (the assistant pauses), a ticket with a call back
    out of hours, a transfer on the phone."""

    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        return hand_off(dispatcher, tracker)
