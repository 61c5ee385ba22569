"""A gateway process as deployed: `python -m channels.wechat` with its configuration in the
environment, pointed at a Rasa server and at a stand-in of the WeChat API."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

from bot.settings import PROJECT_ROOT
from hotline.stack import free_port
from tests.wechat.wechat_side import AES_KEY, APPID, APPSECRET, TOKEN


@dataclass
class GatewayProcess:
    process: subprocess.Popen
    port: int
    log_path: Path
    media_dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/wechat"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gateway(rasa_url: str, api_base: str, folder: Path, extra_env: Optional[Dict[str, str]] = None,
                  name: str = "gateway") -> GatewayProcess:
    port = free_port()
    media_dir = folder / f"{name}-media"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECHAT_", "HOTLINE_REDIS"))}
    env.update({
        "PYTHONPATH": str(PROJECT_ROOT), "HOTLINE_RASA_URL": rasa_url,
        "WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID, "WECHAT_APPSECRET": APPSECRET, "WECHAT_AES_KEY": AES_KEY,
        "WECHAT_API_BASE": api_base, "WECHAT_MEDIA_DIR": str(media_dir),
    })
    env.update(extra_env or {})
    log_path = folder / f"{name}-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "channels.wechat", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    gateway = GatewayProcess(process, port, log_path, media_dir)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gateway exited with {process.returncode}:\n{gateway.log()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return gateway
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    gateway.stop()
    raise RuntimeError(f"gateway not ready within 30 s:\n{gateway.log()}")
