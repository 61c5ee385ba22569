"""The router's suggestion as stored on a ticket (the "routing" of its "opened" event), read the same
way by opening, the views, the dispatch queue and the corrections.

Two shapes are stored. Tickets opened before issue 16 hold only department, confidence, runner_up
and territory; newer ones add candidates (top 3), co_handlers (协办 suggested), abstain (no
department suggested: manual dispatch), unknown_place and why. Every reader goes through
`read()`, so the old shape looks like a new one that did not abstain and suggested no co-handler.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot.tickets.models import Ticket


def _department(value: Any) -> Optional[Dict[str, Any]]:
    """{"id","name","hotline"[,"confidence"]} or None for anything without an id."""
    if not isinstance(value, dict) or not value.get("id"):
        return None
    return {k: value.get(k) for k in ("id", "name", "hotline", "confidence") if k in value}


def _departments(values: Any) -> List[Dict[str, Any]]:
    if not isinstance(values, list):
        return []
    return [d for d in map(_department, values) if d]


def _old_candidates(routing: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The old shape named the top two only; they are its candidates."""
    lead = _department(routing.get("department"))
    if lead is not None and "confidence" not in lead:
        lead["confidence"] = routing.get("confidence")
    return [d for d in (lead, _department(routing.get("runner_up"))) if d]


def read(routing: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The suggestion in the new shape, whichever shape was stored; {} stored (routing failed) reads
    as an abstention with no candidates."""
    routing = routing if isinstance(routing, dict) else {}
    lead = _department(routing.get("department"))
    abstain = bool(routing.get("abstain")) or lead is None
    candidates = _departments(routing.get("candidates")) if "candidates" in routing else _old_candidates(routing)
    co_handlers = [] if abstain else [d for d in _departments(routing.get("co_handlers")) if d["id"] != lead["id"]]
    return {
        "abstain": abstain,
        "lead": None if abstain else lead,
        "confidence": routing.get("confidence"),
        "candidates": candidates[:3],
        "co_handlers": co_handlers,
        "territory": routing.get("territory"),
        "unknown_place": routing.get("unknown_place"),
        "why": routing.get("why"),
    }


def suggested_lead_id(routing: Optional[Dict[str, Any]]) -> Optional[str]:
    lead = read(routing)["lead"]
    return str(lead["id"]) if lead else None


def stored_routing(ticket: Ticket) -> Dict[str, Any]:
    """The routing recorded when the ticket was opened (its events must be loaded)."""
    opened = next((e for e in ticket.events if e.action == "opened"), None)
    return dict(((opened.detail or {}).get("routing") or {}) if opened else {})


def of_ticket(ticket: Ticket) -> Dict[str, Any]:
    return read(stored_routing(ticket))
