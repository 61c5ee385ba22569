"""Fixtures: the WeChat API stand-in, gateway processes (python -m channels.wechat) pointed at the
session's real Rasa, Redis for the shared-state tests, and citizens talking through WeChat."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterator, List, Optional

import pytest

from hotline.stack import free_port
from tests.support.wechat.gateway_process import GatewayProcess, start_gateway
from tests.support.wechat.standin import WeChatApiStandIn
from tests.support.wechat.wechat_side import APPID, APPSECRET, Citizen, WeChatServer


@pytest.fixture(scope="session")
def wechat_api() -> Iterator[WeChatApiStandIn]:
    standin = WeChatApiStandIn(APPID, APPSECRET).start()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def wechat_folder(tmp_path_factory) -> Path:
    return Path(tmp_path_factory.mktemp("wechat"))


@pytest.fixture(scope="session")
def gateway(stack, stack_database_url, wechat_api, wechat_folder) -> Iterator[GatewayProcess]:
    """The gateway as deployed: four seconds of reply budget, state in this process."""
    process = start_gateway(stack.rasa_url, wechat_api.url, wechat_folder,
                            {"HOTLINE_DATABASE_URL": stack_database_url}, name="main")
    yield process
    process.stop()


@pytest.fixture
def launch(stack, stack_database_url, wechat_api, wechat_folder) -> Iterator:
    """Start more gateway processes for one test (other settings, Redis); stopped after it."""
    started: List[GatewayProcess] = []

    def _launch(name: str, api: Optional[WeChatApiStandIn] = None, **extra_env: str) -> GatewayProcess:
        env = {"HOTLINE_DATABASE_URL": stack_database_url, **extra_env}
        process = start_gateway(stack.rasa_url, (api or wechat_api).url, wechat_folder, env, name)
        started.append(process)
        return process
    yield _launch
    for process in started:
        process.stop()


@pytest.fixture
def server(gateway) -> WeChatServer:
    return WeChatServer(gateway.url)


@pytest.fixture
def citizen(server) -> Citizen:
    return Citizen(server)


# -- Redis ---------------------------------------------------------------------------------------

def _redis_answers(url: str) -> bool:
    import redis
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_server_url(tmp_path_factory) -> Iterator[str]:
    """This machine's Redis on 127.0.0.1:6379, else a redis-server started from PATH on a free port."""
    url = os.environ.get("WECHAT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    if _redis_answers(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("these tests need Redis: none answers on 127.0.0.1:6379 and redis-server is not on PATH "
                    "(apt-get install redis-server, or set WECHAT_TEST_REDIS_URL)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not _redis_answers(url):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"redis-server on port {port} did not start")
        time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def redis_prefix(redis_server_url) -> Iterator[str]:
    """A random key prefix in db 0; every key under it is deleted afterwards."""
    import redis
    prefix = f"test-wechat-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_server_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()

