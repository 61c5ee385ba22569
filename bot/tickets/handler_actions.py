"""What a department's handler (承办人) may do with one ticket now, each with the rule behind it.

The staff portal's work list shows a button per operation with its rule, or the reason it cannot
be done now, instead of letting the handler try and fail. The rules are the workflow's own
(lifecycle.py, co_handlers.py, reviews.py, settings/policy.yml): this module only reads them, the
workflow still checks every operation when it is performed.

    actions_for(store, ticket, "chengguan", local_now) ->
      [{"operation": "accept", "label": "签收", "allowed": True, "rule": "...", "reason": None}, ...]

Extra keys: extend has "max_days" (working days it may still ask for), return has "until" (the
last day of the return window). Needs the ticket's events (pending requests are read from them).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from bot.tickets import co_handlers, lifecycle, reviews
from bot.tickets.models import Ticket
from bot.tickets.policy import TicketPolicy
from bot.tickets.store import TicketStore

LABELS = {"accept": "签收", "reply": "答复", "return": "退单", "extend": "申请延期", "assist": "报送协办意见"}


def _day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _action(operation: str, rule: str, reason: Optional[str], **extra) -> Dict[str, Any]:
    return dict({"operation": operation, "label": LABELS[operation], "allowed": reason is None,
                 "rule": rule, "reason": reason}, **extra)


def _status_reason(ticket: Ticket, operation: str) -> Optional[str]:
    """None when the ticket's status allows the operation, else why not in the handler's words."""
    if ticket.status in lifecycle.OPERATIONS[operation].sources:
        return None
    label = lifecycle.STATUS_LABELS.get(ticket.status, ticket.status)
    return f"工单当前状态为“{label}”，不能{LABELS[operation]}"


def return_until(store: TicketStore, ticket: Ticket) -> dt.date:
    """The last day of the return window: return_within working days after the dispatch day, and
    the days off before the next working day (reviews.py counts working days only)."""
    policy: TicketPolicy = store.policy
    dispatched = store.local_time(ticket.dispatched_at or ticket.created_at).date()
    return policy.calendar.add_working_days(dispatched, policy.return_within + 1) - dt.timedelta(days=1)


def _accept(ticket: Ticket) -> Dict[str, Any]:
    return _action("accept", "派单后请及时签收，签收后开始办理", _status_reason(ticket, "accept"))


def _reply(ticket: Ticket) -> Dict[str, Any]:
    if ticket.redo_count:
        rule = f"重办工单须在{_day(ticket.deadline)}（含当日）之前重新答复，重办不得延期；答复后由热线办审核办结"
    else:
        rule = f"须在办理期限{_day(ticket.deadline)}（含当日）之前答复市民诉求，答复后由热线办审核办结"
    return _action("reply", rule, _status_reason(ticket, "reply"))


def _return(store: TicketStore, ticket: Ticket, today: dt.date) -> Dict[str, Any]:
    until = return_until(store, ticket)
    window = store.policy.return_within
    rule = (f"不属于本单位职责的，须在派单后{window}个工作日内（至{_day(until)}）说明理由和依据申请退单，"
            "由热线办审核；同意后工单退回热线办重新派单")
    reason = _status_reason(ticket, "return")
    refused = reviews.return_refused_since_dispatch(ticket)
    if reason is None and reviews.pending_return(ticket) is not None:
        reason = "已申请退单，正在等待热线办审核"
    elif reason is None and refused is not None:
        said = refused.detail or {}     # the office's own reason is its note; reason is the department's
        reason = f"热线办已不同意退单（{said.get('note') or said.get('reason', '')}），请继续办理"
    elif reason is None and today > until:
        reason = f"已超过退单时限（{_day(until)}），请继续办理，需要更多时间可申请延期"
    return _action("return", rule, reason, until=until.isoformat())


def _extend(store: TicketStore, ticket: Ticket, today: dt.date) -> Dict[str, Any]:
    most = store.policy.max_extension
    left = max(most - (ticket.extended_days or 0), 0)
    rule = (f"须在办理期限{_day(ticket.deadline)}届满前申请，说明理由，累计最多延期{most}个工作日，"
            "由热线办审核；重办工单不得延期")
    # A redo's own rule says more than its status does (seed 004 (二)3).
    reason = "重办工单不得延期" if ticket.redo_count else _status_reason(ticket, "extend")
    pending = reviews.pending_extension(ticket)
    if reason is None and pending is not None:
        reason = f"已申请延期{(pending.detail or {}).get('days', '')}个工作日，正在等待热线办审核"
    elif reason is None and today > ticket.deadline:
        reason = f"已超过办理期限（{_day(ticket.deadline)}），不能再申请延期"
    elif reason is None and left == 0:
        reason = f"本单已延期{ticket.extended_days}个工作日，达到上限"
    return _action("extend", rule, reason, max_days=left)


def _assist(ticket: Ticket) -> Dict[str, Any]:
    rule = f"本单位为协办单位：报送协办意见，由牵头单位（{ticket.department}）统一答复市民"
    return _action("assist", rule, _status_reason(ticket, "assist"))


def actions_for(store: TicketStore, ticket: Ticket, department_id: str,
                local_now: Optional[dt.datetime] = None) -> List[Dict[str, Any]]:
    """The lead signs for, answers, returns and asks for extensions; a co-handler only assists."""
    part = co_handlers.role_of(ticket, department_id)
    if part == co_handlers.CO:
        return [_assist(ticket)]
    if part != co_handlers.LEAD:
        return []
    today = (local_now or store.local_now()).date()
    return [_accept(ticket), _reply(ticket), _return(store, ticket, today), _extend(store, ticket, today)]
