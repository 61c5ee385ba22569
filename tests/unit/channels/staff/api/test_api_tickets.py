"""The hotline office works a ticket through the staff API, on SQLite and PostgreSQL: the seat
dispatches, the department signs for, extends and answers, the seat closes and records the rating."""
from tests.support.staff_api import api, call
from tests.support.tickets import draft

OPS = "/api/tickets/{}/{}"


async def test_a_ticket_is_worked_through_the_api_and_its_history_names_everyone(store):
    number = store.open_ticket(draft(), request_key="k-1").number
    async with api(store) as client:
        status, listed = await call(client, "GET", "/api/tickets?status=accepted")
        assert status == 200 and listed["total"] == 1 and listed["tickets"][0]["card"] == "green"

        status, body = await call(client, "POST", OPS.format(number, "close"))
        assert status == 409 and "不能办结" in body["error"]["message"] and "当前可以：派单" in body["error"]["message"]

        status, ticket = await call(client, "POST", OPS.format(number, "dispatch"), body={"department": "chengguan"})
        assert status == 200 and ticket["status"] == "dispatched" and ticket["department"] == "市城市管理综合执法局"
        assert (await call(client, "POST", OPS.format(number, "accept"), "handler"))[0] == 200
        status, ticket = await call(client, "POST", OPS.format(number, "extend"), "handler",
                                    {"days": 5, "reason": "需要夜间现场测量噪声"})
        # A department asks; the hotline office decides (POST .../extension, supervision API).
        assert status == 200 and ticket["deadline"] == "2026-12-07" and ticket["pending_extension"]["days"] == 5
        status, ticket = await call(client, "POST", OPS.format(number, "extension"), "office",
                                    {"approve": True, "reason": "同意"})
        assert status == 200 and ticket["deadline"] == "2026-12-14" and ticket["extended_days"] == 5
        status, body = await call(client, "POST", OPS.format(number, "extend"), "handler", {"days": 11, "reason": "再延"})
        assert status == 400 and "最多还能延期10个工作日" in body["error"]["message"]
        await call(client, "POST", OPS.format(number, "reply"), "handler", {"answer": "已责令烧烤摊晚十点前收摊。"})
        assert (await call(client, "POST", OPS.format(number, "close")))[1]["status"] == "closed"
        status, ticket = await call(client, "POST", OPS.format(number, "rate"),
                                    body={"rating": "unsatisfied", "reason": "电话回访：晚上还是吵"})
        assert status == 200 and ticket["status"] == "reopened" and ticket["redo_count"] == 1

        status, shown = await call(client, "GET", f"/api/tickets/{number}", "readonly")
    assert [(e["action"], e["actor"]) for e in shown["history"]] == [
        ("opened", "assistant"), ("dispatch", "热线坐席:王芳"), ("accept", "承办人:市城市管理综合执法局/李强"),
        ("extend_request", "承办人:市城市管理综合执法局/李强"), ("extend", "热线办:孙丽"),
        ("reply", "承办人:市城市管理综合执法局/李强"),
        ("close", "热线坐席:王芳"), ("rate", "热线坐席:王芳")]
    assert shown["history"][1]["at"] == "2026-11-23T10:00:00+08:00"


async def test_a_department_handler_sees_and_touches_only_its_own_tickets(store):
    ours = store.open_ticket(draft(), request_key="a").number
    theirs = store.open_ticket(draft(text="邻居家狗天天叫"), request_key="b").number
    async with api(store) as client:
        await call(client, "POST", OPS.format(ours, "dispatch"), body={"department": "chengguan"})
        await call(client, "POST", OPS.format(theirs, "dispatch"), body={"department": "gongan"})
        status, listed = await call(client, "GET", "/api/tickets", "handler")
        assert status == 200 and [t["number"] for t in listed["tickets"]] == [ours]
        assert (await call(client, "GET", f"/api/tickets/{theirs}", "handler"))[0] == 404
        status, body = await call(client, "POST", OPS.format(theirs, "reply"), "handler", {"answer": "已处理"})
        assert status == 404 and body["error"]["code"] == "ticket_not_found"
        status, body = await call(client, "POST", OPS.format(ours, "return"), "handler", {"reason": "属公安职责"})
        assert status == 200 and body["status"] == "dispatched" and body["pending_return"]["reason"] == "属公安职责"
        status, body = await call(client, "POST", OPS.format(ours, "return-review"), "office",
                                  {"approve": True, "reason": "同意退回"})
        assert status == 200 and body["status"] == "returned"
        # Returned: the ticket has left the department.
        assert (await call(client, "GET", f"/api/tickets/{ours}", "handler"))[0] == 404


async def test_filters_by_card_type_department_and_date(store, clock):
    late = store.open_ticket(draft(request_type="consult", text="公积金怎么提取"), request_key="a").number
    clock.set(2026, 11, 27, 9, 0)
    fresh = store.open_ticket(draft(), request_key="b").number
    async with api(store) as client:
        status, red = await call(client, "GET", "/api/tickets?card=red")
        assert status == 200 and [t["number"] for t in red["tickets"]] == [late]
        assert red["tickets"][0]["card_label"] == "红牌"
        _, by_type = await call(client, "GET", "/api/tickets?type=complain,suggest&created_from=2026-11-27")
        assert [t["number"] for t in by_type["tickets"]] == [fresh]
        _, by_date = await call(client, "GET", "/api/tickets?created_to=2026-11-26&limit=1")
        assert by_date["total"] == 1 and by_date["limit"] == 1
        _, by_department = await call(client, "GET", "/api/tickets?department=市城市管理综合执法局")
        assert by_department["total"] == 0
