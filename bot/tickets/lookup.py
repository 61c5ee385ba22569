"""A citizen asking about a ticket: find the number in what they said, prove the ticket is theirs,
and say where it stands. Nobody learns anything about another person's ticket."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.tickets.facts import spoken_digits_to_arabic
from bot.tickets.models import Ticket
from bot.tickets.policy import REQUEST_TYPES

_NUMBER = re.compile(r"(?<!\d)(20\d{2})[\s\-/.]?(\d{2})[\s\-/.]?(\d{2})[\s\-/.]?(\d{4,6})(?!\d)")
STATUS_LABELS = {"accepted": "已受理，正在派发给承办部门"}


@dataclass(frozen=True)
class Ownership:
    owned: bool
    needs_proof: bool


def find_ticket_number(text: str) -> Optional[str]:
    match = _NUMBER.search(spoken_digits_to_arabic(text or ""))
    return "".join(match.groups()) if match else None


def last4(text: str) -> Optional[str]:
    digits = re.sub(r"\D", "", spoken_digits_to_arabic(text or ""))
    return digits[-4:] if len(digits) >= 4 else None


def ownership(ticket: Optional[Ticket], sender_id: str, phone_last4: Optional[str]) -> Ownership:
    """Same channel user, or the last four digits of the phone left on the ticket."""
    if ticket is None:
        return Ownership(False, needs_proof=True)
    if ticket.sender_id == sender_id:
        return Ownership(True, needs_proof=False)
    if phone_last4 and ticket.contact_phone and ticket.contact_phone[-4:] == phone_last4:
        return Ownership(True, needs_proof=False)
    return Ownership(False, needs_proof=not phone_last4)


def _department(ticket: Ticket) -> str:
    if not ticket.department:
        return "待分派"
    # Until a dispatcher confirms it, the router's choice is only a suggestion.
    return f"{ticket.department}（拟派）" if ticket.status == "accepted" else ticket.department


def status_text(ticket: Ticket) -> str:
    status = STATUS_LABELS.get(ticket.status, ticket.status)
    lines = [
        f"工单 {ticket.number}（{REQUEST_TYPES.get(ticket.request_type, ticket.request_type)}）",
        f"当前状态：{status}",
        f"承办部门：{_department(ticket)}",
        f"答复期限：{ticket.deadline:%Y年%m月%d日}前",
    ]
    return "\n".join(lines)


NOT_FOUND = "没有找到与这个编号和手机号后四位相符的工单。请核对后再试，或说“转人工”由人工客服帮您查询。"
