"""The hotline office's desk through the staff API, on SQLite and PostgreSQL: only the office
supervises and reviews, a handler sees the urgings sent to its department and its own pending
requests, bad bodies are refused in Chinese."""
import pytest

from tests.support.staff_api import api, call
from tests.support.tickets import draft

OPS = "/api/tickets/{}/{}"
DESK = "/api/supervision"


async def dispatched(client, store, key, department="chengguan", **changes):
    number = store.open_ticket(draft(**changes), request_key=key).number
    status, _ = await call(client, "POST", OPS.format(number, "dispatch"), body={"department": department})
    assert status == 200
    return number


async def test_the_office_supervises_urges_escalates_and_lifts_and_the_desk_lists_it(store, clock):
    async with api(store) as client:
        late = await dispatched(client, store, "a", request_type="consult", text="公积金怎么提取")
        clock.set(2026, 11, 27, 9, 0)                                   # the consultation is overdue
        _, desk = await call(client, "GET", DESK, "office")
        assert [t["number"] for t in desk["red_unsupervised"]] == [late] and desk["supervised"] == []
        assert desk["extension_requests"] == [] and desk["returns"] == []
        assert "suggestion" in desk["red_unsupervised"][0]              # the office may redispatch

        status, ticket = await call(client, "POST", OPS.format(late, "supervise"), "office", {"reason": "逾期未办结"})
        assert status == 200 and ticket["supervised"] and ticket["history"][-1]["action"] == "supervise"
        status, ticket = await call(client, "POST", OPS.format(late, "urge"), "office", {"text": "请今日内答复诉求人"})
        assert status == 200 and ticket["urgings"][0]["text"] == "请今日内答复诉求人"
        status, ticket = await call(client, "POST", OPS.format(late, "escalate"), "office", {"reason": "仍未答复"})
        assert status == 200 and ticket["supervision"]["level_label"] == "承办单位分管领导"
        _, desk = await call(client, "GET", DESK, "office")
        assert [t["number"] for t in desk["supervised"]] == [late] and desk["red_unsupervised"] == []

        status, body = await call(client, "POST", OPS.format(late, "supervise"), "office", {"reason": "再督办"})
        assert status == 409 and "已在督办中" in body["error"]["message"]
        status, ticket = await call(client, "POST", OPS.format(late, "unsupervise"), "office", {"note": "已答复"})
        assert status == 200 and ticket["supervised"] is False


async def test_only_the_office_supervises_and_reviews(store):
    async with api(store) as client:
        number = await dispatched(client, store, "a")
        for who in ("seat", "handler", "readonly"):
            assert (await call(client, "GET", DESK, who))[0] == 403
            for route, body in (("supervise", {"reason": "督办"}), ("urge", {"text": "催办"}),
                                ("escalate", {"reason": "升级"}), ("unsupervise", {"note": "解除"}),
                                ("extension", {"approve": True, "reason": "同意"}),
                                ("return-review", {"approve": True, "reason": "同意"})):
                status, refused = await call(client, "POST", OPS.format(number, route), who, body)
                assert status == 403 and "无权" in refused["error"]["message"], (who, route)
        assert (await call(client, "GET", DESK, None))[0] == 401
        _, shown = await call(client, "GET", f"/api/tickets/{number}", "office")
        assert [e["action"] for e in shown["history"]] == ["opened", "dispatch"]


async def test_a_handler_sees_urgings_to_its_department_and_its_pending_requests(store):
    async with api(store) as client:
        ours = await dispatched(client, store, "a")
        theirs = await dispatched(client, store, "b", department="gongan", text="邻居家狗天天叫")
        await call(client, "POST", OPS.format(ours, "urge"), "office", {"text": "请城管加快办理"})
        await call(client, "POST", OPS.format(theirs, "urge"), "office", {"text": "请公安加快办理"})
        _, seen = await call(client, "GET", f"/api/tickets/{ours}", "handler")
        assert [u["text"] for u in seen["urgings"]] == ["请城管加快办理"]
        assert (await call(client, "GET", f"/api/tickets/{theirs}", "handler"))[0] == 404

        status, seen = await call(client, "POST", OPS.format(ours, "extend"), "handler", {"days": 3, "reason": "需要检测"})
        assert status == 200 and seen["pending_extension"]["days"] == 3 and seen["deadline"] == "2026-12-07"
        status, seen = await call(client, "POST", OPS.format(ours, "return"), "handler", {"reason": "属市场监管"})
        assert status == 200 and seen["pending_return"]["reason"] == "属市场监管"
        _, desk = await call(client, "GET", DESK, "office")
        assert [t["number"] for t in desk["extension_requests"]] == [ours]
        assert [t["number"] for t in desk["returns"]] == [ours]

        status, ticket = await call(client, "POST", OPS.format(ours, "return-review"), "office",
                                    {"approve": False, "reason": "油烟扰民属城管职责"})
        assert status == 200 and ticket["status"] == "dispatched" and ticket["pending_return"] is None
        status, ticket = await call(client, "POST", OPS.format(ours, "extension"), "office",
                                    {"approve": True, "reason": "同意"})
        assert status == 200 and ticket["deadline"] == "2026-12-10" and ticket["extended_days"] == 3
        _, seen = await call(client, "GET", f"/api/tickets/{ours}", "handler")
        refusal = [e for e in seen["history"] if e["action"] == "return_refused"][0]
        assert refusal["detail"]["note"] == "油烟扰民属城管职责"
        status, body = await call(client, "POST", OPS.format(ours, "extension"), "office", {"approve": True, "reason": "再"})
        assert status == 409 and "没有待审核的延期申请" in body["error"]["message"]


@pytest.mark.parametrize("route, body, message", [
    ("supervise", {}, "缺少字段 reason"),
    ("supervise", {"reason": "  "}, "请填写督办事由"),
    ("urge", {"text": 12}, "字段 text 应为文字"),
    ("urge", {"text": "催", "to": "gongan"}, "不认识的字段：to"),
    ("extension", {"approve": "yes", "reason": "同意"}, "字段 approve 应为true 或 false"),
    ("extension", {"approve": 1, "reason": "同意"}, "字段 approve 应为true 或 false"),
    ("return-review", {"reason": "同意"}, "缺少字段 approve"),
    ("unsupervise", ["note"], "请求体应为 JSON 对象"),
])
async def test_bad_bodies_are_refused_in_chinese(store, route, body, message):
    async with api(store) as client:
        number = await dispatched(client, store, "a")
        status, refused = await call(client, "POST", OPS.format(number, route), "office", body)
    assert status == 400 and message in refused["error"]["message"]


async def test_unknown_tickets_and_wrong_states_are_refused(store):
    async with api(store) as client:
        status, body = await call(client, "POST", OPS.format("209901010001", "supervise"), "office", {"reason": "督办"})
        assert status == 404 and body["error"]["code"] == "ticket_not_found"
        waiting = store.open_ticket(draft(), request_key="a").number
        status, body = await call(client, "POST", OPS.format(waiting, "urge"), "office", {"text": "催办"})
        assert status == 409 and "当前状态为“已受理”" in body["error"]["message"]
        on_time = await dispatched(client, store, "b")
        await call(client, "POST", OPS.format(on_time, "supervise"), "office", {"reason": "督办"})
        status, body = await call(client, "POST", OPS.format(on_time, "escalate"), "office", {"reason": "升级"})
        assert status == 409 and "不是红牌" in body["error"]["message"]
