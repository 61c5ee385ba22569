"""Reading what a client sent: list filters from the query string, operation bodies as JSON.

Anything unexpected is refused with 400 and says which field and why, instead of being ignored:
a typo in a filter must not silently return every ticket.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Dict, Mapping, Optional, Tuple

from aiohttp import web

from bot.tickets import departments, lifecycle, warnings
from bot.tickets.errors import TicketError
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.query import TicketQuery, check_values
from channels.staff.api.config import ApiSettings
from channels.staff.api.errors import ApiError

LIST_PARAMETERS = ("status", "type", "department", "card", "created_from", "created_to", "limit", "offset")

# Fields of each operation's body: name -> (type, required).
BODIES: Dict[str, Dict[str, Tuple[type, bool]]] = {
    "dispatch": {"department": (str, True), "note": (str, False), "co_handlers": (list, False)},
    "accept": {},
    "reassign": {"department": (str, True), "reason": (str, True), "co_handlers": (list, False)},
    "extend": {"days": (int, True), "reason": (str, True)},
    "return": {"reason": (str, True)},
    "reply": {"answer": (str, True)},
    "close": {"note": (str, False)},
    "rate": {"rating": (str, True), "reason": (str, False)},
    "assist": {"opinion": (str, True)},
}
# The hotline office's supervision and reviews (channels/staff/api/supervision.py): their own
# routes, so not in BODIES, whose keys are the lifecycle operation routes.
OFFICE_BODIES: Dict[str, Dict[str, Tuple[type, bool]]] = {
    "supervise": {"reason": (str, True)},
    "urge": {"text": (str, True)},
    "escalate": {"reason": (str, True)},
    "unsupervise": {"note": (str, True)},
    "extension": {"approve": (bool, True), "reason": (str, True)},
    "return-review": {"approve": (bool, True), "reason": (str, True)},
}
_TYPE_NAMES = {str: "文字", int: "整数", list: "部门 id 或名称的列表，例如 [\"gongan\"]", bool: "true 或 false"}
PAGE_PARAMETERS = ("limit", "offset")


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def _list(value: Optional[str]) -> Tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def date_param(query: Mapping[str, str], name: str, what: str = "日期") -> Optional[dt.date]:
    """An optional YYYY-MM-DD parameter; 400 with the parameter's name when it is not one."""
    value = (query.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{name} 应为{what}，格式 YYYY-MM-DD：{value[:20]}") from None


def period_params(query: Mapping[str, str], today: dt.date, default_days: int = 30,
                  max_days: int = 366) -> Tuple[dt.date, dt.date]:
    """from and to (local dates, both inclusive); a missing to is today, a missing from the
    default_days up to to. 400 when from is after to or the period is longer than max_days."""
    end = date_param(query, "to") or today
    start = date_param(query, "from") or end - dt.timedelta(days=default_days - 1)
    if start > end:
        raise bad_request(f"from（{start}）不能晚于 to（{end}）")
    if (end - start).days + 1 > max_days:
        raise bad_request(f"统计期最长 {max_days} 天，请缩短 from 和 to 之间的时间")
    return start, end


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = query.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(f"{name} 应为整数：{value}") from None
    if not low <= number <= high:
        raise bad_request(f"{name} 应在 {low} 到 {high} 之间：{number}")
    return number


def _department_ids(values: Tuple[str, ...]) -> Tuple[str, ...]:
    ids = []
    for value in values:
        dept = departments.find(value)
        if dept is None:
            raise bad_request(f"部门目录中没有“{value}”（用 GET /api/departments 查看部门 id 和名称）")
        ids.append(dept.id)
    return tuple(ids)


def ticket_query(query: Mapping[str, str], settings: ApiSettings, scope: Optional[str]) -> TicketQuery:
    unknown = sorted(set(query) - set(LIST_PARAMETERS))
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：{'、'.join(LIST_PARAMETERS)}）")
    try:
        statuses = check_values(_list(query.get("status")), lifecycle.STATUSES, "状态")
        types = check_values(_list(query.get("type")), tuple(REQUEST_TYPES), "诉求类型")
        cards = check_values(_list(query.get("card")), warnings.COLOURS, "预警牌")
    except TicketError as exc:
        raise bad_request(str(exc)) from None
    created_from, created_to = date_param(query, "created_from"), date_param(query, "created_to")
    if created_from and created_to and created_from > created_to:
        raise bad_request("created_from 不能晚于 created_to")
    return TicketQuery(statuses=statuses, types=types, department_ids=_department_ids(_list(query.get("department"))),
                       cards=cards, created_from=created_from, created_to=created_to, scope=scope,
                       limit=_int(query, "limit", settings.default_page_size, 1, settings.max_page_size),
                       offset=_int(query, "offset", 0, 0, 10_000_000))


async def operation_body(request: web.Request, operation: str, max_bytes: int) -> Dict[str, Any]:
    """The JSON object of an operation, checked against BODIES[operation]."""
    return await checked_body(request, operation, BODIES[operation], max_bytes)


async def checked_body(request: web.Request, operation: str, fields: Dict[str, Tuple[type, bool]],
                       max_bytes: int) -> Dict[str, Any]:
    """The JSON object of a request, checked field by field against `fields`."""
    data = await _json_object(request, max_bytes)
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise bad_request(f"不认识的字段：{'、'.join(unknown)}（{operation} 可用：{'、'.join(fields) or '无'}）")
    for name, (kind, required) in fields.items():
        value = data.get(name)
        if value is None:
            if required:
                raise bad_request(f"缺少字段 {name}")
            continue
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise bad_request(f"字段 {name} 应为{_TYPE_NAMES[kind]}")
        if kind is list and not all(isinstance(item, str) for item in value):
            raise bad_request(f"字段 {name} 应为{_TYPE_NAMES[kind]}")
    return data


def page(query: Mapping[str, str], settings: ApiSettings) -> Tuple[int, int]:
    """limit and offset of a list that takes no filter (the dispatch queue)."""
    unknown = sorted(set(query) - set(PAGE_PARAMETERS))
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：{'、'.join(PAGE_PARAMETERS)}）")
    return (_int(query, "limit", settings.default_page_size, 1, settings.max_page_size),
            _int(query, "offset", 0, 0, 10_000_000))


async def _read_at_most(request: web.Request, max_bytes: int) -> bytes:
    """The body, refused (413) as soon as it is known to be too large, whether or not the client
    announced its length: nothing larger is ever held in memory."""
    too_large = ApiError(413, "body_too_large", f"请求体太大（最多 {max_bytes} 字节）")
    if request.content_length is not None and request.content_length > max_bytes:
        raise too_large
    chunks, size = [], 0
    while True:
        chunk = await request.content.readany()
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)


async def _json_object(request: web.Request, max_bytes: int) -> Dict[str, Any]:
    if not request.body_exists:
        return {}
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "请求体须为 JSON（Content-Type: application/json）")
    raw = await _read_at_most(request, max_bytes)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(f"请求体不是合法的 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise bad_request("请求体应为 JSON 对象，例如 {\"reason\": \"...\"}")
    return data
