"""A ticket as JSON for people who handle tickets, with personal data shown only to those who need it.

Seeds 000 §23 and 001 §24: a caller's personal data is never shown to unrelated units. Three levels:
  FULL       the hotline seat (calls the citizen back) and the operator's `--full`
  CONSENTED  the department handling it: contact details only if the citizen agreed to share them
  MASKED     everyone else (read-only staff, default CLI output): contact, phone numbers and ID
             numbers in the text, and house numbers masked
Times are stored in UTC and shown in the hotline's time zone.

Every view names the lead (牵头, the department) and the co-handlers (协办). The router's suggestion
(candidates, confidences, abstention, why) is added only for those who dispatch (`suggestion=True`)
and needs the ticket's events loaded.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Optional

from sqlalchemy import inspect as orm_state

from bot.privacy import mask_address, mask_name, mask_phone, mask_text
from bot.tickets import (co_handlers, handler_actions, lifecycle, reviews, satisfaction,
                         suggestion as routing_suggestion, supervision, warnings)
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketStore

FULL, CONSENTED, MASKED = "full", "consented", "masked"
PRIVACY_LEVELS = (FULL, CONSENTED, MASKED)


def _sees_contact(ticket: Ticket, level: str) -> bool:
    return level == FULL or (level == CONSENTED and ticket.consent_to_share)


def contact(ticket: Ticket, level: str) -> Dict[str, Optional[str]]:
    if ticket.anonymous:
        return {"name": "匿名", "phone": None}
    if _sees_contact(ticket, level):
        return {"name": ticket.contact_name, "phone": ticket.contact_phone}
    return {"name": mask_name(ticket.contact_name or ""), "phone": mask_phone(ticket.contact_phone or "")}


def _text(value: Optional[str], ticket: Ticket, level: str) -> Optional[str]:
    return value if value is None or _sees_contact(ticket, level) else mask_text(value)


def _facts(ticket: Ticket, level: str) -> Dict[str, Any]:
    facts = dict(ticket.facts or {})
    if level == MASKED and facts.get("location"):
        facts["location"] = mask_address(mask_text(facts["location"]))
    for key in ("involved_party", "event_time"):
        if isinstance(facts.get(key), str):
            facts[key] = _text(facts[key], ticket, level)
    return facts


def _time(store: TicketStore, moment: Optional[dt.datetime]) -> Optional[str]:
    return store.local_time(moment).isoformat(timespec="seconds") if moment else None


def card(store: TicketStore, ticket: Ticket, local_now: Optional[dt.datetime] = None) -> Optional[str]:
    return warnings.card(store.policy, ticket.status, ticket.request_type, ticket.deadline,
                         local_now or store.local_now())


def handling(ticket: Ticket, for_department: Optional[str] = None) -> Dict[str, Any]:
    """Who handles the ticket: the lead and the co-handlers, and the looking department's part."""
    lead = {"id": ticket.department_id, "name": ticket.department} if ticket.department_id else None
    data: Dict[str, Any] = {"lead": lead, "co_handlers": co_handlers.of(ticket)}
    if for_department is not None:
        role = co_handlers.role_of(ticket, for_department)
        data["your_part"] = role
        data["your_part_label"] = co_handlers.ROLE_LABELS.get(role) if role else None
        data["allowed_operations"] = _operations_of_part(ticket, role)
    return data


def _operations_of_part(ticket: Ticket, role: Optional[str]) -> list:
    """A department sees what its part allows: a co-handler only assists, the lead does the rest."""
    allowed = lifecycle.allowed_operations(ticket.status)
    if role == co_handlers.CO:
        return [op for op in allowed if op == "assist"]
    return [op for op in allowed if op != "assist"] if role == co_handlers.LEAD else allowed


def suggestion_view(ticket: Ticket, level: str) -> Dict[str, Any]:
    """What the router suggested when the ticket was opened, in the new shape whichever was stored."""
    return _masked(routing_suggestion.of_ticket(ticket), ticket, level)


