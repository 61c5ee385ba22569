"""Supervision by the hotline office (督办 and 催办).

The seeds make the hotline work body follow every ticket and supervise the department when it is
overdue, resolved badly, returned improperly or ordered by a leader (seed 000 §15, 001 §20-21, 003 §19
分级督办, 004 (二)5), by urging notices (催办, 督办单) among other means, and report up when that does
not work. Here the office:

  supervise    puts a ticket under supervision, with the reason (督办);
  urge         sends the lead department an urging notice (催办): it shows on the ticket for that
               department's handlers (not for a department the ticket left);
  escalate     raises the supervision of an overdue (red-card) ticket one level (升级督办), the levels
               being a city's (settings/policy.yml supervision.escalation_levels);
  unsupervise  lifts it when done (解除督办), with a note. Closing (办结) the ticket ends it too.

Each is one workflow transaction with an event (workflow._change); the state is read back from the
events, so there is no column to keep in step with the history.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.settings import load_yaml
from bot.tickets import lifecycle, query, reviews, warnings
from bot.tickets.errors import TransitionError
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow

LIST_LIMIT = 200      # the longest list returned at once
DEFAULT_LEVELS = ("承办单位分管领导", "承办单位主要领导", "政府督查机构")


@lru_cache(maxsize=None)
def escalation_levels() -> Tuple[str, ...]:
    raw = (load_yaml("policy.yml").get("supervision") or {}).get("escalation_levels")
    levels = tuple(str(level).strip() for level in (raw or DEFAULT_LEVELS) if str(level).strip())
    return levels or DEFAULT_LEVELS


# ------------------------------------------------------------------------- state from the events

def state(ticket: Ticket) -> Optional[Dict[str, Any]]:
    """The supervision in force: {"since" (event), "by", "reason", "level" (0 = none yet),
    "level_label"}, or None. Needs the ticket's events."""
    current: Optional[Dict[str, Any]] = None
    for event in ticket.events:
        detail = event.detail or {}
        if event.action == "supervise":
            current = {"event": event, "by": event.actor, "reason": detail.get("reason"), "level": 0,
                       "level_label": None}
        elif event.action == "escalate" and current is not None:
            current = dict(current, level=detail.get("level", current["level"] + 1),
                           level_label=detail.get("level_label"))
        elif event.action in ("unsupervise", "close"):
            current = None
    return current


def urgings(ticket: Ticket, for_department: Optional[str] = None) -> List[TicketEvent]:
    """The urging notices sent; for a department only those addressed to it."""
    return [e for e in ticket.events if e.action == "urge" and shown_to(e, for_department)]


def shown_to(event: TicketEvent, for_department: Optional[str]) -> bool:
    """A department's handlers see the urgings sent to their department, not those sent to another
    one before the ticket came to them (or after it left)."""
    if event.action != "urge" or for_department is None:
        return True
    return (event.detail or {}).get("department_id") == for_department


def is_red(store: TicketStore, ticket: Ticket, now: Optional[dt.datetime] = None) -> bool:
    local_now = store.local_time(now) if now else store.local_now()
    return warnings.card(store.policy, ticket.status, ticket.request_type, ticket.deadline, local_now) == warnings.RED


# ------------------------------------------------------------------------------- the operations

