"""Fixtures for the seat tests against the real assistant: a web server of our own (the console
at /seats, the chat page at /) pointed at the session's Rasa and ticket database, a WeChat
gateway with the API stand-in, staff tokens, and a client of the console's API.

The web server is started here, not taken from the session stack, because it needs settings the
stack does not give (staff tokens, the gateway's address and relay secret).
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest
import requests

from bot.settings import PROJECT_ROOT
from tests.support.browser import browser_factory, screenshot  # noqa: F401 - fixtures reused
from tests.support.seats.fakes import STAFF_YAML, TOKENS
from tests.support.processes import ServerProcess, spawn, wait_ready
from tests.support.wechat.gateway_process import GatewayProcess, start_gateway
from tests.support.wechat.standin import WeChatApiStandIn
from tests.support.wechat.wechat_side import APPID, APPSECRET

RELAY_SECRET = "seat-relay-secret-for-tests-0123"


WebProcess = ServerProcess


def start_web(env_extra: dict, folder: Path, module: str = "channels.web") -> WebProcess:
    """A web server of the project on a free port: the citizens' (channels.web) or the staff's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_STAFF", "HOTLINE_WECHAT", "HOTLINE_GATEWAY"))}
    env.update({"PYTHONPATH": str(PROJECT_ROOT), "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}, **env_extra)
    web = spawn(module, env, folder, module.split(".")[-1])
    wait_ready(web, f"{module} server")
    return web


def start_staff(env_extra: dict, folder: Path) -> WebProcess:
    """The staff's server (seat console, staff API): channels.staff."""
    return start_web(env_extra, folder, "channels.staff")


@pytest.fixture(scope="session")
def seat_folder(tmp_path_factory) -> Path:
    return Path(tmp_path_factory.mktemp("seats"))


@pytest.fixture(scope="session")
def staff_tokens_file(seat_folder) -> Path:
    path = seat_folder / "staff_tokens.yml"
    path.write_text(STAFF_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def seat_wechat_api() -> Iterator[WeChatApiStandIn]:
    standin = WeChatApiStandIn(APPID, APPSECRET).start()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def seat_gateway(stack, stack_database_url, seat_wechat_api, seat_folder) -> Iterator[GatewayProcess]:
    gateway = start_gateway(stack.rasa_url, seat_wechat_api.url, seat_folder,
                            {"HOTLINE_GATEWAY_SECRET": RELAY_SECRET, "HOTLINE_DATABASE_URL": stack_database_url},
                            name="seats")
    yield gateway
    gateway.stop()


@pytest.fixture(scope="session")
def seat_web(stack, stack_database_url, staff_tokens_file, seat_gateway, seat_folder) -> Iterator[WebProcess]:
    """The staff's server (console and staff API) of the session's stack, relaying to its own
    WeChat gateway; citizens chat on the stack's own web server (web_url)."""
    web = start_staff({"HOTLINE_RASA_URL": stack.rasa_url, "HOTLINE_DATABASE_URL": stack_database_url,
                     "HOTLINE_STAFF_TOKENS_FILE": str(staff_tokens_file),
                     "HOTLINE_WECHAT_GATEWAY_URL": f"http://127.0.0.1:{seat_gateway.port}",
                     "HOTLINE_GATEWAY_SECRET": RELAY_SECRET}, seat_folder)
    yield web
    web.stop()


class SeatClient:
    """A seat using the console's API (what the console page does, without the page)."""

    def __init__(self, base: str, seat: str):
        self.base = base.rstrip("/") + "/seats/api"
        self.headers = {"Authorization": f"Bearer {TOKENS[seat]}"}

    def call(self, method: str, path: str, body: Optional[dict] = None) -> requests.Response:
        return requests.request(method, self.base + path, json=body, headers=self.headers, timeout=60)

    def ok(self, method: str, path: str, body: Optional[dict] = None) -> dict:
        response = self.call(method, path, body)
        assert response.status_code == 200, response.text
        return response.json()

    def waiting_for(self, sender_id: str, timeout: float = 20) -> dict:
        """The waiting queue entry of this conversation."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in self.ok("GET", "/queue")["waiting"]:
                if entry["sender_id"] == sender_id:
                    return entry
            time.sleep(0.2)
        raise AssertionError(f"no waiting conversation for {sender_id!r}: {self.ok('GET', '/queue')}")

    def transcript(self, entry_id: int) -> list:
        return self.ok("GET", f"/conversations/{entry_id}")["transcript"]


@pytest.fixture
def seat_client(seat_web):
    return lambda seat="王芳": SeatClient(seat_web.url, seat)


def wait_for(condition, timeout: float = 20, interval: float = 0.2, message: str = "condition not met"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message)
