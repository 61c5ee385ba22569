"""来件预测: GET /api/forecast?week=&by=&backtest= — next week's (or the given week's) expected
tickets per request type or department with intervals, the recent weeks' actual counts and the
forecasts made for them (the chart), and the accuracy on held-out weeks beside the naive baseline.
The model is bot/office/forecast.py. Every role may read it; a department handler's figures count
only its own department's tickets.
"""
from __future__ import annotations

from typing import Mapping, Optional

from aiohttp import web

from bot.office.forecast import ForecastError, forecast
from bot.office.forecast_counts import DIMENSIONS
from channels.staff.api.auth import require
from channels.staff.api.context import context_of
from channels.staff.api.errors import json_response
from channels.staff.api.params import bad_request, date_param

PARAMETERS = ("week", "by", "backtest")


def _backtest(query: Mapping[str, str]) -> Optional[int]:
    value = query.get("backtest")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise bad_request(f"backtest 应为整数（留出周数）：{value}") from None


async def get_forecast(request: web.Request) -> web.Response:
    member = require(request, "stats")
    query = request.query
    unknown = sorted(set(query) - set(PARAMETERS))
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：{'、'.join(PARAMETERS)}）")
    by = query.get("by") or "type"
    if by not in DIMENSIONS:
        raise bad_request(f"by 应为 type（诉求类型）或 department（承办部门）：{by}")
    week, weeks = date_param(query, "week", "目标周中的任意一天"), _backtest(query)
    context = context_of(request)
    store = await context.run(context.store)
    try:
        result = await context.run(forecast, store, by=by, week=week, backtest_weeks=weeks, scope=member.scope)
    except ForecastError as exc:
        raise bad_request(str(exc)) from None
    return json_response(result)
