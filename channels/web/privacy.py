"""The privacy notice (/privacy): what the chat collects, why, and how long it is kept. The periods
come from settings/retention.yml, the same figures `hotline retention apply` enforces, so the page
cannot promise what the deletion job does not do."""
from __future__ import annotations

import re
import string
from pathlib import Path

from aiohttp import web

from bot.settings import hotline_settings, load_yaml

PAGE = Path(__file__).resolve().parent / "static" / "privacy.html"


def render() -> str:
    retention = load_yaml("retention.yml")
    number = str(hotline_settings().hotline_number)
    values = {key: int(retention[key]) for key in
              ("conversations_days", "unattached_media_days", "ticket_media_days")}
    values.update(hotline_number=number, hotline_tel=re.sub(r"[^0-9+]", "", number))
    return string.Template(PAGE.read_text(encoding="utf-8")).substitute(values)


async def privacy(_: web.Request) -> web.Response:
    return web.Response(text=render(), content_type="text/html", headers={"Cache-Control": "no-cache"})
