"""Settings of the staff API: settings/staff_api.yml, overridden by environment variables.

Tokens are secrets and never live in the repository: see staff.py and
settings/staff_tokens.example.yml.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from bot.settings import SettingsError, load_yaml


@dataclass(frozen=True)
class ApiSettings:
    max_body_bytes: int        # HOTLINE_API_MAX_BODY_BYTES
    default_page_size: int
    max_page_size: int


def api_settings() -> ApiSettings:
    raw = load_yaml("staff_api.yml")
    try:
        settings = ApiSettings(
            max_body_bytes=int(os.environ.get("HOTLINE_API_MAX_BODY_BYTES") or raw.get("max_body_bytes", 16384)),
            default_page_size=int(raw.get("default_page_size", 50)),
            max_page_size=int(raw.get("max_page_size", 200)),
        )
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"settings/staff_api.yml 的数值无效：{exc}") from exc
    if settings.max_body_bytes < 256 or not 1 <= settings.default_page_size <= settings.max_page_size:
        raise SettingsError("settings/staff_api.yml：max_body_bytes 至少 256，且 1 ≤ default_page_size ≤ max_page_size")
    return settings
