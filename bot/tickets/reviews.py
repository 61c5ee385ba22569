"""The hotline office's reviews (审核) of what a department asks: extensions (申请延期) and returns (退单).

The seeds: a department that needs more time asks the hotline work body with its reasons (seed 003
§18(4); seed 000 §13 可申请延长), within the extension limit (seed 001 §16; max_extension_working_days
of settings/policy.yml); a department that finds a ticket outside its duties asks to return it within
one working day with its reason, and the hotline office reviews it — approved, the ticket goes back to
be dispatched again; refused, with the office's reason, the department goes on handling it (seeds 000
§13, 002 三(三), 003 §17, 004 (二)2).

No column holds a request: it is read from the ticket's events, so the history is the one record.
A request is pending from its event until the office decides it, the department answers, or the
ticket leaves the department (dispatched or reassigned elsewhere). The events:

  extend_request    the department asks: days, reason (the deadline does not move)
  extend            the deadline moves: the office's own extension, or its approval of a request
                    (then with requested_by, requested_at and the office's note)
  extend_refused    the office refuses a request, with its reason
  return            the department asks to return the ticket, with its reason (the ticket stays)
  return_approved   the office agrees: the ticket leaves the department and waits for dispatch
  return_refused    the office disagrees, with its reason: the department goes on
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.tickets import lifecycle
from bot.tickets.errors import TicketError, TransitionError
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.store import TicketStore

if TYPE_CHECKING:    # workflow.py hands its requests over to this module, so no import at run time
    from bot.tickets.workflow import TicketWorkflow

# A request can only wait while the department holds the ticket and has not answered.
HELD = (lifecycle.DISPATCHED, lifecycle.IN_PROGRESS)
# After these the department's request has nothing left to decide.
_LEFT_DEPARTMENT = frozenset({"dispatch", "reassign", "reply", "return_approved"})
DECISION_LIMIT = 200     # the longest list of waiting requests returned at once


def check_days(days: Any) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise TicketError("延期天数应为正整数（工作日）")
    return days


def check_reason(text: Optional[str], what: str) -> str:
    from bot.tickets.workflow import _required     # one rule for free text everywhere
    return _required(text, what)


def _pending(ticket: Ticket, asked: str, decided: Iterable[str]) -> Optional[TicketEvent]:
    if ticket.status not in HELD:
        return None
    ends = _LEFT_DEPARTMENT | set(decided)
    found = None
    for event in ticket.events:
        if event.action == asked:
            found = event
        elif event.action in ends:
            found = None
    return found


def pending_extension(ticket: Ticket) -> Optional[TicketEvent]:
    """The department's extension request waiting for the office (an extension of the office's own
    answers it too)."""
    return _pending(ticket, "extend_request", ("extend", "extend_refused"))


def pending_return(ticket: Ticket) -> Optional[TicketEvent]:
    return _pending(ticket, "return", ("return_refused",))


def return_refused_since_dispatch(ticket: Ticket) -> Optional[TicketEvent]:
    """The office's refusal of a return since the ticket last came to its department: the
    department goes on (seed 003 §17 理由不成立的，退回继续办理), it does not ask again."""
    found = None
    for event in ticket.events:
        if event.action in ("dispatch", "reassign"):
            found = None
        elif event.action == "return_refused":
            found = event
    return found


def _request_view(event: Optional[TicketEvent], store: TicketStore) -> Optional[Dict[str, Any]]:
    if event is None:
        return None
    detail = event.detail or {}
    data = {"at": store.local_time(event.at).isoformat(timespec="seconds"), "by": event.actor,
            "reason": detail.get("reason")}
    if "days" in detail:
        data["days"] = detail["days"]
    return data


def pending_views(store: TicketStore, ticket: Ticket) -> Dict[str, Any]:
    """The ticket view's read-only fields: pending_extension {days, reason, at, by} and pending_return
    {reason, at, by}, or None."""
    return {"pending_extension": _request_view(pending_extension(ticket), store),
            "pending_return": _request_view(pending_return(ticket), store)}


def waiting(store: TicketStore, asked: str) -> List[Ticket]:
    """Tickets with a pending request of this kind ("extend_request" or "return"), oldest request first."""
    pending = pending_extension if asked == "extend_request" else pending_return
    asking = select(TicketEvent.ticket_id).where(TicketEvent.action == asked)
    query = (select(Ticket).where(Ticket.status.in_(HELD), Ticket.id.in_(asking))
             .options(selectinload(Ticket.events)).order_by(Ticket.id))
    with store.sessions() as session:
        found = [(pending(t), t) for t in session.execute(query).scalars()]
    found = [(event, t) for event, t in found if event is not None]
    return [t for event, t in sorted(found, key=lambda pair: (pair[0].at, pair[0].id))][:DECISION_LIMIT]


class TicketReviews:
    """The requests of a department and the office's decisions, each one workflow transaction."""

    def __init__(self, workflow: "TicketWorkflow"):
        self.workflow = workflow
        self.store = workflow.store
        self.policy = workflow.policy

    # ------------------------------------------------------------------ the department asks

    def request_extension(self, number: str, days: int, reason: str, actor: str, scope: str) -> Ticket:
        """申请延期: checked now against the same rules as an extension, decided by the office."""
        reason, days = check_reason(reason, "延期理由"), check_days(days)

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            if pending_extension(ticket) is not None:
                raise TransitionError(f"工单 {number} 已申请延期，正在等待热线办审核")
            self.check_extension(ticket, days, now, number)
            return {"days": days, "reason": reason, "department": ticket.department,
                    "department_id": ticket.department_id, "deadline": ticket.deadline.isoformat()}
        return self.workflow._change(number, "extend_request", actor, change, scope)

    def request_return(self, number: str, reason: str, actor: str, scope: Optional[str]) -> Ticket:
        """退单申请: within return_within working days of the dispatch, once per dispatch."""
        reason = check_reason(reason, "退单理由（说明为何不属于本单位职责及依据）")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            if pending_return(ticket) is not None:
                raise TransitionError(f"工单 {number} 已申请退单，正在等待热线办审核")
            refused = return_refused_since_dispatch(ticket)
            if refused is not None:
                # The office's reason (note), not the department's own that it answered.
                raise TransitionError(f"热线办已不同意本单退单（{(refused.detail or {}).get('note', '')}），"
                                      "请继续办理")
            self._check_return_window(ticket, now)
            return {"department": ticket.department, "department_id": ticket.department_id, "reason": reason}
        return self.workflow._change(number, "return", actor, change, scope)

    # ---------------------------------------------------------------------- the office decides

    def decide_extension(self, number: str, approve: bool, reason: str, actor: str) -> Ticket:
        """The office approves (the deadline moves by the days asked) or refuses, with its reason."""
        note = check_reason(reason, "审核意见" if approve else "不同意延期的理由")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            asked = self._pending_or_refuse(pending_extension(ticket), number, "延期申请")
            detail = asked.detail or {}
            days = int(detail.get("days", 0))
            base = {"requested_by": asked.actor, "requested_at": self._local(asked), "note": note,
                    "days": days, "reason": detail.get("reason")}
            if not approve:
                return base
            # Asked before the deadline, so a decision taken after it still counts (seed 001 §16).
            self.check_extension(ticket, days, now, number, asked_on=self.store.local_time(asked.at).date())
            return dict(base, **self.apply_extension(ticket, days))
        return self.workflow._change(number, "extend" if approve else "extend_refused", actor, change)

    def decide_return(self, number: str, approve: bool, reason: str, actor: str) -> Ticket:
        """Approved: the ticket leaves the department and waits in the dispatch queue with the
        department's reason; refused: it stays, with the office's reason."""
        note = check_reason(reason, "审核意见" if approve else "不同意退单的理由")

        def change(ticket: Ticket, now: dt.datetime) -> Dict[str, Any]:
            asked = self._pending_or_refuse(pending_return(ticket), number, "退单申请")
            detail = {"department": ticket.department, "department_id": ticket.department_id,
                      "reason": (asked.detail or {}).get("reason"), "note": note,
                      "requested_by": asked.actor, "requested_at": self._local(asked)}
            if approve:
                ticket.department, ticket.department_id = None, None
            return detail
        return self.workflow._change(number, "return_approved" if approve else "return_refused", actor, change)

    # ------------------------------------------------------------------------------- rules

    def check_extension(self, ticket: Ticket, days: int, now: dt.datetime, number: str,
                        asked_on: Optional[dt.date] = None) -> None:
        """Never for a redo (seed 004 (二)3), asked before the deadline (seed 001 §16), at most
        max_extension working days in all."""
        if ticket.redo_count:
            raise TransitionError(f"工单 {number} 是重办工单，重办不得延期")
        asked_on = asked_on or self.store.local_time(now).date()
        if asked_on > ticket.deadline:
            raise TransitionError(f"工单 {number} 已超过办理期限（{ticket.deadline:%Y年%m月%d日}），"
                                  "延期须在期限届满前申请")
        left = self.policy.max_extension - (ticket.extended_days or 0)
        if days > left:
            raise TicketError(f"延期累计最多{self.policy.max_extension}个工作日，本单已延期"
                              f"{ticket.extended_days or 0}个工作日，最多还能延期{max(left, 0)}个工作日")

    def apply_extension(self, ticket: Ticket, days: int) -> Dict[str, Any]:
        before = ticket.deadline
        ticket.deadline = self.policy.calendar.add_working_days(before, days)
        ticket.extended_days = (ticket.extended_days or 0) + days
        return {"from": before.isoformat(), "to": ticket.deadline.isoformat()}

    def _check_return_window(self, ticket: Ticket, now: dt.datetime) -> None:
        dispatched = self.store.local_time(ticket.dispatched_at or ticket.created_at).date()
        today = self.store.local_time(now).date()
        window = self.policy.return_within
        if self.policy.calendar.working_days_between(dispatched, today) > window:
            raise TransitionError(f"退单须在派单后{window}个工作日内申请（本单派单于{dispatched:%Y年%m月%d日}），"
                                  "已超过时限，请继续办理或申请延期")

    def _local(self, event: TicketEvent) -> str:
        return self.store.local_time(event.at).isoformat(timespec="seconds")

    @staticmethod
    def _pending_or_refuse(event: Optional[TicketEvent], number: str, what: str) -> TicketEvent:
        if event is None:
            raise TransitionError(f"工单 {number} 没有待审核的{what}")
        return event
