"""Gateway configuration from environment variables (secrets never live in files).

    WECHAT_TOKEN        token configured in the official account's server settings (required)
    WECHAT_APPID        AppID, for safe mode and the customer-service API
    WECHAT_APPSECRET    AppSecret, for the access token of the customer-service and media APIs
    WECHAT_AES_KEY      EncodingAESKey (43 characters), for safe mode (encrypt_type=aes). With a
                        key configured, plain messages are refused: a request cannot choose to
                        skip decryption (and so forge any openid with a replayed plain signature).
    WECHAT_ALLOW_PLAIN  1 to accept plain messages although a key is set, only while switching
                        the official account from plain to safe mode (default 0)
    WECHAT_API_BASE     API base address, default https://api.weixin.qq.com (tests use a stand-in)

Tuning, all optional:
    WECHAT_REPLY_BUDGET          seconds to wait for the assistant before answering "success" and
                                 delivering by customer-service message (default 4.0)
    WECHAT_TIMESTAMP_WINDOW      seconds a request's timestamp may differ from now (300)
    WECHAT_MAX_BODY_BYTES        largest request body (65536)
    WECHAT_RASA_TIMEOUT          seconds to wait for Rasa on the slow path (60)
    WECHAT_MEDIA_DIR             where images are kept (var/wechat_media)
    WECHAT_STATE_PREFIX          Redis key prefix (hotline-wechat, apart from Rasa's "hotline:")
    WECHAT_TOKEN_REFRESH_MARGIN  refresh the access token this many seconds before it expires (300)
    WECHAT_MENU_KEYS             JSON {"CLICK_KEY": "what the citizen is taken to say"}
    WECHAT_HOST / WECHAT_PORT    where to listen (127.0.0.1:8090)
The Rasa address and Redis come from bot.settings (HOTLINE_RASA_URL, HOTLINE_REDIS_URL).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Mapping, Optional

from bot.settings import PROJECT_ROOT, hotline_settings

DEFAULT_API_BASE = "https://api.weixin.qq.com"

# Custom menu CLICK keys and what the citizen is taken to have said. Payloads ("/intent") are
# the same stable contract as the buttons of the web chat.
DEFAULT_MENU_KEYS: Dict[str, str] = {
    "MY_TICKETS": "/ask_ticket_status",
    "TALK_TO_HUMAN": "/request_human",
    "NEW_COMPLAINT": "/complain",
    "NEW_HELP": "/seek_help",
    "NEW_REPORT": "/report",
    "NEW_SUGGESTION": "/suggest",
    "CONSULT": "/consult",
}


class ConfigError(RuntimeError):
    """The gateway cannot run with the environment it was given."""


@dataclass(frozen=True)
class WeChatConfig:
    token: str
    appid: str = ""
    appsecret: str = ""
    aes_key: str = ""
    api_base: str = DEFAULT_API_BASE
    rasa_url: str = "http://127.0.0.1:5005"
    redis_url: str = ""
    state_prefix: str = "hotline-wechat"
    reply_budget: float = 4.0
    timestamp_window: float = 300.0
    max_body_bytes: int = 64 * 1024
    rasa_timeout: float = 60.0
    media_dir: Path = PROJECT_ROOT / "var" / "wechat_media"
    max_media_bytes: int = 10 * 1024 * 1024
    token_refresh_margin: float = 300.0
    dedupe_ttl: int = 2 * 24 * 3600
    menu_keys: Dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MENU_KEYS))
    allow_plain: bool = False
    host: str = "127.0.0.1"
    port: int = 8090

    @property
    def safe_mode_ready(self) -> bool:
        return bool(self.aes_key and self.appid)

    @property
    def plain_accepted(self) -> bool:
        """Plain messages are for an account in plain mode, or one being switched on purpose."""
        return not self.safe_mode_ready or self.allow_plain

    @property
    def api_ready(self) -> bool:
        """The customer-service and media APIs need AppID and AppSecret."""
        return bool(self.appid and self.appsecret)

    def check(self) -> None:
        if not self.token:
            raise ConfigError("缺少 WECHAT_TOKEN（公众号后台“服务器配置”中的令牌 Token）")
        if self.aes_key and len(self.aes_key) != 43:
            raise ConfigError("WECHAT_AES_KEY 应为43个字符（公众号后台的 EncodingAESKey）")
        if self.aes_key and not self.appid:
            raise ConfigError("安全模式需要 WECHAT_APPID")
        if not 0 < self.reply_budget < 5:
            raise ConfigError("WECHAT_REPLY_BUDGET 应在0到5秒之间（微信服务器只等5秒）")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} 应为数字，收到 {raw!r}") from exc


def _menu(env: Mapping[str, str]) -> Dict[str, str]:
    keys = dict(DEFAULT_MENU_KEYS)
    raw = env.get("WECHAT_MENU_KEYS")
    if raw:
        try:
            extra = json.loads(raw)
        except ValueError as exc:
            raise ConfigError("WECHAT_MENU_KEYS 应为 JSON 对象，例如 {\"MY_TICKETS\": \"查询工单\"}") from exc
        if not isinstance(extra, dict):
            raise ConfigError("WECHAT_MENU_KEYS 应为 JSON 对象")
        keys.update({str(k): str(v) for k, v in extra.items()})
    return keys


def load_config(env: Optional[Mapping[str, str]] = None) -> WeChatConfig:
    env = os.environ if env is None else env
    settings = hotline_settings()
    media_dir = Path(env.get("WECHAT_MEDIA_DIR") or PROJECT_ROOT / "var" / "wechat_media")
    if not media_dir.is_absolute():
        media_dir = PROJECT_ROOT / media_dir
    return WeChatConfig(
        token=env.get("WECHAT_TOKEN", ""),
        appid=env.get("WECHAT_APPID", ""),
        appsecret=env.get("WECHAT_APPSECRET", ""),
        aes_key=env.get("WECHAT_AES_KEY", ""),
        api_base=(env.get("WECHAT_API_BASE") or DEFAULT_API_BASE).rstrip("/"),
        rasa_url=env.get("HOTLINE_RASA_URL") or settings.rasa_url,
        redis_url=env.get("HOTLINE_REDIS_URL", settings.redis_url) or "",
        state_prefix=env.get("WECHAT_STATE_PREFIX") or "hotline-wechat",
        reply_budget=_number(env, "WECHAT_REPLY_BUDGET", 4.0),
        timestamp_window=_number(env, "WECHAT_TIMESTAMP_WINDOW", 300.0),
        max_body_bytes=int(_number(env, "WECHAT_MAX_BODY_BYTES", 64 * 1024)),
        rasa_timeout=_number(env, "WECHAT_RASA_TIMEOUT", 60.0),
        media_dir=media_dir,
        max_media_bytes=int(_number(env, "WECHAT_MAX_MEDIA_BYTES", 10 * 1024 * 1024)),
        token_refresh_margin=_number(env, "WECHAT_TOKEN_REFRESH_MARGIN", 300.0),
        dedupe_ttl=int(_number(env, "WECHAT_DEDUPE_TTL", 2 * 24 * 3600)),
        menu_keys=_menu(env),
        allow_plain=env.get("WECHAT_ALLOW_PLAIN", "").strip().lower() in ("1", "true", "yes"),
        host=env.get("WECHAT_HOST") or "127.0.0.1",
        port=int(_number(env, "WECHAT_PORT", 8090)),
    )
