"""The office's statistics over HTTP (definitions: bot/office/stats.py):

    GET /api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&department=ID]   the figures as JSON
    GET /api/stats.xlsx?from=…&to=…[&department=ID]                 the same as an Excel workbook
    GET /api/stats/report?month=YYYY-MM[&department=ID]             the printable monthly report (HTML)

Every role may read figures; a department handler reads its own department's only (asking for
another is refused, asking for none gives its own). Bad input is refused with 400 in Chinese.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Optional, Tuple
from urllib.parse import quote

from aiohttp import web

from bot.office import report, stats
from bot.tickets import departments
from channels.staff.api.auth import require
from channels.staff.api.context import context_of
from channels.staff.api.errors import ApiError, json_response
from channels.staff.api.params import bad_request
from channels.staff.api.staff import StaffMember

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_PARAMETERS = ("from", "to", "department")
REPORT_PARAMETERS = ("month", "department")
DEFAULT_DAYS = 30


def _known(query: Mapping[str, str], allowed: Tuple[str, ...]) -> None:
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：{'、'.join(allowed)}）")


def _department(query: Mapping[str, str], member: StaffMember) -> Optional[str]:
    """The department whose figures are asked for; a handler's own whatever it asks."""
    wanted = (query.get("department") or "").strip()
    found = departments.find(wanted) if wanted else None
    if wanted and found is None:
        raise bad_request(f"部门目录中没有“{wanted}”（用 GET /api/departments 查看部门 id 和名称）")
    if member.scope is not None:
        if found is not None and found.id != member.scope:
            raise ApiError(403, "forbidden", "承办人只能查看本单位的统计")
        return member.scope
    return found.id if found else None


def _period(query: Mapping[str, str], today: dt.date) -> Tuple[dt.date, dt.date]:
    """from and to, both or neither: neither is the last DEFAULT_DAYS days ending today (local), so a
    client in another timezone still starts on the hotline's own today."""
    if not query.get("from") and not query.get("to"):
        return today - dt.timedelta(days=DEFAULT_DAYS - 1), today
    try:
        start, end = stats.parse_date(query.get("from"), "from"), stats.parse_date(query.get("to"), "to")
        stats.check_period(start, end)
    except stats.StatsError as exc:
        raise bad_request(str(exc)) from None
    return start, end


async def _figures(request: web.Request, start: dt.date, end: dt.date, department_id: Optional[str]):
    context = context_of(request)
    store = await context.run(context.store)
    return store, await context.run(stats.office_stats, store, start, end, department_id)


async def _asked(request: web.Request, member: StaffMember):
    """The figures of the period and department the query asks for."""
    _known(request.query, PERIOD_PARAMETERS)
    department_id = _department(request.query, member)
    context = context_of(request)
    store = await context.run(context.store)
    start, end = _period(request.query, store.today())
    return start, end, (await _figures(request, start, end, department_id))[1]


async def get_stats(request: web.Request) -> web.Response:
    member = require(request, "stats")
    _, _, figures = await _asked(request, member)
    return json_response(figures)


def _attachment(name: str) -> str:
    """A Chinese file name survives in filename* (RFC 6266); plain clients get the ASCII one."""
    return f"attachment; filename=\"hotline-stats.xlsx\"; filename*=UTF-8''{quote(name)}"


async def get_workbook(request: web.Request) -> web.Response:
    member = require(request, "stats")
    start, end, figures = await _asked(request, member)
    body = await context_of(request).run(report.workbook_bytes, figures)
    return web.Response(body=body, content_type=XLSX, headers={
        "Content-Disposition": _attachment(f"热线统计_{start}_{end}.xlsx"), "Cache-Control": "no-store"})


async def get_report(request: web.Request) -> web.Response:
    member = require(request, "stats")
    _known(request.query, REPORT_PARAMETERS)
    try:
        start, end = stats.parse_month(request.query.get("month"))
    except stats.StatsError as exc:
        raise bad_request(str(exc)) from None
    department_id = _department(request.query, member)
    store, current = await _figures(request, start, end, department_id)
    first = stats.previous_month(start)
    _, previous = await _figures(request, first, stats.month_end(first), department_id)
    page = report.monthly_report(current, previous, f"{start:%Y-%m}", store.local_now().strftime("%Y-%m-%d %H:%M"))
    # The report's one inline stylesheet and nothing else: no script, no outside resource.
    policy = f"default-src 'none'; style-src {report.style_hash()}; img-src data:"
    return web.Response(text=page, content_type="text/html", charset="utf-8",
                        headers={"Content-Security-Policy": policy, "Cache-Control": "no-store"})


def add_stats_routes(api: web.Application) -> None:
    api.router.add_get("/stats", get_stats)
    api.router.add_get("/stats.xlsx", get_workbook)
    api.router.add_get("/stats/report", get_report)
