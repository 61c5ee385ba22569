"""Changing a ticket after it was opened: dispatch, sign for, reassign, extend, return, reply,
close, rate, and a co-handler's part (assist) (the closed loop of seeds 000 §10 and 002: 受理, 派单, 办理, 答复, 办结, 回访, 评价).

Every operation is one transaction that checks the lifecycle table (lifecycle.py) and the limits of
settings/policy.yml, changes the ticket and appends an event with the actor and the time (UTC).
Refusals are TicketError subclasses whose messages can be shown as they are.

Two people acting on one ticket at once: PostgreSQL locks the row (SELECT ... FOR UPDATE); SQLite
serialises writers, and the ticket's version column catches what slips through. A lost race is
retried from the start, so the loser sees the new status and gets the usual refusal.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.tickets import co_handlers as co, departments, lifecycle, reviews, satisfaction
from bot.tickets.errors import TicketConflict, TicketError, TicketNotFound, TransitionError
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.store import TicketStore

ATTEMPTS = 5
RETRY_PAUSE = 0.05   # seconds, growing with each attempt
MAX_TEXT = 4000

Change = Callable[[Ticket, dt.datetime], Dict[str, Any]]


@dataclass(frozen=True)
class RatingOutcome:
    rating: str
    reopened: bool
    deadline: Optional[dt.date]   # the redo deadline when reopened
    final: bool                   # no further redo possible (limit reached)


def _required(text: Optional[str], what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TicketError(f"请填写{what}")
    if len(text) > MAX_TEXT:
        raise TicketError(f"{what}太长了（最多{MAX_TEXT}字）")
    return text


class TicketWorkflow:
    def __init__(self, store: TicketStore):
        self.store = store
        self.policy = store.policy

    # ------------------------------------------------------------------------------ operations

    def dispatch(self, number: str, department: str, actor: str, note: Optional[str] = None,
                 co_handlers: Optional[Sequence[str]] = None) -> Ticket:
        """派单: the hotline office sends the ticket to a department of the catalogue, the lead
        (牵头), with the co-handlers (协办) it confirms: None keeps those on the ticket (the router's
        suggestion, or the previous dispatch's), [] none."""
        dept = departments.resolve(department)
        chosen = None if co_handlers is None else co.resolve_all(co_handlers, dept.id)

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            helpers = self._assign(ticket, dept, now, chosen)
            return {"department": dept.name, "department_id": dept.id, "co_handlers": helpers,
                    "note": (note or "").strip() or None}
        return self._change(number, "dispatch", actor, change)

    def accept(self, number: str, actor: str, scope: Optional[str] = None) -> Ticket:
        """签收: the department takes the ticket on."""
        return self._change(number, "accept", actor, lambda ticket, now: {}, scope)

    def reassign(self, number: str, department: str, reason: str, actor: str,
                 co_handlers: Optional[Sequence[str]] = None) -> Ticket:
        """改派: to another lead, or the same lead with other co-handlers (co_handlers as in
        dispatch), with the reason; the new lead's return window starts now."""
        dept = departments.resolve(department)
        reason = _required(reason, "改派理由")
        chosen = None if co_handlers is None else co.resolve_all(co_handlers, dept.id)

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            same_helpers = chosen is None or {c["id"] for c in chosen} == set(co.ids(ticket))
            if ticket.department_id == dept.id and ticket.status != lifecycle.RETURNED and same_helpers:
                raise TicketError(f"工单 {number} 已由{dept.name}承办（牵头），协办单位也未变化，无需改派")
            before = {"from": ticket.department, "from_co_handlers": co.of(ticket)}
            helpers = self._assign(ticket, dept, now, chosen)
            return dict(before, department=dept.name, department_id=dept.id, co_handlers=helpers, reason=reason)
        return self._change(number, "reassign", actor, change)

    def extend(self, number: str, days: int, reason: str, actor: str, scope: Optional[str] = None) -> Ticket:
        """延期: asked before the deadline (seed 001 §16), at most max_extension working days in all,
        never for a redo (seed 004 (二)3). The hotline office extends at once; a department (scope)
        only asks, and the office decides (seed 003 §18(4); reviews.py)."""
        if scope is not None:
            return reviews.TicketReviews(self).request_extension(number, days, reason, actor, scope)
        reason = _required(reason, "延期理由")
        days = reviews.check_days(days)
        rules = reviews.TicketReviews(self)

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            rules.check_extension(ticket, days, now, number)
            return dict({"days": days, "reason": reason}, **rules.apply_extension(ticket, days))
        return self._change(number, "extend", actor, change, scope)

    def return_ticket(self, number: str, reason: str, actor: str, scope: Optional[str] = None) -> Ticket:
        """退单: not this department's duty; asked within return_within working days of being
        dispatched to it. The ticket stays with the department until the hotline office approves the
        return (then it waits to be dispatched again) or refuses it (reviews.py)."""
        return reviews.TicketReviews(self).request_return(number, reason, actor, scope)

    def assist(self, number: str, opinion: str, actor: str, scope: Optional[str]) -> Ticket:
        """协办意见: a co-handling department's part, for the lead to take into its answer. Only the
        co-handlers record one; the lead answers (reply)."""
        opinion = _required(opinion, "协办意见")
        if scope is None:
            raise TicketError("协办意见由协办单位的承办人报送")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            name = next(d["name"] for d in co.of(ticket) if d["id"] == scope)
            return {"department": name, "department_id": scope, "opinion": opinion}
        return self._change(number, "assist", actor, change, scope)

    def reply(self, number: str, answer: str, actor: str, scope: Optional[str] = None) -> Ticket:
        """答复: the department's answer to the citizen."""
        answer = _required(answer, "答复内容")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            ticket.answer, ticket.replied_at = answer, now
            late = self.store.local_time(now).date() > ticket.deadline
            return {"answer": answer, "late": late}
        return self._change(number, "reply", actor, change, scope)

    def close(self, number: str, actor: str, note: Optional[str] = None) -> Ticket:
        """办结: the hotline office has checked the answer."""
        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            ticket.closed_at = now
            return {"note": (note or "").strip() or None}
        return self._change(number, "close", actor, change)

    def rate(self, number: str, rating: str, reason: Optional[str], actor: str) -> RatingOutcome:
        """评价 (回访): an unsatisfied rating with a reason reopens the ticket, at most max_redos times,
        with the redo time limit of its type; the rating of the redo is the final one."""
        if rating not in satisfaction.RATINGS:
            raise TicketError("评价应为：满意、基本满意或不满意")
        reason = (reason or "").strip()[:500] or None
        if rating == satisfaction.UNSATISFIED and not reason:
            raise TicketError("请说明不满意的原因，以便承办部门有针对性地重新办理")
        outcome: Dict[str, RatingOutcome] = {}

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            if ticket.satisfaction:
                raise TransitionError(f"工单 {number} 已经评价过了（{satisfaction.LABELS[ticket.satisfaction]}）")
            redo = rating == satisfaction.UNSATISFIED and ticket.redo_count < self.policy.max_redos
            detail = {"rating": rating, "reason": reason, "round": ticket.redo_count + 1, "reopened": redo}
            if redo:
                self._reopen(ticket, now, detail)
            else:
                ticket.satisfaction = rating
            outcome["result"] = RatingOutcome(rating, redo, ticket.deadline if redo else None,
                                              final=not redo and ticket.redo_count >= self.policy.max_redos)
            return detail
        self._change(number, "rate", actor, change)
        return outcome["result"]

    # --------------------------------------------------------------------------------- helpers

    @staticmethod
    def _assign(ticket: Ticket, dept, now: dt.datetime,
                chosen: Optional[List[Dict[str, str]]]) -> List[Dict[str, str]]:
        """The lead and the co-handlers of this dispatch (chosen None: keep the ticket's)."""
        helpers = co.kept(co.of(ticket), dept.id) if chosen is None else chosen
        ticket.department, ticket.department_id, ticket.dispatched_at = dept.name, dept.id, now
        # A new list, not the old one changed in place: the JSON column notices only assignment.
        ticket.co_departments = [dict(h) for h in helpers]
        return helpers

    def _reopen(self, ticket: Ticket, now: dt.datetime, detail: Dict[str, Any]) -> None:
        """重办: back to the same department with the short redo deadline; the rating of this round
        stays in the history, the next one will be the final."""
        today = self.store.local_time(now).date()
        detail["previous_deadline"] = ticket.deadline.isoformat()
        ticket.deadline = self.policy.redo_deadline(ticket.request_type, today)
        detail["deadline"] = ticket.deadline.isoformat()
        ticket.redo_count += 1
        ticket.status = lifecycle.REOPENED
        ticket.replied_at = ticket.closed_at = None

    def _change(self, number: str, operation: str, actor: str, change: Change,
                scope: Optional[str] = None) -> Ticket:
        for attempt in range(ATTEMPTS):
            try:
                self._apply(number, operation, actor, change, scope)
                return self.store.get(number)
            except StaleDataError:
                pass
            except OperationalError as exc:
                if not _is_lock_error(exc):
                    raise
            time.sleep(RETRY_PAUSE * (attempt + 1))   # let the winner commit, then read its result
        raise TicketConflict(number)

    def _apply(self, number: str, operation: str, actor: str, change: Change, scope: Optional[str]) -> None:
        with self.store.sessions.begin() as session:
            ticket = self._load(session, number, scope)
            self._check_role(ticket, operation, scope)
            op = lifecycle.check(operation, ticket.status, number)
            now = self.store.now()
            detail = change(ticket, now)
            if op.target:
                ticket.status = op.target
            detail = {k: v for k, v in detail.items() if v is not None}
            detail["status"] = ticket.status
            session.add(TicketEvent(ticket_id=ticket.id, at=now, actor=actor, action=operation, detail=detail))

    @staticmethod
    def _load(session: Session, number: str, scope: Optional[str]) -> Ticket:
        """The ticket, locked for this transaction; with a department scope only the tickets that
        department leads or assists exist (a handler cannot tell other tickets from missing ones)."""
        query = select(Ticket).where(Ticket.number == number).with_for_update(of=Ticket)
        if scope is not None:
            query = query.where(co.in_scope(scope))
        ticket = session.execute(query).scalar_one_or_none()
        if ticket is None:
            raise TicketNotFound(number)
        return ticket

    @staticmethod
    def _check_role(ticket: Ticket, operation: str, scope: Optional[str]) -> None:
        """Only the lead signs for, extends, returns and answers; only a co-handler assists."""
        role = co.role_of(ticket, scope)
        if role == co.CO and operation != "assist":
            label = lifecycle.find(operation).label
            raise TransitionError(f"工单 {ticket.number} 由{ticket.department}牵头办理，本单位为协办单位，"
                                  f"不能{label}；请报送协办意见，由牵头单位统一答复")
        if operation == "assist" and role != co.CO:
            raise TransitionError(f"工单 {ticket.number} 由本单位牵头办理，不需要报送协办意见，请直接办理答复")


def _is_lock_error(exc: OperationalError) -> bool:
    """SQLite's answer when another writer committed first ("database is locked")."""
    return "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower()
