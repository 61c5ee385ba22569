"""A proposal's text, checked as strictly as source.py checks the files, before it is stored.

A hostile or careless client must not be able to store anything the source loader would refuse
at publication time, nor text long enough to burden the index or the portal.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional

from bot.knowledge.source import ID_RE, MAX_ALTERNATIVES, PHONE_RE, tidy

MAX_QUESTION, MAX_ANSWER, MAX_SOURCE, MAX_DEPARTMENT, MAX_NOTE = 200, 2000, 300, 60, 1000
MAX_ALTERNATIVES_PROPOSED = min(MAX_ALTERNATIVES, 50)
TEXT_FIELDS = {"question": MAX_QUESTION, "answer": MAX_ANSWER, "source": MAX_SOURCE}
FIELDS = ("entry_id", "department", "question", "alternatives", "answer", "phone", "source",
          "valid_until", "review_by", "note", "origin")


class DraftError(ValueError):
    """The proposal is not acceptable; the message says why in Chinese."""


def _text(data: Mapping[str, Any], key: str, limit: int, label: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DraftError(f"请填写{label}（{key}）")
    value = tidy(value) if key == "answer" else " ".join(value.split())
    if len(value) > limit:
        raise DraftError(f"{label}（{key}）最多 {limit} 个字")
    return value


def _alternatives(value: Any) -> List[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DraftError("其他问法（alternatives）应为文字列表")
    out: List[str] = []
    for v in (" ".join(v.split()) for v in value):
        if len(v) > MAX_QUESTION:
            raise DraftError(f"每条其他问法最多 {MAX_QUESTION} 个字")
        if v and v not in out:
            out.append(v)
    if len(out) > MAX_ALTERNATIVES_PROPOSED:
        raise DraftError(f"其他问法最多 {MAX_ALTERNATIVES_PROPOSED} 条")
    return out


def _date(value: Any, key: str, label: str) -> Optional[str]:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DraftError(f"{label}（{key}）应为 YYYY-MM-DD 格式的日期")
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise DraftError(f"{label}（{key}）应为 YYYY-MM-DD 格式的日期：{value[:20]}") from None


def entry_id(value: Any) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise DraftError("条目编号（entry_id）只能用小写字母、数字和连字符，2–64 位")
    return value


def checked(data: Mapping[str, Any], today: dt.date) -> Dict[str, Any]:
    """The entry fields of a proposal (without id and department, which the service decides)."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise DraftError(f"不认识的字段：{'、'.join(unknown)}（可用：{'、'.join(FIELDS)}）")
    content: Dict[str, Any] = {
        "question": _text(data, "question", MAX_QUESTION, "标准问法"),
        "alternatives": _alternatives(data.get("alternatives")),
        "answer": _text(data, "answer", MAX_ANSWER, "答案"),
        "source": _text(data, "source", MAX_SOURCE, "依据或来源"),
        "updated": today.isoformat(),
        "valid_until": _date(data.get("valid_until"), "valid_until", "有效期至"),
        "review_by": _date(data.get("review_by"), "review_by", "复核日期"),
    }
    phone = data.get("phone")
    if not isinstance(phone, str) or not PHONE_RE.match(phone.strip()):
        raise DraftError("咨询电话（phone）应为数字，可含连字符，多个用 / 分隔，例如 12345 或 0371-12345678")
    content["phone"] = phone.strip()
    if content["valid_until"] and content["valid_until"] < content["updated"]:
        raise DraftError("有效期至（valid_until）不能早于今天")
    if content["review_by"] and content["review_by"] < content["updated"]:
        raise DraftError("复核日期（review_by）不能早于今天")
    return content


def note(data: Mapping[str, Any]) -> Optional[str]:
    value = data.get("note")
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_NOTE:
        raise DraftError(f"说明（note）应为文字，最多 {MAX_NOTE} 个字")
    return value.strip() or None


def origin(value: Any) -> Dict[str, Any]:
    """Where a proposal came from, if anywhere: a seat's conversation or a group of unanswered questions."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or not set(value) <= {"seat_queue_id", "unanswered"}:
        raise DraftError("来源（origin）只能含 seat_queue_id（整数）或 unanswered（文字）")
    seat, group = value.get("seat_queue_id"), value.get("unanswered")
    if seat is not None and (not isinstance(seat, int) or isinstance(seat, bool) or seat < 1):
        raise DraftError("origin.seat_queue_id 应为正整数")
    if group is not None and (not isinstance(group, str) or len(group) > MAX_QUESTION):
        raise DraftError(f"origin.unanswered 应为文字，最多 {MAX_QUESTION} 个字")
    return {k: v for k, v in value.items() if v is not None}


def diff(base: Optional[Mapping[str, Any]], content: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Field by field, what the proposal changes (all fields for a new entry)."""
    keys = ("question", "alternatives", "answer", "department", "phone", "source", "valid_until", "review_by")
    out = []
    for key in keys:
        before = (base or {}).get(key)
        after = content.get(key)
        if (before or None) != (after or None):
            out.append({"field": key, "before": before, "after": after})
    return out
