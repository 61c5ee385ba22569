"""Settings from settings/*.yml, overridden by environment variables.

Configuration lives in files and the environment, never in code: a city changes its name, time
limits or referral texts by editing settings/, and secrets come only from the environment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(RuntimeError):
    """A settings file is missing or malformed."""


def settings_dir() -> Path:
    return Path(os.environ.get("HOTLINE_SETTINGS_DIR", PROJECT_ROOT / "settings"))


def project_path(value: Optional[str]) -> Optional[Path]:
    """A configured path: absolute as given, relative from the project root; None when unset."""
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_yaml(name: str) -> Dict[str, Any]:
    path = settings_dir() / name
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except FileNotFoundError as exc:
        raise SettingsError(f"缺少配置文件 {path}") from exc
    except yaml.YAMLError as exc:
        raise SettingsError(f"配置文件 {path} 格式错误：{exc}") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"配置文件 {path} 顶层应为键值表")
    return data


@dataclass(frozen=True)
class HotlineSettings:
    city: str
    service_name: str
    hotline_number: str
    timezone: str
    database_url: str
    redis_url: str
    rasa_url: str
    # Rasa's HTTP API token (rasa run --auth-token): a secret, so only ever from the environment.
    rasa_token: str
    # The gateways' secret for Rasa's REST channel (components/gateway_rest.py); environment only.
    channel_secret: str
    web_host: str
    web_port: int


def _resolve_sqlite(url: str) -> str:
    """Relative SQLite paths are taken from the project root, not from the current directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return prefix + str(PROJECT_ROOT / url[len(prefix):])
    return url


@lru_cache(maxsize=None)
def hotline_settings() -> HotlineSettings:
    raw = load_yaml("hotline.yml")
    env = os.environ.get
    return HotlineSettings(
        city=env("HOTLINE_CITY", raw.get("city", "本市")),
        service_name=raw.get("service_name", "12345政务服务便民热线"),
        hotline_number=str(raw.get("hotline_number", "12345")),
        timezone=env("HOTLINE_TIMEZONE", raw.get("timezone", "Asia/Shanghai")),
        database_url=_resolve_sqlite(env("HOTLINE_DATABASE_URL", raw.get("database_url", ""))),
        redis_url=env("HOTLINE_REDIS_URL", raw.get("redis_url", "")) or "",
        rasa_url=env("HOTLINE_RASA_URL", raw.get("rasa_url", "http://127.0.0.1:5005")),
        rasa_token=env("HOTLINE_RASA_TOKEN", ""),
        channel_secret=env("HOTLINE_CHANNEL_SECRET", ""),
        web_host=env("HOTLINE_WEB_HOST", raw.get("web_host", "127.0.0.1")),
        web_port=int(env("HOTLINE_WEB_PORT", raw.get("web_port", 8080))),
    )
