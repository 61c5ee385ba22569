"""The staff API in-process: a bare aiohttp app with the API mounted on a test store and staff."""
from __future__ import annotations

import contextlib
from typing import AsyncIterator, Optional

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.tickets.store import TicketStore
from channels.staff.api import mount_api
from channels.staff.api.config import ApiSettings
from channels.staff.api.staff import StaffDirectory

TOKENS = {
    "seat": "seat-token-for-tests-0001",
    "handler": "handler-chengguan-token-0002",
    "police": "handler-gongan-token-00003",
    "readonly": "readonly-token-for-tests-04",
    "office": "office-token-for-tests-00005",
}
STAFF_YAML = f"""
staff:
  - {{name: 王芳, role: seat, token: {TOKENS['seat']}}}
  - {{name: 李强, role: handler, department: chengguan, token: {TOKENS['handler']}}}
  - {{name: 赵刚, role: handler, department: gongan, token: {TOKENS['police']}}}
  - {{name: 督查员, role: readonly, token: {TOKENS['readonly']}}}
  - {{name: 孙丽, role: office, token: {TOKENS['office']}}}
"""
STAFF = StaffDirectory.parse(STAFF_YAML, "tests")
SETTINGS = ApiSettings(max_body_bytes=4096, default_page_size=50, max_page_size=200)


def auth(who: Optional[str]) -> dict:
    return {"Authorization": f"Bearer {TOKENS[who]}"} if who else {}


@contextlib.asynccontextmanager
async def api(store: Optional[TicketStore]) -> AsyncIterator[TestClient]:
    app = web.Application()
    mount_api(app, settings=SETTINGS, open_store=lambda: store, staff=lambda: STAFF)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def call(client: TestClient, method: str, path: str, who: Optional[str] = "seat", body=None):
    response = await client.request(method, path, headers=auth(who), json=body)
    return response.status, await response.json()
