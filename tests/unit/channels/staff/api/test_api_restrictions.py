"""The restriction list in the staff API: seats restrict and lift, read-only staff may look, handlers
may not; at most 30 days; the restricted number never comes back in any response."""
from tests.support.staff_api import api, auth, call

RAW = "+86 138-1234-5678"
ADD = {"kind": "phone", "value": RAW, "reason": "多次辱骂话务员", "days": 30}


async def test_a_seat_restricts_lists_and_lifts_and_the_number_never_comes_back(store):
    seen = []
    async with api(store) as client:
        async def request(method, path, who="seat", body=None):
            response = await client.request(method, path, headers=auth(who), json=body)
            seen.append(await response.text())
            return response.status, await response.json()

        status, added = await request("POST", "/api/restrictions", body=ADD)
        assert status == 201 and added["shown"] == "138****5678" and added["created_by"] == "热线坐席:王芳"
        assert added["until"] == "2026年12月23日" and added["active"] is True
        status, again = await request("POST", "/api/restrictions", body=dict(ADD, value="13812345678"))
        assert status == 409 and "已被限制至2026年12月23日" in again["error"]["message"]
        for who in ("seat", "readonly"):
            status, listed = await request("GET", "/api/restrictions", who)
            assert status == 200 and [r["id"] for r in listed["restrictions"]] == [added["id"]]
        status, lifted = await request("POST", f"/api/restrictions/{added['id']}/lift", body={"reason": "误加"})
        assert status == 200 and lifted["status"] == "lifted" and lifted["lifted_by"] == "热线坐席:王芳"
        status, twice = await request("POST", f"/api/restrictions/{added['id']}/lift", body={"reason": "再次"})
        assert status == 409 and "已于" in twice["error"]["message"]
        assert (await request("GET", "/api/restrictions"))[1]["total"] == 0
        status, everything = await request("GET", "/api/restrictions?include_past=true", "readonly")
        assert status == 200 and everything["restrictions"][0]["lift_reason"] == "误加"
    for text in seen:
        assert "1234" not in text, text


async def test_readonly_may_not_restrict_and_handlers_may_not_even_look(store):
    async with api(store) as client:
        status, body = await call(client, "POST", "/api/restrictions", "readonly", ADD)
        assert status == 403 and "只读无权" in body["error"]["message"]
        assert (await call(client, "GET", "/api/restrictions", "handler"))[0] == 403
        assert (await call(client, "POST", "/api/restrictions", "handler", ADD))[0] == 403
        assert (await call(client, "GET", "/api/restrictions", None))[0] == 401
        status, added = await call(client, "POST", "/api/restrictions", "seat", ADD)
        assert status == 201
        status, _ = await call(client, "POST", f"/api/restrictions/{added['id']}/lift", "readonly", {"reason": "x"})
        assert status == 403
        assert (await call(client, "GET", "/api/restrictions", "seat"))[1]["total"] == 1


async def test_more_than_30_days_and_bad_bodies_are_400_with_the_reason(store):
    async with api(store) as client:
        for body, message in [
            (dict(ADD, days=31), "限制最长 30 个自然日"),
            (dict(ADD, days="30"), "字段 days 应为整数"),
            (dict(ADD, kind="email"), "未知的限制类型：email"),
            (dict(ADD, reason=" "), "请填写限制原因"),
            ({k: v for k, v in ADD.items() if k != "value"}, "缺少字段 value"),
            (dict(ADD, note="x"), "不认识的字段：note"),
        ]:
            status, answer = await call(client, "POST", "/api/restrictions", "seat", body)
            assert status == 400 and message in answer["error"]["message"], body
            assert "1234" not in str(answer)
        assert (await call(client, "GET", "/api/restrictions?include_past=maybe"))[0] == 400
        assert (await call(client, "GET", "/api/restrictions?kind=phone"))[0] == 400
        status, missing = await call(client, "POST", "/api/restrictions/999/lift", "seat", {"reason": "x"})
        assert status == 404 and "没有编号为 999 的限制记录" in missing["error"]["message"]
        assert (await call(client, "POST", "/api/restrictions/abc/lift", "seat", {"reason": "x"}))[0] == 404
        assert (await call(client, "POST", "/api/restrictions/999/lift", "seat", {}))[0] == 400
        assert (await call(client, "GET", "/api/restrictions", "seat"))[1]["total"] == 0
