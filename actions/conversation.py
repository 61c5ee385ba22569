"""Clarifying questions and the way to a person."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import hotline_settings

UNCLEAR_INTENTS = {"nlu_fallback", "out_of_scope", "affirm"}


def _recent_user_intents(tracker: Tracker, count: int) -> List[str]:
    intents = [(e.get("parse_data") or {}).get("intent", {}).get("name")
               for e in tracker.events if e.get("event") == "user"]
    return intents[-count:]


class ActionClarify(Action):
    """Ask what the citizen means; after two misunderstandings in a row, offer a person."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        recent = _recent_user_intents(tracker, 2)
        if len(recent) == 2 and all(intent in UNCLEAR_INTENTS for intent in recent):
            dispatcher.utter_message(
                text="抱歉，我还是没能理解您的意思。需要为您转人工客服吗？",
                buttons=[{"title": "转人工", "payload": "/request_human"},
                         {"title": "我再说一遍", "payload": "/greet"}])
            return []
        latest = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        dispatcher.utter_message(response="utter_out_of_scope" if latest == "out_of_scope" else "utter_clarify")
        return []


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=hotline_settings().handoff_message)
        return []
