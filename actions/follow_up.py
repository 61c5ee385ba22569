"""After a ticket is opened: follow-ups with new facts (seed 003 §11(6)) and the satisfaction
follow-up (回访评价, seeds 000 §17, 004 (二)3). Thin wrappers over bot.tickets."""
from __future__ import annotations

import logging
import os
import threading
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.intake import ActionOpenTicket, _form_values, routing_text
from actions.messages import channel_of, count_since
from actions.screening import FORM_SLOTS_TO_CLEAR
from actions.services import ticket_opening, ticket_store, verification_refused
from bot import channel_events
from bot.tickets import duplicates, facts, lifecycle, lookup, satisfaction
from bot.tickets.models import Ticket
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.opening import INVALID, UNAVAILABLE, OpeningRefused
from bot.tickets.store import TicketError
from bot.tickets.workflow import TicketWorkflow
from bot.wording import say

logger = logging.getLogger(__name__)


def _warm_up_duplicates() -> None:
    """The duplicate check's sentence encoder takes about 1.5 s to load: do it while the action
    server starts (same switch as actions/__init__.py), not on the first citizen's confirmation."""
    def _load() -> None:
        try:
            duplicates.warm_up()
        except Exception:  # noqa: BLE001 - the check falls back by itself on first use
            logger.exception("duplicate check could not warm up")
    threading.Thread(target=_load, name="duplicates-warm-up", daemon=True).start()


if os.environ.get("HOTLINE_WARM_UP") == "1" and os.environ.get("SANIC_WORKER_NAME"):
    _warm_up_duplicates()

FOLLOW_UP_SLOTS = ["duplicate_of", "new_fact"]
RATING_SLOTS = ["rating_ticket", "rating_proven", "rating", "rating_reason", "rating_phone_last4"]
_RECENT_TURNS = 3
STORE_DOWN = say("store_down")


def _clear(slots: List[str]) -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in slots]


# ------------------------------------------------------------------------------------ follow-ups

class ValidateFollowUpForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_follow_up_form"

    def validate_new_fact(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None:
            return {"new_fact": None}
        checked = facts.check_description(str(value))
        if checked.problem:
            dispatcher.utter_message(text=say("new_fact_needed"))
        return {"new_fact": checked.value}


class ActionOpenFollowUp(Action):
    """A new fact on a matter already open: a new ticket linked to the open one (same request key
    as the draft it comes from, so a retry opens nothing twice)."""

    def name(self) -> Text:
        return "action_open_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        values = _form_values(tracker)
        original, new_fact = tracker.get_slot("duplicate_of"), tracker.get_slot("new_fact")
        if not (original and new_fact and values.get("draft_id") and values.get("request_type")):
            dispatcher.utter_message(text=say("nothing_to_follow_up"))
            return _clear(FOLLOW_UP_SLOTS)
        draft = ActionOpenTicket._draft(tracker, values)
        draft.text = f"{draft.text}\n【新情况】{new_fact}"
        draft.follow_up_of = original
        try:
            opened = ticket_opening().open(draft, f"{tracker.sender_id}:{values['draft_id']}",
                                           routing_text=routing_text(values))
        except OpeningRefused as refused:
            text = (say("cannot_submit_follow_up", reason=refused) if refused.kind == INVALID else
                    say("store_down_follow_up", reason=refused) if refused.kind == UNAVAILABLE else str(refused))
            dispatcher.utter_message(text=text)
            return []
        dispatcher.utter_message(text=say("follow_up_opened", type=REQUEST_TYPES[opened.request_type],
                                          number=opened.number, original=original, deadline=opened.deadline,
                                          limit=opened.time_limit),
            json_message=channel_events.envelope(channel_events.ticket_opened(
                opened.number, opened.deadline, opened.request_type, follow_up_of=original)))
        return _clear(FORM_SLOTS_TO_CLEAR + FOLLOW_UP_SLOTS)


# ------------------------------------------------------------------------------ satisfaction

def _ticket_just_shown(tracker: Tracker) -> Optional[str]:
    """The closed ticket whose status the assistant showed in the last few turns: it was shown only
    to its owner, so the citizen can rate it without proving it again."""
    turns = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            turns += 1
            if turns > _RECENT_TURNS:
                return None
        elif event.get("event") == "bot":
            # The ticket_shown event of actions/ticket_lookup.py, never the status text's wording.
            for shown in channel_events.read([event.get("data") or {}]):
                if shown["event"] == channel_events.TICKET_SHOWN and shown.get("rateable"):
                    return shown["number"]
    return None


def _cannot_rate(ticket: Ticket) -> Optional[str]:
    if ticket.status != lifecycle.CLOSED:
        return say("not_closed_yet", number=ticket.number,
                   status=lifecycle.CITIZEN_LABELS.get(ticket.status, ticket.status))
    if ticket.satisfaction:
        return say("already_rated", number=ticket.number, rating=satisfaction.LABELS[ticket.satisfaction])
    return None


class ActionStartRating(Action):
    """Which ticket to rate: the number said, the one just shown, or the citizen's latest closed and
    unrated ticket; a grade and reason in the same sentence are kept."""

    def name(self) -> Text:
        return "action_start_rating"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        text = (tracker.latest_message or {}).get("text") or ""
        try:
            number, proven = self._which(tracker, text)
            ticket = ticket_store().get(number) if number else None
        except SQLAlchemyError:
            logger.exception("could not look up the ticket to rate")
            dispatcher.utter_message(text=STORE_DOWN)
            return _clear(RATING_SLOTS) + [FollowupAction("action_listen")]
        if number is None:
            dispatcher.utter_message(text=lookup.NOTHING_TO_RATE)
            return _clear(RATING_SLOTS) + [FollowupAction("action_listen")]
        proven = proven or (ticket is not None and ticket.sender_id == tracker.sender_id)
        problem = _cannot_rate(ticket) if proven and ticket else None
        if problem:
            dispatcher.utter_message(text=problem)
            return _clear(RATING_SLOTS) + [FollowupAction("action_listen")]
        rating, reason = satisfaction.parse_rating(text)
        return [SlotSet("rating_ticket", number), SlotSet("rating_proven", proven), SlotSet("rating", rating),
                SlotSet("rating_reason", reason), SlotSet("rating_phone_last4", None)]

    @staticmethod
    def _which(tracker: Tracker, text: str):
        said = lookup.find_ticket_number(text)
        if said:
            return said, False
        shown = _ticket_just_shown(tracker)
        if shown:
            return shown, True
        latest = ticket_store().latest_unrated(tracker.sender_id)
        return (latest.number, True) if latest else (None, False)


class ValidateSatisfactionForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_satisfaction_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if not tracker.get_slot("rating_ticket"):
            return []   # the code was wrong too often: nothing left to ask (validate_rating_phone_last4)
        slots = [] if tracker.get_slot("rating_proven") else ["rating_phone_last4"]
        slots.append("rating")
        if tracker.get_slot("rating") == satisfaction.UNSATISFIED:
            slots.append("rating_reason")   # a redo needs to know what to do differently
        return slots

    def validate_rating_phone_last4(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """The code is checked at once (not after the grade and the reason were asked for): a wrong
        one is asked again, at most lookup_tries times in all, never handed to a person."""
        if value is None:
            return {"rating_phone_last4": None}
        digits = lookup.last4(str(value))
        if not digits:
            dispatcher.utter_message(text=say("last4_needed_rating"))
            return {"rating_phone_last4": None}
        number = tracker.get_slot("rating_ticket")
        refused = verification_refused(tracker.sender_id, number or "")
        if refused:
            dispatcher.utter_message(text=refused)
            return {"rating_phone_last4": None, "rating_ticket": None}
        if lookup.ownership(ticket_store().get(number), tracker.sender_id, digits).owned:
            return {"rating_phone_last4": digits, "rating_proven": True}
        left = lookup.tries_per_lookup() - count_since(tracker.events, "action_start_rating", "user")
        if left > 0:
            dispatcher.utter_message(text=say("last4_mismatch", left=left))
            return {"rating_phone_last4": None}
        dispatcher.utter_message(text=lookup.NOT_FOUND)
        return {"rating_phone_last4": None, "rating_ticket": None}

    def validate_rating(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None or value in satisfaction.RATINGS:
            return {"rating": value}
        rating, reason = satisfaction.parse_rating(str(value))
        if rating is None:
            dispatcher.utter_message(text=say("rate_how"))
            return {"rating": None}
        return {"rating": rating, "rating_reason": reason or tracker.get_slot("rating_reason")}

    def validate_rating_reason(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value is None:
            return {"rating_reason": None}
        reason = satisfaction.clean_reason(str(value))
        if reason is None:
            dispatcher.utter_message(text=say("rate_why"))
        return {"rating_reason": reason}


class ActionRateTicket(Action):
    def name(self) -> Text:
        return "action_rate_ticket"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        number, rating = tracker.get_slot("rating_ticket"), tracker.get_slot("rating")
        if not number:
            return _clear(RATING_SLOTS)   # the form already said why (a wrong code, too many tries)
        if rating not in satisfaction.RATINGS:
            dispatcher.utter_message(text=lookup.NOTHING_TO_RATE)
            return _clear(RATING_SLOTS)
        try:
            dispatcher.utter_message(text=self._rate(tracker, number, rating))
        except SQLAlchemyError:
            logger.exception("could not store the rating of %s", number)
            dispatcher.utter_message(text=STORE_DOWN)
        return _clear(RATING_SLOTS)

    @staticmethod
    def _rate(tracker: Tracker, number: str, rating: str) -> str:
        store = ticket_store()
        ticket = store.get(number)
        # The code, when one was needed, was checked by the form (validate_rating_phone_last4).
        if ticket is None or not tracker.get_slot("rating_proven"):
            return lookup.NOT_FOUND
        problem = _cannot_rate(ticket)
        if problem:
            return problem
        try:
            outcome = TicketWorkflow(store).rate(number, rating, tracker.get_slot("rating_reason"),
                                                 actor=f"citizen:{channel_of(tracker)}")
        except TicketError as exc:
            return str(exc)
        return rating_reply(number, outcome)


def rating_reply(number: str, outcome) -> str:
    label = satisfaction.LABELS[outcome.rating]
    if outcome.reopened:
        return say("rated_reopened", rating=label, number=number, deadline=outcome.deadline)
    if outcome.rating == satisfaction.UNSATISFIED:
        return say("rated_unsatisfied_again", rating=label)
    return say("rated", rating=label)
