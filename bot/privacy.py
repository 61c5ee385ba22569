"""Masking of personal data (phone, ID number, address) for logs and for people not entitled to it.

Seeds 000 §23 and 001 §24: a caller's personal data is never shown to unrelated units or in logs.
"""
from __future__ import annotations

import logging
import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9Xx])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9Xx])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
# House numbers, rooms and units after a street or compound name.
_HOUSE = re.compile(r"(\d+|[一二三四五六七八九十百]+)(号楼|栋|幢|单元|号院|号|室|层|楼)")


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_address(address: str) -> str:
    """Keep the street or compound, hide the house, building and room numbers."""
    return _HOUSE.sub(lambda m: "*" + m.group(2), address or "")


def mask_text(text: str) -> str:
    """Mask every phone and ID number found in free text (for logs and transcripts)."""
    text = _ID_CARD.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text or "")
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        return True


def install_log_masking(logger: logging.Logger = None) -> None:
    target = logger or logging.getLogger()
    for handler in target.handlers or []:
        handler.addFilter(MaskingFilter())
    target.addFilter(MaskingFilter())
