"""The facts a ticket needs (seed 001 §13(4): time, place, parties, what happened) and their checks.

The check_* and read_* functions are what the form's validation actions call; how an answer is read (fillers,
spoken digits, 不知道 and its forms) lives in answers.py and is re-exported here.
"""
from __future__ import annotations

from typing import Optional

from bot.tickets.answers import (  # noqa: F401 - re-exported: callers import these from facts
    NAME_NOT_GIVEN, UNKNOWN, Checked, is_unknown, read_anonymous, read_consent, read_location, read_name,
    read_named_type, read_party, read_phone, read_time, read_type_correction, spoken_digits_to_arabic)

FIELDS = {
    "description": "诉求内容",
    "location": "发生地点",
    "event_time": "发生时间",
    "involved_party": "涉及对象",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
}


# A letter to the mayor's mailbox runs to 2,000 characters and more; the ticket keeps it whole.
DESCRIPTION_LIMIT = 5000


def check_description(text: str) -> Checked:
    text = (text or "").strip()
    if len(text) < 4 or is_unknown(text):
        return Checked(None, "请再具体说说发生了什么事，例如什么问题、持续多久、对您有什么影响。")
    if len(text) > DESCRIPTION_LIMIT:
        # Never cut without saying so: the citizen shortens it, or splits off what can follow later.
        return Checked(None, f"您的描述有{len(text)}字，超过了工单能记录的{DESCRIPTION_LIMIT}字。"
                             "请精简后重新发送，附件材料可在登记后补充。")
    return Checked(text)


def check_location(text: str) -> Checked:
    """The place is required: an unknown or empty place is asked again."""
    return read_location(text)


def check_name(text: str) -> Checked:
    return read_name(text)


def check_phone(text: str, caller_number: Optional[str] = None) -> Checked:
    return read_phone(text, caller_number)
