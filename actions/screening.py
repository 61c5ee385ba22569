"""Emergencies and matters not accepted: refer the caller at once, open no ticket."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.screening.emergency import detect_all, kind_of_intent
from bot.screening.referrals import emergency_message, not_accepted_message, route_of_intent

FORM_SLOTS_TO_CLEAR = ["requested_slot", "request_type", "draft_id", "description", "location", "event_time",
                       "involved_party", "anonymous", "contact_name", "contact_phone", "consent"]


def close_any_form() -> List[Dict[Text, Any]]:
    """A referral ends whatever intake was running: its facts are not for this matter."""
    return [ActiveLoop(None)] + [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR]


class ActionEmergencyReferral(Action):
    def name(self) -> Text:
        return "action_emergency_referral"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        kinds = [kind_of_intent((message.get("intent") or {}).get("name"))]
        # Name every number the situation needs (a crash with injured people: 122 and 120).
        kinds += [match.kind for match in detect_all(message.get("text") or "")]
        dispatcher.utter_message(text=emergency_message([k for k in kinds if k]))
        return close_any_form()


class ActionNotAcceptedReferral(Action):
    def name(self) -> Text:
        return "action_not_accepted_referral"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        route = route_of_intent(intent) or "unlawful"
        dispatcher.utter_message(text=not_accepted_message(route))
        return close_any_form()
