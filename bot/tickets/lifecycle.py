"""The ticket lifecycle (受理 → 派单 → 办理 → 答复 → 办结, with 退单 and 重办) as data.

Statuses and which operation may move a ticket from which status to which, in one table, so the
store, the staff API, the command line and the documentation all read the same rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional

from bot.tickets.errors import TransitionError

ACCEPTED = "accepted"          # 已受理: opened, waiting for the hotline office to dispatch it
DISPATCHED = "dispatched"      # 已派单: sent to a department, not yet signed for
IN_PROGRESS = "in_progress"    # 办理中: the department signed for it
RETURNED = "returned"          # 退单: the office accepted the department's return; to be redispatched
REPLIED = "replied"            # 已答复: the department answered; the hotline office checks and closes
CLOSED = "closed"              # 已办结
REOPENED = "reopened"          # 重办: closed, rated unsatisfied with a reason, sent back once

STATUSES = (ACCEPTED, DISPATCHED, IN_PROGRESS, RETURNED, REPLIED, CLOSED, REOPENED)

STATUS_LABELS: Dict[str, str] = {
    ACCEPTED: "已受理", DISPATCHED: "已派单", IN_PROGRESS: "办理中", RETURNED: "退单",
    REPLIED: "已答复", CLOSED: "已办结", REOPENED: "重办",
}

# What a citizen is told: the same states in plain words.
CITIZEN_LABELS: Dict[str, str] = {
    ACCEPTED: "已受理，正在派发给承办部门",
    DISPATCHED: "已派发给承办部门，等待签收办理",
    IN_PROGRESS: "承办部门正在办理",
    RETURNED: "正在重新确定承办部门",
    REPLIED: "承办部门已答复，等待办结",
    CLOSED: "已办结",
    REOPENED: "已退回承办部门重新办理",
}

# The statutory clock runs in these statuses: they get a green, yellow or red card.
CLOCK_RUNNING: FrozenSet[str] = frozenset({ACCEPTED, DISPATCHED, IN_PROGRESS, RETURNED, REOPENED})
OPEN: FrozenSet[str] = frozenset(set(STATUSES) - {CLOSED})


@dataclass(frozen=True)
class Operation:
    name: str
    label: str                   # the verb shown in messages: 派单, 签收, ...
    sources: FrozenSet[str]      # statuses it may start from
    target: Optional[str]        # status afterwards; None = unchanged (extend) or decided by rules (rate)


def _op(name: str, label: str, sources, target: Optional[str]) -> Operation:
    return Operation(name, label, frozenset(sources), target)


OPERATIONS: Dict[str, Operation] = {op.name: op for op in (
    _op("dispatch", "派单", {ACCEPTED, RETURNED}, DISPATCHED),
    _op("accept", "签收", {DISPATCHED}, IN_PROGRESS),
    _op("reassign", "改派", {DISPATCHED, IN_PROGRESS, RETURNED, REOPENED}, DISPATCHED),
    _op("extend", "延期", {DISPATCHED, IN_PROGRESS}, None),
    # 退单 is the department's request (seeds 000 §13, 002, 003 §17): the ticket stays with it until
    # the hotline office reviews it (return_approved below moves it to RETURNED).
    _op("return", "退单", {DISPATCHED, IN_PROGRESS}, None),
    _op("reply", "答复", {DISPATCHED, IN_PROGRESS, REOPENED}, REPLIED),
    _op("close", "办结", {REPLIED}, CLOSED),
    _op("rate", "评价", {CLOSED}, None),
    # 协办意见: a co-handling department records its part while the lead handles the ticket.
    _op("assist", "报送协办意见", {DISPATCHED, IN_PROGRESS, REOPENED}, None),
)}


# The hotline office's reviews and supervision (审核, 督办, reviews.py and supervision.py) and a
# department's extension request. They are not steps of the closed loop, so allowed_operations (what
# a ticket's viewer may do next) leaves them out; the same check() guards them.
REVIEWS: Dict[str, Operation] = {op.name: op for op in (
    _op("extend_request", "延期", {DISPATCHED, IN_PROGRESS}, None),
    _op("extend_refused", "不同意延期", {DISPATCHED, IN_PROGRESS}, None),
    _op("return_approved", "同意退单", {DISPATCHED, IN_PROGRESS}, RETURNED),
    _op("return_refused", "不同意退单", {DISPATCHED, IN_PROGRESS}, None),
    # Supervision needs a department in charge: not while the ticket waits for the office.
    _op("supervise", "督办", {DISPATCHED, IN_PROGRESS, REOPENED, REPLIED}, None),
    _op("urge", "催办", {DISPATCHED, IN_PROGRESS, REOPENED}, None),
    _op("escalate", "升级督办", {DISPATCHED, IN_PROGRESS, REOPENED}, None),
    _op("unsupervise", "解除督办", OPEN, None),
)}


def find(name: str) -> Operation:
    return OPERATIONS.get(name) or REVIEWS[name]


def allowed_operations(status: str) -> List[str]:
    return [op.name for op in OPERATIONS.values() if status in op.sources]


def check(operation: str, status: str, number: str) -> Operation:
    """The operation, or a TransitionError that says what the ticket's status allows instead."""
    op = find(operation)
    if status in op.sources:
        return op
    allowed = [OPERATIONS[name].label for name in allowed_operations(status)]
    hint = f"当前可以：{'、'.join(allowed)}。" if allowed else "当前不能再做任何处理。"
    raise TransitionError(
        f"工单 {number} 当前状态为“{STATUS_LABELS.get(status, status)}”，不能{op.label}。{hint}")
