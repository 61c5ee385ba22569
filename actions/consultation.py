"""Knowledge first: every request is read here before a form starts (bot/knowledge).

A consultation, and any question-like request whatever type the classifier guessed, is looked up
in the knowledge base: a confident match is answered, a near one offered as buttons. What the
knowledge base cannot answer goes on as a request (kb_outcome "none": the ticket form follows) or,
when the message was not understood as a request at all, as a clarifying question ("unclear").
The request itself (its text, its type, a not-accepted route a person should check) is kept in
slots for action_start_request, also when it was said before an emergency check question.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import entity_value
from actions.services import knowledge_base, record_service
from bot import intake
from bot.intake_text import is_letter, looks_like_question, reacts_to_answer
from bot.office.service_log import KB_ANSWER, KB_OFFER
from bot.request_types import REQUEST_TYPES
from bot.screening.not_accepted import best_request_type
from bot.wording import say

logger = logging.getLogger(__name__)

ANSWERED, OFFERED, NONE, UNCLEAR = "answered", "offered", "none", "unclear"
UNCLEAR_INTENTS = {"nlu_fallback", "out_of_scope"}
SOLVED_BUTTONS = [{"title": say("solved_button"), "payload": "/affirm"},
                  {"title": say("not_solved_button"), "payload": "/deny"}]
REVIEW_ENTITY = "not_accepted_review"


def answer_text(hit, follow_up: str = "") -> str:
    contact = say("kb_contact", department=hit.department, phone=hit.phone) if hit.phone else hit.department
    return f"{hit.answer}\n（{contact}）\n{follow_up or say('solved_question')}"


def offer_buttons(hits) -> List[Dict[str, str]]:
    buttons = [{"title": hit.question, "payload": f'/consult{{"kb_entry": "{hit.id}"}}'} for hit in hits]
    return buttons + [{"title": say("kb_none_of_these"), "payload": "/deny"}]


def knowledge_decision(text: str):
    """The knowledge base's decision on a question (answer / offer / none), or None when the index
    cannot be used: a broken index must never break intake, it only costs the answer."""
    try:
        return knowledge_base().decide(text)
    except Exception:  # noqa: BLE001 - see above
        logger.exception("knowledge base unavailable; going on without it")
        return None


def read_request(tracker: Tracker) -> Dict[str, Any]:
    """The request to triage: the latest message, or the one said before an emergency check that
    the citizen answered 不是."""
    latest_intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if tracker.get_slot("emergency_check") and latest_intent == "deny":
        return {"text": tracker.get_slot("request_text") or "", "intent": tracker.get_slot("request_guess"),
                "request_type": tracker.get_slot("request_guess"), "review": tracker.get_slot("review_route")}
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    ranking = message.get("intent_ranking") or []
    text = (message.get("text") or "").strip()
    named = intake.named_request_type(text)
    if named and intent not in REQUEST_TYPES and intent not in UNCLEAR_INTENTS:
        intent = named      # 「我姓王，投诉…」 heard as inform: the citizen said what it is
    if intent in UNCLEAR_INTENTS and (is_letter(text) or named):
        # A letter is a request by its very form, and 「举报…」 names its type: the classifier's
        # hesitation is no reason to ask what the citizen means.
        intent = named or best_request_type(ranking, list(REQUEST_TYPES), "complain")
    elif intent not in REQUEST_TYPES and intent not in UNCLEAR_INTENTS:
        # Sent here by another action that found no evidence for its intent (a "ticket status"
        # that names no ticket, a suspected emergency that is a question): the best request type.
        intent = best_request_type(ranking, list(REQUEST_TYPES), default="consult")
    if not intake.is_substantive(text) and tracker.get_slot("kb_outcome") == UNCLEAR and tracker.get_slot("request_text"):
        # A type button or 「我就是想咨询一下」 after the clarifying question: the matter is what was
        # said before it.
        text = tracker.get_slot("request_text")
    if tracker.get_slot("kb_outcome") in (ANSWERED, OFFERED) and reacts_to_answer(text) and tracker.get_slot("request_text"):
        # 「没解决，帮我登记」 typed after an answer: the matter, and its type, are the question's.
        return {"text": tracker.get_slot("request_text"), "intent": tracker.get_slot("request_guess") or intent,
                "request_type": tracker.get_slot("request_guess"), "review": tracker.get_slot("review_route"),
                "answered_already": True}
    margin = intake.intake_policy().type_ambiguity_margin
    return {"text": text, "intent": intent,
            "request_type": intake.read_request_type(intent, ranking, margin, text),
            "review": entity_value(message, REVIEW_ENTITY)}


def _vague(tracker: Tracker, text: str) -> bool:
    """A message that says there is a matter but not what it is, and names no request type."""
    latest = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return (not text.startswith("/") and latest not in REQUEST_TYPES and not intake.is_substantive(text)
            and not intake.named_request_type(text))


def should_look_up(text: str, intent: Optional[str]) -> bool:
    """Consultations, question-like messages and messages not understood as a request go to the
    knowledge base; button payloads and letters (a letter asks for handling) do not."""
    if not text or text.startswith("/") or is_letter(text):
        return False
    if intent in UNCLEAR_INTENTS:
        return intake.is_substantive(text)
    return intent == "consult" or looks_like_question(text)


class ActionAnswerConsultation(Action):
    """Triage of a request, knowledge first (the name is the rules' contract since the first build)."""

    def name(self) -> Text:
        return "action_answer_consultation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        chosen: Optional[str] = tracker.get_slot("kb_entry")
        if chosen:
            # A button of an earlier offer: the request is the question asked then.
            outcome = self._answer_entry(dispatcher, tracker, chosen)
            return [SlotSet("kb_outcome", outcome), SlotSet("kb_entry", None)]
        request = read_request(tracker)
        outcome = NONE
        if not request.get("answered_already") and should_look_up(request["text"], request["intent"]):
            outcome = self._look_up(dispatcher, tracker, request["text"])
        if outcome == NONE and _vague(tracker, request["text"]):
            outcome = UNCLEAR   # 「那个事怎么办」: asked what it is about (action_clarify), not a form
        elif outcome == NONE and request["intent"] in UNCLEAR_INTENTS:
            if looks_like_question(request["text"]):
                # A question the knowledge base cannot answer is a consultation for a person to
                # answer on a ticket, not something outside the hotline's scope.
                request["request_type"] = "consult"
            else:
                outcome = UNCLEAR
        return [SlotSet("kb_outcome", outcome), SlotSet("kb_question", request["text"]), SlotSet("kb_entry", None),
                SlotSet("request_text", request["text"]), SlotSet("request_guess", request["request_type"]),
                SlotSet("review_route", request["review"]), SlotSet("emergency_check", None)]

    @staticmethod
    def _answer_entry(dispatcher: CollectingDispatcher, tracker: Tracker, chosen: str) -> str:
        try:
            hit = knowledge_base().entry(chosen)
        except Exception:  # noqa: BLE001 - a broken index must not break intake
            logger.exception("knowledge base unavailable; taking the consultation as a ticket")
            return NONE
        if hit is None:
            return NONE
        dispatcher.utter_message(text=answer_text(hit), buttons=SOLVED_BUTTONS)
        # The entry picked from an earlier offer: the question is the one asked then.
        record_service(tracker, KB_ANSWER, question=tracker.get_slot("kb_question") or "", entry_id=hit.id,
                       score=hit.score, chosen=True)
        return ANSWERED

    @staticmethod
    def _look_up(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> str:
        decision = knowledge_decision(text)
        if decision is None:
            return NONE
        if decision.action == "answer":
            dispatcher.utter_message(text=answer_text(decision.best), buttons=SOLVED_BUTTONS)
            record_service(tracker, KB_ANSWER, question=text, entry_id=decision.best.id, score=decision.best.score)
            return ANSWERED
        if decision.action == "offer":
            dispatcher.utter_message(text=say("kb_offer"), buttons=offer_buttons(decision.hits))
            record_service(tracker, KB_OFFER, question=text, entry_ids=[hit.id for hit in decision.hits],
                           scores=[hit.score for hit in decision.hits])
            return OFFERED
        return NONE
