"""A server of the project started as deployed (`python -m <module> --host --port`), for tests
that need a real process: the WeChat gateway, the web server with the seat console."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

from bot.settings import PROJECT_ROOT
from hotline.stack import free_port


@dataclass
class ServerProcess:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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


def spawn(module: str, env: Dict[str, str], folder: Path, name: str) -> ServerProcess:
    """Start `python -m module` on a free port with exactly this environment; not yet ready."""
    port = free_port()
    log_path = folder / f"{name}-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return ServerProcess(process, port, log_path)


def wait_ready(server: ServerProcess, name: str, seconds: float = 30) -> None:
    """Until /healthz answers; a server that exits or never answers is stopped and reported with its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited with {server.process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} not ready within {seconds:.0f} s:\n{server.log()}")
