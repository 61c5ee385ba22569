"""A gateway process as deployed: `python -m channels.wechat` with its configuration in the
environment, pointed at a Rasa server and at a stand-in of the WeChat API."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

from bot.settings import PROJECT_ROOT
from tests.support.processes import ServerProcess, spawn, wait_ready
from tests.support.wechat.wechat_side import AES_KEY, APPID, APPSECRET, TOKEN


@dataclass
class GatewayProcess(ServerProcess):
    media_dir: Path = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/wechat"


def start_gateway(rasa_url: str, api_base: str, folder: Path, extra_env: Optional[Dict[str, str]] = None,
                  name: str = "gateway") -> GatewayProcess:
    media_dir = folder / f"{name}-media"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECHAT_", "HOTLINE_REDIS"))}
    env.update({
        "PYTHONPATH": str(PROJECT_ROOT), "HOTLINE_RASA_URL": rasa_url,
        "WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID, "WECHAT_APPSECRET": APPSECRET, "WECHAT_AES_KEY": AES_KEY,
        "WECHAT_API_BASE": api_base, "WECHAT_MEDIA_DIR": str(media_dir),
        # An account being switched to safe mode: both kinds of message are exercised. A gateway
        # that refuses plain messages once a key is set is tests/security/test_wechat_safe_mode.py.
        "WECHAT_ALLOW_PLAIN": "1",
    })
    env.update(extra_env or {})
    server = spawn("channels.wechat", env, folder, name)
    gateway = GatewayProcess(server.process, server.port, server.log_path, media_dir)
    wait_ready(gateway, "gateway")
    return gateway
