"""A citizen asks about a ticket: number, proof of ownership, then status."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.messages import count_since
from actions.services import ticket_store, verification_refused
from bot import channel_events
from bot.tickets import lookup
from bot.wording import say


class ActionStartTicketLookup(Action):
    def name(self) -> Text:
        return "action_start_ticket_lookup"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        text = (tracker.latest_message or {}).get("text") or ""
        if not lookup.asks_about_a_ticket(text):
            # The classifier heard "how far has it got", but nothing says a ticket: a request
            # (「老旧小区改造排到哪一年了」), read knowledge first instead of asking for a number.
            return [FollowupAction("action_answer_consultation")]
        return [SlotSet("ticket_number", lookup.find_ticket_number(text)), SlotSet("phone_last4", None)]


class ValidateTicketLookupForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_ticket_lookup_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        number = tracker.get_slot("ticket_number")
        if not number:
            return ["ticket_number", "phone_last4"]
        ticket = ticket_store().get(number)
        # The same channel user needs no proof; anyone else (or a number that does not exist,
        # which must look the same from outside) is asked for the phone's last four digits.
        if lookup.ownership(ticket, tracker.sender_id, None).owned:
            return ["ticket_number"]
        return ["ticket_number", "phone_last4"]

    def validate_ticket_number(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None:   # cleared when the lookup starts: nothing to say yet
            return {"ticket_number": None}
        number = lookup.find_ticket_number(str(value or ""))
        if not number:
            dispatcher.utter_message(text=say("no_ticket_number"))
        return {"ticket_number": number}

    def validate_phone_last4(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None:
            return {"phone_last4": None}
        number = lookup.find_ticket_number(str(value))
        if number:
            # 「查询工单2026…」 again while asked for the code: a ticket number is no phone; this
            # number is the one to look up, and its code is asked for.
            return {"ticket_number": number, "phone_last4": None}
        digits = lookup.last4(str(value or ""))
        if not digits:
            dispatcher.utter_message(text=say("last4_needed"))
        return {"phone_last4": digits}


class ActionTicketStatus(Action):
    def name(self) -> Text:
        return "action_ticket_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("ticket_number")
        ticket = ticket_store().get(number) if number else None
        last4 = tracker.get_slot("phone_last4")
        refused = verification_refused(tracker.sender_id, number or "") if number and last4 else None
        if refused:
            dispatcher.utter_message(text=refused)
            return [SlotSet("ticket_number", None), SlotSet("phone_last4", None)]
        proof = lookup.ownership(ticket, tracker.sender_id, last4)
        if proof.owned:
            # The event lets a rating that follows go ahead without proof (actions/follow_up.py).
            dispatcher.utter_message(text=lookup.status_text(ticket), json_message=channel_events.envelope(
                channel_events.ticket_shown(ticket.number, lookup.rateable(ticket))))
            return [SlotSet("ticket_number", None), SlotSet("phone_last4", None)]
        tried = count_since(tracker.events, "action_start_ticket_lookup", "action", "action_ticket_status")
        left = lookup.tries_per_lookup() - tried - 1
        if number and last4 and left > 0:
            # A mistyped code is asked again, with the number kept (a person is not needed for a typo).
            dispatcher.utter_message(text=say("last4_mismatch", left=left))
            return [SlotSet("phone_last4", None), FollowupAction("ticket_lookup_form")]
        dispatcher.utter_message(text=lookup.NOT_FOUND)
        return [SlotSet("ticket_number", None), SlotSet("phone_last4", None)]
