"""The staff HTTP API under /api/ on the web server: tickets for the hotline office and departments,
the restriction list of abusive callers (restrictions.py), and the office's side: supervision and
reviews (supervision.py), statistics (stats.py), hotspots (hotspots.py), the forecast
(forecast.py) and knowledge-base upkeep (knowledge.py). The staff portal (/portal) is built on it.

    from channels.staff.api import mount_api
    mount_api(app)          # in channels/web/app.py create_app()

Documented in openapi.yml, served as /api/openapi.json. Token authentication with roles
(staff.py, auth.py); personal data masked per role (bot/tickets/views.py); JSON only, with a body
size limit (settings/staff_api.yml).
"""
from __future__ import annotations

from typing import Callable, Optional

from aiohttp import web

from bot.tickets.store import TicketStore
from channels.staff.api import (dispatch, forecast, hotspots, knowledge, openapi, restrictions, stats, supervision,
                                tickets)
from channels.staff.api.auth import authentication
from channels.staff.api.config import ApiSettings, api_settings
from channels.staff.api.context import CONTEXT_KEY, ApiContext, open_default_store
from channels.staff.api.errors import json_errors
from channels.staff.api.params import BODIES
from channels.staff.api.staff import StaffDirectory, directory_from_environment

PREFIX = "/api/"


def create_api(settings: Optional[ApiSettings] = None, open_store: Callable[[], TicketStore] = open_default_store,
               staff: Optional[Callable[[], StaffDirectory]] = None) -> web.Application:
    """The API as an aiohttp sub-application; tests pass their own store and staff."""
    settings = settings or api_settings()
    api = web.Application(middlewares=[json_errors, authentication(staff or directory_from_environment)],
                          client_max_size=settings.max_body_bytes)
    api[CONTEXT_KEY] = ApiContext(settings, open_store)
    api.router.add_get("/openapi.json", openapi.serve)
    api.router.add_get("/me", tickets.whoami)
    api.router.add_get("/departments", tickets.list_departments)
    api.router.add_get("/tickets", tickets.list_tickets)
    api.router.add_get("/tickets/{number}", tickets.show_ticket)
    api.router.add_get("/dispatch/queue", dispatch.queue)
    for operation in BODIES:
        api.router.add_post(f"/tickets/{{number}}/{operation}", tickets.operation_handler(operation))
    api.router.add_get("/restrictions", restrictions.list_restrictions)
    api.router.add_post("/restrictions", restrictions.add_restriction)
    api.router.add_post("/restrictions/{id}/lift", restrictions.lift_restriction)
    # The hotline office's side: supervision and reviews, figures, knowledge-base upkeep.
    supervision.add_routes(api)    # 督办与审核: /supervision, /tickets/{number}/supervise ...
    stats.add_stats_routes(api)    # 统计: /stats, /stats.xlsx, /stats/report
    api.router.add_get("/hotspots", hotspots.get_hotspots)    # 热点
    api.router.add_get("/forecast", forecast.get_forecast)    # 来件预测
    knowledge.add_routes(api)    # 知识库维护: /kb/...
    return api


def mount_api(app: web.Application, **options) -> web.Application:
    api = create_api(**options)
    app.add_subapp(PREFIX.rstrip("/"), api)
    return api
