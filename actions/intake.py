"""Collecting the facts of a request and opening its ticket (ticket_form and its neighbours)."""
from __future__ import annotations

import logging
import uuid
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consultation import answer_text, knowledge_decision
from actions.messages import channel_of, entity_value
from actions.screening import FORM_SLOTS_TO_CLEAR, REQUEST_SLOTS
from actions.services import record_service, ticket_opening, ticket_store
from bot import channel_events, form_turns, intake
from bot.intake_text import is_letter, summary_line
from bot.office.service_log import UNANSWERED
from bot.tickets import facts, lookup, mentioned
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.opening import INVALID, LIMITED, UNAVAILABLE, Duplicate, OpeningRefused
from bot.tickets.store import TicketDraft
from bot.wording import say

logger = logging.getLogger(__name__)


def _latest(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message or {}


class ActionStartRequest(Action):
    """A new draft from the request action_answer_consultation read: its type (unless two types
    are too close to call: the form then asks), and its text when it says what the matter is."""

    def name(self) -> Text:
        return "action_start_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        text = (tracker.get_slot("request_text") or "").strip()
        request_type = tracker.get_slot("request_guess")
        description = text if not text.startswith("/") and intake.is_substantive(text) else None
        events = [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR]
        # Facts the citizen already gave (in the request, or to a seat) are not asked again: the
        # form skips their questions and the summary shows them for a 修改.
        said = ([] if text.startswith("/") else [text]) + said_to_a_seat(tracker.events)
        given = mentioned.mentioned_facts(said, mentioned.SLOTS)
        if request_type == "consult":
            # A question the knowledge base did not settle (nothing found, or its answer or offer
            # did not help: kb) goes to a person on a ticket: a knowledge-base entry may be missing.
            record_service(tracker, UNANSWERED, question=text, fell_to="ticket", kb=tracker.get_slot("kb_outcome"))
        return events + [SlotSet("request_type", request_type), SlotSet("description", description),
                         SlotSet("draft_id", uuid.uuid4().hex)] + [SlotSet(k, v) for k, v in given.items()]


def said_to_a_seat(events: List[Dict[Text, Any]]) -> List[str]:
    """What the citizen wrote while a seat held the conversation (the assistant was paused) in this
    session: a seat that hands back does not make the citizen repeat it to the assistant."""
    said, paused = [], False
    for event in events:
        kind = event.get("event")
        if kind in ("pause", "resume", "session_started", "restart"):
            paused = kind == "pause"
            if kind in ("session_started", "restart"):
                said = []
        elif kind == "user" and paused and (event.get("text") or "").strip():
            said.append(event["text"].strip())
    return said


def _checked(slot: str, result: facts.Checked, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    """Say what is wrong with an answer; the form then asks for the slot again."""
    if result.problem:
        dispatcher.utter_message(text=result.problem)
    return {slot: result.value}


def _validated(slot: str, value: Any, check, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    # Slots cleared by action_start_request are validated too when the form starts: nothing to say.
    if value is None:
        return {slot: None}
    return _checked(slot, check(str(value)), dispatcher)


class ValidateTicketForm(FormValidationAction):
    """Inside the form the citizen's message is the answer to the question asked (bot/form_turns.py):
    each fact slot is extracted here, not by the classifier's intent."""

    def name(self) -> Text:
        return "validate_ticket_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return intake.required_slots(tracker.get_slot("request_type"), tracker.get_slot("anonymous"),
                                     tracker.get_slot(intake.CONFIRMED))

    def extract_description(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_answer("description", dispatcher, tracker)

    def extract_location(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_answer("location", dispatcher, tracker)

    def extract_event_time(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_answer("event_time", dispatcher, tracker)

    def extract_involved_party(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_answer("involved_party", dispatcher, tracker)

    def extract_contact_name(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_answer("contact_name", dispatcher, tracker)

    def extract_contact_phone(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_answer("contact_phone", dispatcher, tracker)

    def extract_anonymous(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_choice("anonymous", facts.read_anonymous, dispatcher, tracker)

    def extract_consent(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_choice("consent", facts.read_consent, dispatcher, tracker)

    def extract_request_type(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        corrected = _type_correction(tracker)
        if corrected and tracker.get_slot("requested_slot") != intake.CONFIRMED:
            # 「不是投诉，是建议」 at any question: the draft keeps everything but its type.
            dispatcher.utter_message(text=say("type_corrected", type=REQUEST_TYPES[corrected]))
            return {"request_type": corrected}
        return _extract_choice("request_type", facts.read_named_type, dispatcher, tracker)

    def extract_confirmed(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _extract_summary_reply(dispatcher, tracker)

    def extract_field(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != intake.WHICH_FIELD or not _answers_the_form(tracker):
            return {}
        message = _latest(tracker)
        text = (message.get("text") or "").strip()
        if _interrupts(text, (message.get("intent") or {}).get("name"), message, allowed=("correct_field",)):
            return {}
        chosen = intake.read_field_choice(text, entity_value(message, "field"))
        if chosen is None:
            dispatcher.utter_message(text=say("choose_field"))
            return {"field": None}
        return _change(chosen)

    def validate_description(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("description", value, facts.check_description, dispatcher)

    def validate_location(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("location", value, facts.check_location, dispatcher)

    def validate_event_time(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("event_time", value, facts.read_time, dispatcher)

    def validate_involved_party(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("involved_party", value, facts.read_party, dispatcher)

    def validate_contact_name(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("contact_name", value, facts.check_name, dispatcher)

    def validate_contact_phone(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("contact_phone", value, facts.check_phone, dispatcher)


def _extract_answer(slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """The message as the answer to `slot`, when the form has just asked for it and the message is
    no interruption. Nothing extracted lets the dialogue's rules handle the interruption."""
    if tracker.get_slot("requested_slot") != slot or not _answers_the_form(tracker):
        return {}   # the form is starting, or coming back after an interruption: no new answer
    if _type_correction(tracker):
        return {}   # 「不是投诉，是建议」 corrects the type (extract_request_type), it answers nothing
    message = _latest(tracker)
    text = (message.get("text") or "").strip()
    intent = (message.get("intent") or {}).get("name")
    turn = form_turns.read_turn(slot, text, intent, [e.get("entity") for e in message.get("entities") or []])
    if turn == form_turns.INTERRUPT:
        return {}
    if turn == form_turns.GREETING:
        dispatcher.utter_message(text=say("greeting_in_form"))
        return {slot: None}   # the form asks its question again
    if turn == form_turns.QUESTION and tracker.get_slot("asked_back") != slot:
        return {**_answer_own_question(slot, text, dispatcher, tracker), "asked_back": slot}
    # Said again after the assistant answered it once, it is the answer: never a loop.
    return {slot: text, "asked_back": None}


# What to say when a typed answer to a button question matches none of the options.
_CHOICE_HINTS = {"anonymous": "choose_anonymous", "consent": "choose_consent", "request_type": "choose_request_type"}


def _extract_choice(slot: str, read, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """A button question answered in words (「匿名吧」, 「可以，给他们吧」, 「我是要投诉」). Buttons and a
    plain yes/no are mapped in domain.yml; an answer that fits no option is asked again, so the form
    never falls out to the rules and starts the request over."""
    if tracker.get_slot("requested_slot") != slot or not _answers_the_form(tracker):
        return {}
    message = _latest(tracker)
    text = (message.get("text") or "").strip()
    intent = (message.get("intent") or {}).get("name")
    if text.startswith("/"):
        return {}
    value = read(text)
    if value is not None:
        return {slot: value}   # the words decide: 「留下联系方式吧」 is no yes to anonymity
    mapped_by_domain = REQUEST_TYPES if slot == "request_type" else ("affirm", "deny")
    if intent in mapped_by_domain or form_turns.read_turn(slot, text, intent) == form_turns.INTERRUPT:
        return {}
    dispatcher.utter_message(text=say(_CHOICE_HINTS[slot]))
    return {slot: None}


def _type_correction(tracker: Tracker) -> Optional[str]:
    if not _answers_the_form(tracker):
        return None
    text = (_latest(tracker).get("text") or "").strip()
    return None if text.startswith("/") else facts.read_type_correction(text)


def _interrupts(text: str, intent: Optional[str], message: Dict[str, Any], allowed: tuple) -> bool:
    """Whether the message leaves the form to the dialogue's rules (cancel, a person, an
    emergency, another button) instead of answering a button question of the form."""
    if text.startswith("/"):
        return intent not in allowed
    if intent in allowed:
        return False
    entities = [e.get("entity") for e in message.get("entities") or []]
    return form_turns.read_turn(intake.CONFIRMED, text, intent, entities) == form_turns.INTERRUPT


def _change(field: str) -> Dict[Text, Any]:
    """修改 of one fact: it is asked again, then the summary again."""
    return {field: None, "field": None, intake.CONFIRMED: None}


def _extract_summary_reply(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """The answer to the summary, typed or pressed: confirm, change (which fact, or ask), a new
    request type, or — fitting no option — the summary is shown again with how to answer it."""
    if tracker.get_slot("requested_slot") != intake.CONFIRMED or not _answers_the_form(tracker):
        return {}
    message = _latest(tracker)
    text = (message.get("text") or "").strip()
    intent = (message.get("intent") or {}).get("name")
    if _interrupts(text, intent, message, allowed=("affirm", "deny", "correct_field")):
        return {}
    reply = intake.read_summary_reply(text, intent, entity_value(message, "field"))
    if reply.kind == intake.CONFIRM:
        return {intake.CONFIRMED: True}
    if reply.kind == intake.RETYPE:
        dispatcher.utter_message(text=say("type_corrected", type=REQUEST_TYPES[reply.request_type]))
        return {"request_type": reply.request_type, intake.CONFIRMED: None}
    if reply.kind == intake.CHANGE:
        return _change(reply.field) if reply.field else {intake.CONFIRMED: False}
    dispatcher.utter_message(text=say("choose_summary"))
    return {intake.CONFIRMED: None}


def _answers_the_form(tracker: Tracker) -> bool:
    """True when the citizen's latest message came straight to the form. Rasa runs the validation
    on a copy of the tracker that ends with the form's own execution; a message some other action
    already handled (an interruption the form now comes back from) is no answer."""
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action" and event.get("name") not in ("ticket_form", "action_listen"):
            return False
    return False


def _answer_own_question(slot: str, question: str, dispatcher: CollectingDispatcher,
                         tracker: Tracker) -> Dict[Text, Any]:
    """A question of the citizen's own in the middle of the form: answered from the knowledge base
    when it can be, otherwise noted in the request for the department; then the form asks again."""
    decision = knowledge_decision(question)
    hit = decision.best if decision is not None and decision.action == "answer" else None
    if hit is not None:
        dispatcher.utter_message(text=answer_text(hit, follow_up=say("question_answered_go_on")))
        return {slot: None}
    dispatcher.utter_message(text=say("question_noted"))
    description = tracker.get_slot("description")
    noted = say("question_in_description", description=description, question=question) if description else None
    return {slot: None, "description": noted} if noted else {slot: None}


def _form_values(tracker: Tracker) -> Dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in FORM_SLOTS_TO_CLEAR if slot != "requested_slot"}


class ActionAskConfirmed(Action):
    """The form's last question: the summary, with 确认提交 and 修改."""

    def name(self) -> Text:
        return "action_ask_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lines = intake.summary_lines(_form_values(tracker))
        # The event lets a channel show the request's photos with its summary (the web page does).
        dispatcher.utter_message(
            text=say("summary", lines="\n".join(lines)),
            buttons=[{"title": say("confirm_button"), "payload": "/affirm"}, {"title": say("change_button"), "payload": "/deny"}],
            json_message=channel_events.envelope(channel_events.summary_shown()))
        return []


class ActionOpenTicket(Action):
    """Open the ticket once per draft: a retried confirmation returns the same ticket number."""

    def name(self) -> Text:
        return "action_open_ticket"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        values = _form_values(tracker)
        if not values.get("draft_id") or not values.get("request_type"):
            dispatcher.utter_message(text=say("nothing_to_submit"))
            return []
        request_key = f"{tracker.sender_id}:{values['draft_id']}"
        try:
            outcome = ticket_opening().open(self._draft(tracker, values), request_key,
                                            routing_text=routing_text(values), check_duplicates=True)
        except OpeningRefused as refused:
            dispatcher.utter_message(text=refused_text(refused))
            if refused.kind == LIMITED:
                return [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR + REQUEST_SLOTS]
            # The facts stay in the conversation: the summary is shown again, so that after a fix
            # (or when the store is back) the citizen confirms again without losing anything.
            return [SlotSet(intake.CONFIRMED, None), FollowupAction("ticket_form")]
        if isinstance(outcome, Duplicate):
            # The facts stay in the slots: a new fact turns them into a linked follow-up.
            opened_on = ticket_store().local_time(outcome.ticket.created_at).date()
            dispatcher.utter_message(text=lookup.duplicate_text(outcome.ticket, opened_on))
            return [SlotSet(intake.CONFIRMED, None), SlotSet("duplicate_of", outcome.ticket.number),
                    FollowupAction("utter_offer_follow_up")]
        dispatcher.utter_message(text=say("ticket_opened", type=REQUEST_TYPES[outcome.request_type], number=outcome.number,
                                          deadline=outcome.deadline, limit=outcome.time_limit),
            json_message=channel_events.envelope(
                channel_events.ticket_opened(outcome.number, outcome.deadline, outcome.request_type)))
        return [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR + REQUEST_SLOTS]

    @staticmethod
    def _draft(tracker: Tracker, values: Dict[str, Any]) -> TicketDraft:
        anonymous = bool(values.get("anonymous"))
        return TicketDraft(
            request_type=values["request_type"], text=values.get("description") or "",
            channel=channel_of(tracker), sender_id=tracker.sender_id,
            facts=_facts(tracker, values),
            contact_name=None if anonymous else values.get("contact_name"),
            contact_phone=None if anonymous else values.get("contact_phone"),
            consent_to_share=bool(values.get("consent")) and not anonymous, anonymous=anonymous)


def routing_text(values: Dict[str, Any]) -> str:
    """What the router reads to suggest a department: the matter, its place and who is involved."""
    return " ".join(str(values.get(k) or "") for k in ("description", "location", "involved_party")).strip()


def refused_text(refused: OpeningRefused) -> str:
    if refused.kind == INVALID:
        return say("cannot_submit", reason=refused)
    if refused.kind == UNAVAILABLE:
        return say("store_down_submit", reason=refused)
    return str(refused)


def _facts(tracker: Tracker, values: Dict[str, Any]) -> Dict[str, Any]:
    facts = {k: values.get(k) for k in ("location", "event_time", "involved_party") if values.get(k)}
    description = values.get("description") or ""
    if is_letter(description):
        # A letter keeps its whole text as the ticket's text; the office reads this line first.
        facts["summary"] = summary_line(description)
    review = tracker.get_slot("review_route")
    if review:
        # The classifier suspected a matter the hotline may not accept, without evidence: the
        # request is taken, and a person decides (bot/screening/not_accepted.py).
        facts["needs_review"] = {"route": review, "reason": say("review_reason")}
    # Evidence (photos) a gateway received while the request was being filled in.
    attachments = ((tracker.latest_message or {}).get("metadata") or {}).get("attachments")
    if attachments:
        facts["attachments"] = list(attachments)
    # The place the citizen picked on the web page's 📍 (checked by channels/web/location.py),
    # kept beside the typed place.
    coordinates = ((tracker.latest_message or {}).get("metadata") or {}).get("coordinates")
    if isinstance(coordinates, dict):
        facts["coordinates"] = dict(coordinates)
    # Out of seat hours the citizen was offered a ticket with a call back (actions/seats.py).
    if tracker.get_slot("callback_requested"):
        facts["callback_requested"] = True
    return facts


class ActionCorrectField(Action):
    """Clear the fact the citizen wants to change; ticket_form then asks for it again."""

    def name(self) -> Text:
        return "action_correct_field"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        field: Optional[str] = tracker.get_slot("field") or intake.field_named_in(_latest(tracker).get("text") or "")
        if field not in intake.CORRECTABLE:
            dispatcher.utter_message(response="utter_ask_field")
            return [SlotSet("field", None), FollowupAction("action_listen")]
        return [SlotSet("field", None), SlotSet(field, None), SlotSet(intake.CONFIRMED, None)]


class ActionCancelRequest(Action):
    def name(self) -> Text:
        return "action_cancel_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_request_cancelled",
                                 json_message=channel_events.envelope(channel_events.draft_cancelled()))
        return [ActiveLoop(None)] + [SlotSet(slot, None) for slot in
                                     FORM_SLOTS_TO_CLEAR + REQUEST_SLOTS + ["ticket_number", "phone_last4"]]
