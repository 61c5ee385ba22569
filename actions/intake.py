"""Collecting the facts of a request and opening its ticket (ticket_form and its neighbours)."""
from __future__ import annotations

import logging
import uuid
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.screening import FORM_SLOTS_TO_CLEAR
from actions.services import ticket_store
from bot import intake
from bot.routing import CatalogueError, EmptyRequestError, route
from bot.tickets import facts, lookup
from bot.tickets.duplicates import find_duplicate
from bot.tickets.models import Ticket
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketDraft, TicketError

logger = logging.getLogger(__name__)


def _latest(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message or {}


class ActionStartRequest(Action):
    """A new request: note its type (unless two types are too close to call) and what it says."""

    def name(self) -> Text:
        return "action_start_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        message = _latest(tracker)
        intent = (message.get("intent") or {}).get("name")
        margin = intake.intake_policy().type_ambiguity_margin
        request_type = intake.read_request_type(intent, message.get("intent_ranking") or [], margin)
        text = (message.get("text") or "").strip()
        description = text if not text.startswith("/") and intake.is_substantive(text) else None
        if intent not in REQUEST_TYPES and tracker.get_slot("kb_question"):
            # "没解决" after a knowledge-base answer: the consultation itself becomes the ticket.
            request_type, description = "consult", tracker.get_slot("kb_question")
        events = [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR]
        return events + [SlotSet("request_type", request_type), SlotSet("description", description),
                         SlotSet("draft_id", uuid.uuid4().hex)]


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
    def name(self) -> Text:
        return "validate_ticket_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return intake.required_slots(tracker.get_slot("request_type"), tracker.get_slot("anonymous"))

    def validate_description(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("description", value, facts.check_description, dispatcher)

    def validate_location(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("location", value, facts.check_location, dispatcher)

    def validate_event_time(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("event_time", value, facts.check_optional, dispatcher)

    def validate_involved_party(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("involved_party", value, facts.check_optional, dispatcher)

    def validate_contact_name(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("contact_name", value, facts.check_name, dispatcher)

    def validate_contact_phone(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return _validated("contact_phone", value, facts.check_phone, dispatcher)


def _channel(tracker: Tracker) -> str:
    """The front end the citizen used: the gateways name it in the message metadata
    (wechat, voice, web); otherwise the Rasa input channel (socketio, rest)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return str(metadata.get("channel") or tracker.get_latest_input_channel() or "unknown")[:40]


def _form_values(tracker: Tracker) -> Dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in FORM_SLOTS_TO_CLEAR if slot != "requested_slot"}


class ActionShowSummary(Action):
    def name(self) -> Text:
        return "action_show_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lines = intake.summary_lines(_form_values(tracker))
        dispatcher.utter_message(
            text="请核对您的诉求信息：\n" + "\n".join(lines) + "\n信息无误请点“确认提交”，需要修改请点“修改”。",
            buttons=[{"title": "确认提交", "payload": "/affirm"}, {"title": "修改", "payload": "/deny"}])
        return []


class ActionOpenTicket(Action):
    """Open the ticket once per draft: a retried confirmation returns the same ticket number."""

    def name(self) -> Text:
        return "action_open_ticket"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        values = _form_values(tracker)
        if not values.get("draft_id") or not values.get("request_type"):
            dispatcher.utter_message(text="目前没有待提交的诉求。请说说您要办理的事情。")
            return []
        draft = self._draft(tracker, values)
        request_key = f"{tracker.sender_id}:{values['draft_id']}"
        duplicate = _open_duplicate(draft, request_key)
        if duplicate is not None:
            # The facts stay in the slots: a new fact turns them into a linked follow-up.
            opened_on = ticket_store().local_time(duplicate.created_at).date()
            dispatcher.utter_message(text=lookup.duplicate_text(duplicate, opened_on))
            return [SlotSet("duplicate_of", duplicate.number), FollowupAction("utter_offer_follow_up")]
        try:
            opened = ticket_store().open_ticket(draft, request_key=request_key)
        except TicketError as exc:
            dispatcher.utter_message(text=f"暂时无法提交：{exc}。请补充后再提交。")
            return []
        except SQLAlchemyError:
            logger.exception("could not store the ticket of %s", tracker.sender_id)
            # The facts stay in the conversation, so confirming again retries without loss.
            dispatcher.utter_message(text="系统暂时无法登记工单，您的信息已保留。请稍后回复“确认”重试，或说“转人工”。")
            return []
        limit = ticket_store().policy.time_limit(draft.request_type)
        dispatcher.utter_message(text=(
            f"已为您登记{REQUEST_TYPES[draft.request_type]}工单，工单编号：{opened.number}。\n"
            f"承办部门将在{opened.deadline:%Y年%m月%d日}前答复（{limit}个工作日内）。"
            f"您可以随时凭工单编号查询办理进度。还有其他需要帮助的吗？"))
        return [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR]

    @staticmethod
    def _draft(tracker: Tracker, values: Dict[str, Any]) -> TicketDraft:
        anonymous = bool(values.get("anonymous"))
        department, routing = _suggest_department(values)
        return TicketDraft(
            department=department, routing=routing,
            request_type=values["request_type"], text=values.get("description") or "",
            channel=_channel(tracker), sender_id=tracker.sender_id,
            facts=_facts(tracker, values),
            contact_name=None if anonymous else values.get("contact_name"),
            contact_phone=None if anonymous else values.get("contact_phone"),
            consent_to_share=bool(values.get("consent")) and not anonymous, anonymous=anonymous)


def _open_duplicate(draft: TicketDraft, request_key: str) -> Optional[Ticket]:
    """Seed 003 §11(6): the same matter raised again by the same person while their ticket is open
    gets that ticket's progress instead of a second ticket. The check only advises: if it fails,
    the ticket is opened as before."""
    try:
        match = find_duplicate(ticket_store(), draft, request_key)
    except Exception:  # noqa: BLE001 - never lose a request because the duplicate check failed
        logger.exception("duplicate check failed; opening the ticket")
        return None
    return match.ticket if match else None


def _facts(tracker: Tracker, values: Dict[str, Any]) -> Dict[str, Any]:
    facts = {k: values.get(k) for k in ("location", "event_time", "involved_party") if values.get(k)}
    # Evidence (photos) a gateway received while the request was being filled in.
    attachments = ((tracker.latest_message or {}).get("metadata") or {}).get("attachments")
    if attachments:
        facts["attachments"] = list(attachments)
    # Out of seat hours the citizen was offered a ticket with a call back (actions/seats.py).
    if tracker.get_slot("callback_requested"):
        facts["callback_requested"] = True
    return facts


def _suggest_department(values: Dict[str, Any]) -> Tuple[Optional[str], Dict[str, Any]]:
    """The functional department and territorial office the router suggests (智能派单)."""
    text = " ".join(str(values.get(k) or "") for k in ("description", "location", "involved_party")).strip()
    try:
        decision = route(text)
    except (EmptyRequestError, CatalogueError):
        return None, {}
    except Exception:  # noqa: BLE001 - routing only suggests; a ticket must never be lost for it
        logger.exception("routing failed; the ticket goes to manual dispatch")
        return None, {}
    return decision.department.name, decision.to_json()


class ActionCorrectField(Action):
    """Clear the fact the citizen wants to change; ticket_form then asks for it again."""

    def name(self) -> Text:
        return "action_correct_field"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        field: Optional[str] = tracker.get_slot("field") or intake.field_named_in(_latest(tracker).get("text") or "")
        if field not in facts.FIELDS:
            dispatcher.utter_message(response="utter_ask_which_field")
            return [SlotSet("field", None), FollowupAction("action_listen")]
        return [SlotSet("field", None), SlotSet(field, None)]


class ActionCancelRequest(Action):
    def name(self) -> Text:
        return "action_cancel_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_request_cancelled")
        return [ActiveLoop(None)] + [SlotSet(slot, None) for slot in FORM_SLOTS_TO_CLEAR + ["ticket_number", "phone_last4"]]
