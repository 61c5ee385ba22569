"""热点: GET /api/hotspots?from=&to=&top=&alerts= — requests about one matter at one place, ranked
by heat, each with its tickets; alerts=1 keeps only the new, fast-growing ones the office should
look at today. bot/office/hotspots.py finds them. Every role may read them; a department handler's
hotspots are made of its own department's tickets only.
"""
from __future__ import annotations

from typing import Mapping, Optional

from aiohttp import web

from bot.office.hotspot_settings import hotspot_settings
from bot.office.hotspots import find_hotspots, hotspots_json
from channels.staff.api.auth import require
from channels.staff.api.context import context_of
from channels.staff.api.errors import json_response
from channels.staff.api.params import bad_request, period_params

PARAMETERS = ("from", "to", "top", "alerts")
MAX_TOP = 200


def _top(query: Mapping[str, str]) -> Optional[int]:
    value = query.get("top")
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_TOP:
        raise bad_request(f"top 应为 1 到 {MAX_TOP} 之间的整数：{value}")
    return int(value)


def _alerts(query: Mapping[str, str]) -> bool:
    value = query.get("alerts", "")
    if value not in ("", "0", "1", "true", "false"):
        raise bad_request(f"alerts 应为 1 或 0：{value}")
    return value in ("1", "true")


async def get_hotspots(request: web.Request) -> web.Response:
    member = require(request, "stats")
    query = request.query
    unknown = sorted(set(query) - set(PARAMETERS))
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：{'、'.join(PARAMETERS)}）")
    top, alerts_only = _top(query), _alerts(query)
    context = context_of(request)
    store = await context.run(context.store)
    start, end = period_params(query, store.today())
    settings = await context.run(hotspot_settings)
    found = await context.run(find_hotspots, store, start, end, settings, scope=member.scope)
    alerts = [h for h in found if h.alert]
    shown = alerts if alerts_only else found
    return json_response({"from": start.isoformat(), "to": end.isoformat(), "total": len(shown),
                          "alerts": len(alerts), "hotspots": hotspots_json(shown, top)})
