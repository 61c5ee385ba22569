"""The dispatch page (派单台) on the staff server, in-process: served at /seats/dispatch beside the
seat console and linked from its header, its files from /static/seats/, nothing fetched from
elsewhere; like the console, the page itself holds no data and everything it shows or does goes
through the staff API with a seat's token (401 without one, 403 for the other roles)."""
from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from channels.staff.app import STATIC, create_app
from tests.support.seats.fakes import STAFF_YAML, TOKENS

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture
async def staff(monkeypatch, tmp_path):
    monkeypatch.delenv("HOTLINE_STAFF_TOKENS_FILE", raising=False)
    monkeypatch.setenv("HOTLINE_STAFF_TOKENS", STAFF_YAML)
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path / 'tickets.db'}")
    client = TestClient(TestServer(create_app()))
    await client.start_server()
    yield client
    await client.close()


def bearer(name: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[name]}"}


async def test_the_page_is_served_beside_the_console_with_its_own_files_and_the_consoles_login(staff):
    response = await staff.get("/seats/dispatch")
    page = await response.text()
    assert response.status == 200 and response.content_type == "text/html"
    assert "<title>12345 派单台</title>" in page and 'id="login-form"' in page and 'href="/seats"' in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/seats/staff.js" in sources and "/static/seats/dispatch.js" in sources
    assert all(s.startswith("/") for s in sources), sources      # no external downloads
    for path in ("/static/seats/staff.js", "/static/seats/dispatch.js", "/static/seats/dispatch.css"):
        assert (await staff.get(path)).status == 200, path

    console = await (await staff.get("/seats")).text()
    assert 'href="/seats/dispatch"' in console and "/static/seats/staff.js" in console
    # One login and token code for both pages (staff.js), not a copy in each.
    for script in ("seats.js", "dispatch.js"):
        text = (STATIC / "seats" / script).read_text(encoding="utf-8")
        assert "HotlineStaff.session(" in text and "HotlineStaff.startLogin(" in text
        assert "sessionStorage.setItem" not in text and "\"Authorization\"" not in text, script


async def test_what_the_page_uses_is_protected_as_the_console_is(staff):
    for method, path in (("GET", "/api/dispatch/queue"), ("POST", "/api/tickets/202611230001/dispatch"),
                         ("GET", "/api/departments"), ("GET", "/seats/api/queue")):
        response = await staff.request(method, path, json={"department": "chengguan"})
        assert response.status == 401, path
        assert "需要身份令牌" in (await response.json())["error"]["message"]
    response = await staff.get("/api/dispatch/queue", headers={"Authorization": "Bearer not-a-known-token-0000"})
    assert response.status == 401 and "身份令牌无效" in (await response.json())["error"]["message"]
    for who in ("赵敏", "孙伟"):       # read-only and a department handler look, never dispatch
        response = await staff.get("/api/dispatch/queue", headers=bearer(who))
        assert response.status == 403 and "无权" in (await response.json())["error"]["message"]
        response = await staff.post("/api/tickets/202611230001/dispatch", headers=bearer(who),
                                    json={"department": "chengguan"})
        assert response.status == 403
    me = await staff.get("/api/me", headers=bearer("王芳"))
    assert me.status == 200 and (await me.json())["role"] == "seat"
    departments = await (await staff.get("/api/departments", headers=bearer("王芳"))).json()
    assert any(d["id"] == "chengguan" for d in departments["departments"])
