"""Who may call the staff API, and what bad input gets back: always JSON, always a clear reason."""
import pytest

from tests.support.staff_api import api, auth, call
from tests.support.tickets import draft


def typed(content_type: str) -> dict:
    return dict(auth("seat"), **{"Content-Type": content_type})


@pytest.fixture
def number(store):
    return store.open_ticket(draft(), request_key="k-1").number


async def test_no_token_or_an_unknown_token_is_401_and_a_role_without_the_right_is_403(store, number):
    async with api(store) as client:
        for headers in ({}, {"Authorization": "Bearer not-a-known-token-000000"}, {"Authorization": "Basic abc"}):
            response = await client.get("/api/tickets", headers=headers)
            body = await response.json()
            assert response.status == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
            assert "令牌" in body["error"]["message"]
        status, body = await call(client, "POST", f"/api/tickets/{number}/dispatch", "readonly",
                                  {"department": "gongan"})
        assert status == 403 and "只读无权" in body["error"]["message"]
        assert (await call(client, "POST", f"/api/tickets/{number}/close", "handler"))[0] == 403
        assert (await call(client, "POST", f"/api/tickets/{number}/accept", "seat"))[0] == 403
        status, me = await call(client, "GET", "/api/me", "handler")
        assert status == 200 and me["department_id"] == "chengguan" and me["privacy"] == "consented"


@pytest.mark.parametrize("path, message", [
    ("/api/tickets?colour=red", "未知的查询参数：colour"),
    ("/api/tickets?status=done", "未知的状态：done"),
    ("/api/tickets?card=purple", "未知的预警牌：purple"),
    ("/api/tickets?created_from=22/11/2026", "YYYY-MM-DD"),
    ("/api/tickets?created_from=2026-12-01&created_to=2026-11-01", "不能晚于"),
    ("/api/tickets?limit=5000", "limit 应在 1 到 200 之间"),
    ("/api/tickets?department=不存在的局", "部门目录中没有“不存在的局”"),
])
async def test_bad_filters_are_400_with_the_reason(path, message):
    async with api(store=None) as client:       # refused before any database is opened
        status, body = await call(client, "GET", path)
    assert status == 400 and message in body["error"]["message"]


async def test_bad_bodies_are_refused_before_anything_changes(store, number):
    path = f"/api/tickets/{number}/dispatch"
    async with api(store) as client:
        for body, message in [({}, "缺少字段 department"), ({"department": 3}, "字段 department 应为文字"),
                              ({"department": "gongan", "priority": 1}, "不认识的字段：priority"),
                              ([1, 2], "应为 JSON 对象"), ({"department": "市魔法部"}, "部门目录中没有")]:
            status, answer = await call(client, "POST", path, body=body)
            assert status == 400 and message in answer["error"]["message"], body
        response = await client.post(path, data="{department: gongan", headers=typed("application/json"))
        assert response.status == 400 and "不是合法的 JSON" in (await response.json())["error"]["message"]
        response = await client.post(path, data="department=gongan", headers=typed("application/x-www-form-urlencoded"))
        assert response.status == 415
        response = await client.post(f"/api/tickets/{number}/reply", json={"answer": "很长" * 5000}, headers=auth("seat"))
        assert response.status == 413 and (await response.json())["error"]["code"] == "body_too_large"
        assert (await call(client, "GET", "/api/tickets/209901010001"))[0] == 404
        assert (await call(client, "DELETE", f"/api/tickets/{number}"))[0] == 405
    assert [e.action for e in store.get(number).events] == ["opened"]
