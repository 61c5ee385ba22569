"""The OpenAPI document (openapi.yml, written by hand next to the code) served as JSON."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml
from aiohttp import web

from channels.staff.api.errors import json_response

SPEC = Path(__file__).resolve().parent / "openapi.yml"


@lru_cache(maxsize=1)
def document() -> Dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


async def serve(_: web.Request) -> web.Response:
    return json_response(document())