def ticket_view(store: TicketStore, ticket: Ticket, level: str = MASKED, history: bool = False,
                local_now: Optional[dt.datetime] = None, suggestion: bool = False,
                for_department: Optional[str] = None) -> Dict[str, Any]:
    colour = card(store, ticket, local_now)
    data: Dict[str, Any] = {
        "number": ticket.number,
        "type": ticket.request_type,
        "type_label": REQUEST_TYPES.get(ticket.request_type, ticket.request_type),
        "status": ticket.status,
        "status_label": lifecycle.STATUS_LABELS.get(ticket.status, ticket.status),
        "card": colour,
        "card_label": warnings.LABELS.get(colour) if colour else None,
        "text": _text(ticket.text, ticket, level),
        "facts": _facts(ticket, level),
        "channel": ticket.channel,
        "contact": contact(ticket, level),
        "consent_to_share": ticket.consent_to_share,
        "department": ticket.department,
        "department_id": ticket.department_id,
        "created_at": _time(store, ticket.created_at),
        "deadline": ticket.deadline.isoformat(),
        "extended_days": ticket.extended_days or 0,
        "redo_count": ticket.redo_count or 0,
        "answer": _text(ticket.answer, ticket, level),
        "replied_at": _time(store, ticket.replied_at),
        "closed_at": _time(store, ticket.closed_at),
        "satisfaction": ticket.satisfaction,
        "satisfaction_label": satisfaction.LABELS.get(ticket.satisfaction) if ticket.satisfaction else None,
        "follow_up_of": ticket.follow_up_of.number if ticket.follow_up_of is not None else None,
        "allowed_operations": lifecycle.allowed_operations(ticket.status),
    }
    data.update(handling(ticket, for_department))
    if history and for_department is not None:
        # A department's full view (events loaded): what it may do now and the rule behind each.
        # Masked like the history: a refusal's reason quotes what the office wrote.
        data["actions"] = _masked(handler_actions.actions_for(store, ticket, for_department, local_now),
                                  ticket, level)
    if suggestion:
        data["suggestion"] = suggestion_view(ticket, level)
    data.update(office_fields(store, ticket, level, for_department))
    if level == FULL:
        data["sender_id"] = ticket.sender_id
    if history:
        data["history"] = [event_view(store, ticket, e, level) for e in ticket.events
                           if supervision.shown_to(e, for_department)]
    return data


def office_fields(store: TicketStore, ticket: Ticket, level: str, for_department: Optional[str]) -> Dict[str, Any]:
    """督办 and the department's requests waiting for the office (supervision.py, reviews.py):
    supervised, supervision, urgings, pending_extension, pending_return. Read from the events, so
    only when they are loaded (a ticket and the office's lists, not the plain ticket list)."""
    if "events" in orm_state(ticket).unloaded:
        return {}
    fields = dict(supervision.view(store, ticket, for_department), **reviews.pending_views(store, ticket))
    return _masked(fields, ticket, level)


def _masked(value: Any, ticket: Ticket, level: str, key: str = "") -> Any:
    """Every string anywhere in a history entry, as the level allows: whoever wrote the entry (the
    citizen, a seat, a department) may have quoted a phone, an ID number or an address."""
    if isinstance(value, dict):
        return {k: _masked(v, ticket, level, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, ticket, level, key) for v in value]
    if not isinstance(value, str) or _sees_contact(ticket, level):
        return value
    if key in ("contact_phone", "phone"):
        return mask_phone(value)
    if key in ("contact_name", "name"):
        return mask_name(value)
    value = mask_text(value)
    return mask_address(value) if key == "location" or level == MASKED else value


def event_view(store: TicketStore, ticket: Ticket, event: TicketEvent, level: str) -> Dict[str, Any]:
    return {"at": _time(store, event.at), "actor": event.actor, "action": event.action,
            "detail": _masked(dict(event.detail or {}), ticket, level)}
