"""Emergencies and matters not accepted: refer the caller, open no ticket.

An emergency the rules see (entity emergency_evidence = "rule") is referred at once, number first.
One only the classifier suspects gets one short check question; 是 → the referral, 不是 → the
request goes on as what was said (action_carry_on, then knowledge first and the form).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.consultation import knowledge_decision
from actions.messages import entity_value
from actions.services import record_service
from bot import channel_events
from bot.intake_text import looks_like_question
from bot.office.service_log import EMERGENCY_REFERRAL, NOT_ACCEPTED
from bot.request_types import REQUEST_TYPES
from bot.screening.emergency import (CLASSIFIER_EVIDENCE, EVIDENCE_ENTITY, RULE_EVIDENCE, detect_all,
                                     kind_of_intent)
from bot.screening.not_accepted import best_request_type
from bot.screening.referrals import emergency_message, emergency_numbers, not_accepted_message, route_of_intent
from bot.wording import say

FORM_SLOTS_TO_CLEAR = ["requested_slot", "request_type", "draft_id", "description", "location", "event_time", "asked_back",
                       "involved_party", "anonymous", "contact_name", "contact_phone", "consent", "confirmed", "field"]
# The NLU entity saying what a not-accepted referral stands on (components/not_accepted_net.py).
NOT_ACCEPTED_EVIDENCE = "not_accepted_evidence"
# The request as first read (actions/consultation.py), kept until its ticket is opened or dropped.
REQUEST_SLOTS = ["request_text", "request_guess", "review_route"]
CHECK_SLOTS = ["emergency_check", "emergency_kind"]
EMERGENCY_CHECK_QUESTION = say("emergency_check")
EMERGENCY_CHECK_BUTTONS = [{"title": say("emergency_yes_button"), "payload": "/affirm"},
                           {"title": say("emergency_no_button"), "payload": "/deny"}]


def close_any_form() -> List[Dict[Text, Any]]:
    """A referral ends whatever intake was running: its facts are not for this matter."""
    return [ActiveLoop(None)] + [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR + REQUEST_SLOTS + CHECK_SLOTS]


def _entity(message: Dict[str, Any], name: str) -> Optional[str]:
    value = entity_value(message, name)
    return None if value is None else str(value)


def emergency_evidence(message: Dict[str, Any]) -> str:
    """What the NLU said the emergency stands on; without the entity, what the rules see now."""
    said = _entity(message, EVIDENCE_ENTITY)
    if said:
        return said
    return RULE_EVIDENCE if detect_all(message.get("text") or "") else CLASSIFIER_EVIDENCE


def _knowledge_answers(text: str, offers_too: bool = True) -> bool:
    """Whether the knowledge base settles a question that only the classifier found alarming."""
    if not looks_like_question(text):
        return False
    decision = knowledge_decision(text)
    return decision is not None and decision.action in (("answer", "offer") if offers_too else ("answer",))


def _intent(message: Dict[str, Any]) -> Optional[str]:
    return (message.get("intent") or {}).get("name")


class ActionEmergencyReferral(Action):
    def name(self) -> Text:
        return "action_emergency_referral"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        if tracker.get_slot("emergency_check") and _intent(message) == "affirm":
            kinds = (tracker.get_slot("emergency_kind") or "").split(",")
            return self._refer(dispatcher, tracker, kinds, tracker.get_slot("request_text"), "confirmed")
        if emergency_evidence(message) == RULE_EVIDENCE:
            return self._refer(dispatcher, tracker, [kind_of_intent(_intent(message))], message.get("text"),
                               RULE_EVIDENCE)
        if tracker.active_loop_name:
            # A form asking yes/no (consent, anonymous) met a message only the classifier finds
            # alarming: ask the form's question again rather than a second question on top.
            return [FollowupAction(tracker.active_loop_name)]
        if _knowledge_answers(message.get("text") or ""):
            # 「老人一个人在家没人照顾，政府有上门服务吗」: a question the knowledge base answers is
            # answered; the check question is for what it cannot settle.
            return [FollowupAction("action_answer_consultation")]
        return [FollowupAction("action_ask_emergency_check")]

    @staticmethod
    def _refer(dispatcher: CollectingDispatcher, tracker: Tracker, kinds: List[Optional[str]], text: Optional[str],
               evidence: str) -> List[Dict[Text, Any]]:
        # Name every number the situation needs (a crash with injured people: 122 and 120). The
        # classifier's kind leads when the rules see it too; otherwise what the rules see leads.
        seen = [match.kind for match in detect_all(text or "")]
        kinds = kinds + seen if any(kind in seen for kind in kinds) else seen + kinds
        kinds = [k for k in kinds if k]
        # The phone puts the caller through to the first number named (the most pressing).
        numbers = emergency_numbers(kinds)
        dispatcher.utter_message(text=emergency_message(kinds), json_message=channel_events.envelope(
            channel_events.transfer(numbers[0], "emergency")))
        # evidence: "rule" (referred at once) or "confirmed" (是 to the check question)
        record_service(tracker, EMERGENCY_REFERRAL, question=text or "", to=numbers[0], numbers=numbers,
                       evidence=evidence)
        return close_any_form()



def suspected_kinds(message: Dict[str, Any], share: float = 0.3) -> List[str]:
    """The emergency kinds the classifier suspects: its first, and a second one it ranks close
    (at least `share` of the first's confidence). Unsure of the kind, the caller hears both numbers."""
    ranked = [(kind_of_intent(r.get("name")), float(r.get("confidence") or 0))
              for r in message.get("intent_ranking") or [] if kind_of_intent(r.get("name"))]
    first = kind_of_intent(_intent(message))
    if not ranked:
        return [first] if first else []
    top = max(confidence for _, confidence in ranked)
    kinds = [first] if first else []
    kinds += [kind for kind, confidence in ranked if confidence >= share * top and kind not in kinds]
    return kinds[:2]


class ActionAskEmergencyCheck(Action):
    """One short question when only the classifier suspects an emergency; the request said is kept
    for action_carry_on. A step of its own so that the rules can follow the answer."""

    def name(self) -> Text:
        return "action_ask_emergency_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        dispatcher.utter_message(text=EMERGENCY_CHECK_QUESTION, buttons=EMERGENCY_CHECK_BUTTONS)
        guess = best_request_type(message.get("intent_ranking") or [], list(REQUEST_TYPES), default="seek_help")
        return [SlotSet("emergency_check", True), SlotSet("emergency_kind", ",".join(suspected_kinds(message))),
                SlotSet("request_text", (message.get("text") or "").strip()), SlotSet("request_guess", guess)]


class ActionCarryOn(Action):
    """Not an emergency after all: go on with what the citizen said, knowledge first."""

    def name(self) -> Text:
        return "action_carry_on"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=say("carry_on"))
        return [FollowupAction("action_answer_consultation")]


class ActionNotAcceptedReferral(Action):
    def name(self) -> Text:
        return "action_not_accepted_referral"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        if _entity(message, NOT_ACCEPTED_EVIDENCE) == CLASSIFIER_EVIDENCE and \
                _knowledge_answers(message.get("text") or "", offers_too=False):
            # Only the classifier saw a not-accepted matter, and the knowledge base answers the
            # question outright (「想知道我名下有几套房，上哪查」): answer rather than turn away.
            return [FollowupAction("action_answer_consultation")]
        route = route_of_intent(_intent(message)) or "unlawful"
        dispatcher.utter_message(text=not_accepted_message(route))
        record_service(tracker, NOT_ACCEPTED, reason=route, evidence=_entity(message, NOT_ACCEPTED_EVIDENCE))
        return close_any_form()
