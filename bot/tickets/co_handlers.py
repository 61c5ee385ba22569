"""Lead and co-handling departments (牵头单位 and 协办单位).

A matter within the duties of two or more departments goes to each of them, and the hotline office
names the one that leads (seed 000 §12; seed 003: 确定一个承办单位牵头，其他承办单位配合办理; seed 002
四(二) 主办单位和协办单位). The lead is the ticket's department (department_id): it signs for,
extends, returns and answers. The co-handlers are `Ticket.co_departments`, a JSON list of
{"id", "name"}: they see the ticket and record their part (协办意见, workflow.assist), nothing more.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import Text, and_, cast, or_
from sqlalchemy.sql import ColumnElement

from bot.tickets import departments, lifecycle
from bot.tickets.errors import TicketError
from bot.tickets.models import Ticket

LEAD, CO = "lead", "co"
ROLE_LABELS = {LEAD: "牵头", CO: "协办"}
# A co-handler has nothing to do while the ticket waits for the office: before the first dispatch
# and after the lead returned it.
CO_HIDDEN = frozenset({lifecycle.ACCEPTED, lifecycle.RETURNED})


def entry(department) -> Dict[str, str]:
    return {"id": department.id, "name": department.name}


def of(ticket: Ticket) -> List[Dict[str, str]]:
    return [dict(d) for d in (ticket.co_departments or []) if isinstance(d, dict) and d.get("id")]


def ids(ticket: Ticket) -> List[str]:
    return [d["id"] for d in of(ticket)]


def resolve_all(references: Iterable[Any], lead_id: str) -> List[Dict[str, str]]:
    """Catalogue entries for the office's list, in its order, once each; the lead cannot also assist."""
    if isinstance(references, (str, bytes)) or not all(isinstance(r, str) for r in references):
        raise TicketError("协办单位应为部门 id 或名称的列表")
    chosen: List[Dict[str, str]] = []
    for reference in references:
        department = departments.resolve(reference)
        if department.id == lead_id:
            raise TicketError(f"{department.name}已是牵头单位，不能同时作为协办单位")
        if department.id not in [c["id"] for c in chosen]:
            chosen.append(entry(department))
    return chosen


def kept(previous: List[Dict[str, str]], lead_id: str) -> List[Dict[str, str]]:
    """The co-handlers already on the ticket when the office did not name any: the one now made the
    lead leaves the list rather than being refused, since the office did not name it."""
    return [d for d in previous if d["id"] != lead_id]


def role_of(ticket: Ticket, department_id: Optional[str]) -> Optional[str]:
    """LEAD, CO or None: what the department has to do with the ticket now."""
    if department_id is None or ticket.status == lifecycle.ACCEPTED:
        return None
    if ticket.department_id == department_id:
        return LEAD
    if ticket.status not in CO_HIDDEN and department_id in ids(ticket):
        return CO
    return None


def co_condition(department_id: str) -> ColumnElement:
    """SQL for "department_id is among the co-handlers". The JSON functions of SQLite and PostgreSQL
    differ, so the stored JSON text is searched for the id as a JSON string ("gongan", quotes
    included): the serializer writes ids exactly so, and names never match (they are written
    with \\u escapes)."""
    needle = json.dumps(department_id)
    return and_(Ticket.co_departments.is_not(None), Ticket.status.not_in(CO_HIDDEN),
                cast(Ticket.co_departments, Text).contains(needle, autoescape=True))


def in_scope(department_id: str) -> ColumnElement:
    """The tickets a department's handlers see: those it leads once dispatched, and those it assists."""
    lead = and_(Ticket.department_id == department_id, Ticket.status != lifecycle.ACCEPTED)
    return or_(lead, co_condition(department_id))
