"""The hotline office dispatches by hand through the staff API, on SQLite and PostgreSQL: the manual
dispatch queue with the router's candidates, dispatch with a lead and co-handlers (牵头/协办), and
a co-handling department recording its part without answering."""
from tests.support.staff_api import api, call
from tests.support.tickets import OLD_ROUTING, draft, routed_draft, routing

OPS = "/api/tickets/{}/{}"
QUEUE = "/api/dispatch/queue"


async def test_the_queue_lists_abstained_tickets_first_with_the_top_three_candidates(store, clock):
    suggested = store.open_ticket(routed_draft(routing(co=["gongan"])), request_key="a").number
    clock.set(2026, 11, 23, 11, 0)
    abstained = store.open_ticket(routed_draft(routing(abstain=True, confidence=0.3, unknown_place="幸福里小区",
                                                       candidates=(("zhujian", 0.3), ("chengguan", 0.28),
                                                                   ("shichang", 0.2)))),
                                  request_key="b").number
    old = store.open_ticket(routed_draft(OLD_ROUTING, text="路灯坏了一个月"), request_key="c").number
    async with api(store) as client:
        status, queue = await call(client, "GET", QUEUE)
        assert status == 200 and queue["total"] == 3
        assert [t["number"] for t in queue["tickets"]] == [abstained, suggested, old]
        first = queue["tickets"][0]
        assert first["lead"] is None and first["suggestion"]["abstain"] is True
        assert [(c["id"], c["confidence"]) for c in first["suggestion"]["candidates"]] == [
            ("zhujian", 0.3), ("chengguan", 0.28), ("shichang", 0.2)]
        assert first["suggestion"]["unknown_place"] == "幸福里小区" and first["suggestion"]["why"]["matched"] == ["烧烤"]
        second = queue["tickets"][1]
        assert second["lead"] == {"id": "chengguan", "name": "市城市管理综合执法局"}
        assert second["co_handlers"] == [{"id": "gongan", "name": "市公安局"}]
        assert [c["id"] for c in queue["tickets"][2]["suggestion"]["candidates"]] == ["chengguan", "shengtai"]

        await call(client, "POST", OPS.format(abstained, "dispatch"), body={"department": "zhujian"})
        _, queue = await call(client, "GET", f"{QUEUE}?limit=1")
        assert queue["total"] == 2 and [t["number"] for t in queue["tickets"]] == [suggested]
        for who in ("handler", "readonly"):
            status, body = await call(client, "GET", QUEUE, who)
            assert status == 403 and "无权" in body["error"]["message"]
        status, body = await call(client, "GET", f"{QUEUE}?status=accepted")
        assert status == 400 and "未知的查询参数：status" in body["error"]["message"]


async def test_a_returned_ticket_waits_in_the_queue_with_who_returned_it_and_why(store):
    number = store.open_ticket(draft(), request_key="a").number
    async with api(store) as client:
        await call(client, "POST", OPS.format(number, "dispatch"), body={"department": "chengguan"})
        await call(client, "POST", OPS.format(number, "return"), "handler", {"reason": "占道经营由市场监管查处"})
        _, queue = await call(client, "GET", QUEUE)
        assert queue["total"] == 0          # a return waits for the office's review first
        await call(client, "POST", OPS.format(number, "return-review"), "office", {"approve": True, "reason": "同意"})
        _, queue = await call(client, "GET", QUEUE)
    returned = queue["tickets"][0]["returned"]
    assert queue["total"] == 1 and returned["detail"]["reason"] == "占道经营由市场监管查处"
    assert returned["actor"] == "承办人:市城市管理综合执法局/李强"


async def test_the_office_names_lead_and_co_handlers_and_the_co_handler_only_assists(store):
    number = store.open_ticket(routed_draft(routing(co=["shichang"])), request_key="a").number
    async with api(store) as client:
        status, body = await call(client, "POST", OPS.format(number, "dispatch"),
                                  body={"department": "chengguan", "co_handlers": ["chengguan"]})
        assert status == 400 and "已是牵头单位，不能同时作为协办单位" in body["error"]["message"]
        status, body = await call(client, "POST", OPS.format(number, "dispatch"),
                                  body={"department": "chengguan", "co_handlers": "gongan"})
        assert status == 400 and "co_handlers" in body["error"]["message"]
        status, ticket = await call(client, "POST", OPS.format(number, "dispatch"),
                                    body={"department": "chengguan", "co_handlers": ["gongan"]})
        assert status == 200 and ticket["lead"]["name"] == "市城市管理综合执法局"
        assert ticket["co_handlers"] == [{"id": "gongan", "name": "市公安局"}]
        assert ticket["suggestion"]["co_handlers"][0]["id"] == "shichang"     # what the router had said

        status, seen = await call(client, "GET", f"/api/tickets/{number}", "police")
        assert status == 200 and seen["your_part"] == "co" and seen["your_part_label"] == "协办"
        assert seen["allowed_operations"] == ["assist"]
        lead_view = (await call(client, "GET", f"/api/tickets/{number}", "handler"))[1]
        assert lead_view["your_part_label"] == "牵头" and "assist" not in lead_view["allowed_operations"]
        assert "suggestion" not in seen and seen["contact"]["phone"] == "138****5678"
        _, listed = await call(client, "GET", "/api/tickets", "police")
        assert [t["number"] for t in listed["tickets"]] == [number]

        status, body = await call(client, "POST", OPS.format(number, "reply"), "police", {"answer": "已处理"})
        assert status == 409 and "本单位为协办单位" in body["error"]["message"]
        status, ticket = await call(client, "POST", OPS.format(number, "assist"), "police",
                                    {"opinion": "已核查摊主无证经营，周五配合联合执法"})
        assert status == 200 and ticket["history"][-1]["action"] == "assist"
        status, body = await call(client, "POST", OPS.format(number, "assist"), "handler", {"opinion": "自己协办"})
        assert status == 409 and "直接办理答复" in body["error"]["message"]
        assert (await call(client, "POST", OPS.format(number, "assist"), body={"opinion": "坐席"}))[0] == 403

        status, ticket = await call(client, "POST", OPS.format(number, "reassign"),
                                    body={"department": "chengguan", "reason": "不需公安配合", "co_handlers": []})
        assert status == 200 and ticket["co_handlers"] == []
        assert (await call(client, "GET", f"/api/tickets/{number}", "police"))[0] == 404