class TicketSupervision:
    def __init__(self, workflow: TicketWorkflow):
        self.workflow = workflow
        self.store = workflow.store

    def supervise(self, number: str, reason: str, actor: str) -> Ticket:
        reason = reviews.check_reason(reason, "督办事由")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            if state(ticket) is not None:
                raise TransitionError(f"工单 {number} 已在督办中")
            return dict(self._about(ticket, now), reason=reason)
        return self.workflow._change(number, "supervise", actor, change)

    def urge(self, number: str, text: str, actor: str) -> Ticket:
        """催办: addressed to the lead department in charge now."""
        text = reviews.check_reason(text, "催办内容")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            if not ticket.department_id:
                raise TransitionError(f"工单 {number} 当前没有承办单位，无法催办")
            return dict(self._about(ticket, now), text=text)
        return self.workflow._change(number, "urge", actor, change)

    def escalate(self, number: str, reason: str, actor: str) -> Ticket:
        """升级督办: only a supervised ticket that is overdue (red card), one level at a time."""
        reason = reviews.check_reason(reason, "升级督办理由")
        levels = escalation_levels()

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            current = state(ticket)
            if current is None:
                raise TransitionError(f"工单 {number} 尚未督办，请先督办再升级")
            if not is_red(self.store, ticket, now):
                raise TransitionError(f"工单 {number} 未超期（不是红牌），只有超期工单可以升级督办")
            if current["level"] >= len(levels):
                raise TransitionError(f"工单 {number} 已升级到最高一级（{levels[-1]}）")
            level = current["level"] + 1
            return dict(self._about(ticket, now), reason=reason, level=level, level_label=levels[level - 1])
        return self.workflow._change(number, "escalate", actor, change)

    def unsupervise(self, number: str, note: str, actor: str) -> Ticket:
        note = reviews.check_reason(note, "解除督办说明")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            if state(ticket) is None:
                raise TransitionError(f"工单 {number} 不在督办中")
            return dict(self._about(ticket, now), note=note)
        return self.workflow._change(number, "unsupervise", actor, change)

    def _about(self, ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
        """Who was supervised and how late the ticket was, as the history keeps it."""
        local_now = self.store.local_time(now)
        colour = warnings.card(self.store.policy, ticket.status, ticket.request_type, ticket.deadline, local_now)
        return {"department": ticket.department, "department_id": ticket.department_id, "card": colour,
                "deadline": ticket.deadline.isoformat()}


# ------------------------------------------------------------------------------------ the lists

def supervised(store: TicketStore) -> List[Ticket]:
    """Open tickets under supervision, the highest level first, then the earliest deadline."""
    ever = select(TicketEvent.ticket_id).where(TicketEvent.action == "supervise")
    found = _with_events(store, Ticket.id.in_(ever), Ticket.status.in_(lifecycle.OPEN))
    found = [(state(t), t) for t in found]
    found = [(s, t) for s, t in found if s is not None]
    found.sort(key=lambda pair: (-pair[0]["level"], pair[1].deadline, pair[1].id))
    return [t for _, t in found][:LIST_LIMIT]


def red_unsupervised(store: TicketStore, local_now: Optional[dt.datetime] = None) -> List[Ticket]:
    """Red-card (overdue) tickets nobody supervises yet, the most overdue first."""
    local_now = local_now or store.local_now()
    red = query.card_condition(store, warnings.RED, local_now)
    held = Ticket.status.in_(lifecycle.REVIEWS["supervise"].sources)    # a department to supervise
    found: List[Ticket] = []
    offset = 0
    # Page by page, most overdue first: an imported backlog may hold thousands of red tickets.
    while len(found) < LIST_LIMIT:
        page = _with_events(store, red, held, order=(Ticket.deadline, Ticket.id), limit=LIST_LIMIT, offset=offset)
        found.extend(t for t in page if state(t) is None)
        if len(page) < LIST_LIMIT:
            break
        offset += LIST_LIMIT
    return found[:LIST_LIMIT]


def _with_events(store: TicketStore, *where, order=(Ticket.id,), limit: Optional[int] = None,
                 offset: int = 0) -> List[Ticket]:
    page = select(Ticket).where(*where).options(selectinload(Ticket.events)).order_by(*order)
    if limit is not None:
        page = page.limit(limit).offset(offset)
    with store.sessions() as session:
        return list(session.execute(page).scalars())


def view(store: TicketStore, ticket: Ticket, for_department: Optional[str] = None) -> Dict[str, Any]:
    """The ticket view's read-only fields: supervised, supervision {since, by, reason, level,
    level_label}, urgings [{at, by, text, department}] (a department sees those sent to it)."""
    current = state(ticket)
    local = lambda event: store.local_time(event.at).isoformat(timespec="seconds")  # noqa: E731
    supervision = None
    if current is not None:
        supervision = {"since": local(current["event"]), "by": current["by"], "reason": current["reason"],
                       "level": current["level"], "level_label": current["level_label"]}
    return {"supervised": current is not None, "supervision": supervision,
            "urgings": [{"at": local(e), "by": e.actor, "text": (e.detail or {}).get("text"),
                         "department": (e.detail or {}).get("department")}
                        for e in urgings(ticket, for_department)]}
