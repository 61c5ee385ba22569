"""Masking of personal data (phone, ID number, address) for logs and for people not entitled to it.

Seeds 000 §23 and 001 §24: a caller's personal data is never shown to unrelated units or in logs.
"""
from __future__ import annotations

import logging
import re

# Mobile numbers however they are written: 13812345678, 138 1234 5678, 138-1234-5678,
# +86 138 1234 5678, 0086-13812345678, +8613812345678.
_SEP = r"[ \t\u3000-]?"
_MOBILE = re.compile(rf"(?<![\d+])((?:(?:\+|00)86{_SEP})?1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?!\d)")
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


_TRACEBACKS = logging.Formatter()


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record it passes: the message, and the
    traceback and stack that a handler would print after it (an error's text quotes its input)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
            record.exc_info = None      # printed from exc_text, which is masked
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def install_log_masking(logger: logging.Logger = None) -> None:
    """Mask every record of this process: on the root logger's handlers (records of every logger
    pass through them, where a filter on the root logger itself sees only its own records)."""
    target = logger or logging.getLogger()
    for handler in target.handlers or []:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
    if not any(isinstance(f, MaskingFilter) for f in target.filters):
        target.addFilter(MaskingFilter())


def setup_process_logging(level: int = logging.INFO) -> None:
    """Every process of the project logs through this: one format, personal data masked."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_masking()
