"""A citizen asking about a ticket: find the number in what they said, prove the ticket is theirs,
and say where it stands. Nobody learns anything about another person's ticket."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from bot.settings import load_yaml
from bot.tickets import lifecycle, satisfaction
from bot.tickets.facts import spoken_digits_to_arabic
from bot.tickets.models import Ticket
from bot.tickets.policy import REQUEST_TYPES

_NUMBER = re.compile(r"(?<!\d)(20\d{2})[\s\-/.]?(\d{2})[\s\-/.]?(\d{2})[\s\-/.]?(\d{4,6})(?!\d)")
STATUS_LABELS = lifecycle.CITIZEN_LABELS
# Ends the status of a closed, unrated ticket; the dialogue recognises a rating that follows it.
RATING_INVITATION = "请对办理结果进行评价"


@dataclass(frozen=True)
class Ownership:
    owned: bool
    needs_proof: bool


# A citizen asking after a ticket says so (工单, 编号, 进度, 办得怎么样了 ...) or gives the number;
# 「老旧小区改造排到哪一年了」 asks about a matter, not a ticket.
_ABOUT_A_TICKET = re.compile(
    r"工单|单号|编号|受理号|流水号|进度|进展|办理情况|处理情况|处理结果|办理结果|办好了没|办得怎么样|处理得怎么样|"
    r"处理了没|办了没|有结果|回复了没|答复了没|反映的事|反映的问题|上次(反映|打电话|说)的|之前(反映|打电话|说)的|查询|查一下|查查|查个")


def asks_about_a_ticket(text: str) -> bool:
    """True when a message is about a ticket already opened (or carries its number)."""
    text = text or ""
    return text.startswith("/") or bool(_ABOUT_A_TICKET.search(text)) or find_ticket_number(text) is not None


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
    ]
    if ticket.status not in (lifecycle.REPLIED, lifecycle.CLOSED):
        lines.append(f"答复期限：{ticket.deadline:%Y年%m月%d日}前")
    if ticket.answer and ticket.status in (lifecycle.REPLIED, lifecycle.CLOSED):
        lines.append(f"办理结果：{ticket.answer}")
    lines.extend(_rating_lines(ticket))
    return "\n".join(lines)


def rateable(ticket: Ticket) -> bool:
    """Closed and not rated yet in this round: the citizen is invited to rate it."""
    return ticket.status == lifecycle.CLOSED and not ticket.satisfaction


def _rating_lines(ticket: Ticket) -> list:
    """A closed ticket invites a rating (回访) once per round; a rated one says what was given."""
    if ticket.status != lifecycle.CLOSED:
        return []
    if ticket.satisfaction:
        return [f"您的评价：{satisfaction.LABELS.get(ticket.satisfaction, ticket.satisfaction)}"]
    return [f"{RATING_INVITATION}：回复“评价工单{ticket.number}”，或直接说满意、基本满意或不满意及原因。"]


def tries_per_lookup() -> int:
    """How many times one lookup may try the phone's last four digits (settings/policy.yml)."""
    return max(1, int(load_yaml("policy.yml").get("lookup_tries", 3)))


NOT_FOUND = "没有找到与这个编号和手机号后四位相符的工单。请核对后再试，或说“转人工”由人工客服帮您查询。"


def duplicate_text(ticket: Ticket, opened_on: dt.date) -> str:
    """Seed 003 §11(6): the same matter again, with no new facts, gets the progress of the open
    ticket instead of a second ticket. opened_on is the local date the ticket was opened."""
    return (f"您反映的这个问题，已在{opened_on.month}月{opened_on.day}日登记过，工单还在办理中，无需重复登记：\n"
            f"{status_text(ticket)}")


NOTHING_TO_RATE = ("没有找到可以评价的已办结工单。工单办结后才能评价；您可以说“查询工单”加工单编号了解办理进度。")
