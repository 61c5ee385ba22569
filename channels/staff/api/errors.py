"""Errors of the staff API: always JSON, always a clear Chinese message.

{"error": {"status": 409, "code": "transition_refused", "message": "工单 ... 不能办结 ..."}}
"""
from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any, Dict, Optional

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import SettingsError
from bot.tickets.errors import TicketConflict, TicketError, TicketNotFound, TransitionError
from bot.tickets.opening import INVALID, UNAVAILABLE, OpeningRefused

logger = logging.getLogger(__name__)

dumps = partial(json.dumps, ensure_ascii=False)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: Optional[Dict[str, str]] = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def json_response(data: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> web.Response:
    response = web.json_response(data, status=status, dumps=dumps, headers=headers)
    response.headers["Cache-Control"] = "no-store"   # ticket data must not sit in shared caches
    return response


def error_response(status: int, code: str, message: str, headers: Optional[Dict[str, str]] = None) -> web.Response:
    return json_response({"error": {"status": status, "code": code, "message": message}}, status, headers)


# aiohttp's own refusals (no such route, wrong method, body too large), said in Chinese.
_HTTP_MESSAGES = {
    404: ("not_found", "没有这个接口，请查看 /api/openapi.json"),
    405: ("method_not_allowed", "这个接口不支持该请求方法，请查看 /api/openapi.json"),
    413: ("body_too_large", "请求体太大"),
}


def _from_ticket_error(exc: TicketError) -> web.Response:
    if isinstance(exc, TicketNotFound):
        return error_response(404, "ticket_not_found", str(exc))
    if isinstance(exc, TransitionError):
        return error_response(409, "transition_refused", str(exc))
    if isinstance(exc, TicketConflict):
        return error_response(409, "conflict", str(exc))
    return error_response(400, "bad_request", str(exc))


@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    except TicketError as exc:
        return _from_ticket_error(exc)
    except OpeningRefused as exc:
        status = {INVALID: 400, UNAVAILABLE: 503}.get(exc.kind, 429)
        return error_response(status, f"ticket_{exc.kind}", str(exc))
    except web.HTTPException as exc:
        code, message = _HTTP_MESSAGES.get(exc.status, ("http_error", exc.reason))
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return error_response(exc.status, code, message, headers)
    except SettingsError as exc:
        logger.error("staff API misconfigured: %s", exc)
        return error_response(503, "not_configured", f"员工接口配置有误，请联系管理员：{exc}")
    except SQLAlchemyError:
        logger.exception("ticket database error")
        return error_response(503, "database_unavailable", "工单数据库暂时不可用，请稍后重试")
    except Exception:  # noqa: BLE001 - a staff client always gets JSON, the details go to the log
        logger.exception("staff API error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "服务器内部错误，请稍后重试或联系管理员")
