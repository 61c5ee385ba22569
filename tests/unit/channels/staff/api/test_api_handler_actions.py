"""A department's handler opens a ticket in the staff API and is told what it may do now and the
rule behind each (bot/tickets/handler_actions.py), on SQLite and PostgreSQL: the same answers the
workflow gives when the operation is tried, so the portal never offers a button that will fail."""
from tests.support.staff_api import api, call
from tests.support.tickets import draft

OPS = "/api/tickets/{}/{}"


def by_operation(ticket: dict) -> dict:
    return {a["operation"]: a for a in ticket["actions"]}


async def dispatched(client, store, key="k-1", **body) -> str:
    number = store.open_ticket(draft(), request_key=key).number
    status, _ = await call(client, "POST", OPS.format(number, "dispatch"),
                           body=dict({"department": "chengguan"}, **body))
    assert status == 200
    return number


async def test_a_freshly_dispatched_ticket_offers_the_lead_everything_with_its_rule(store):
    async with api(store) as client:             # Monday 2026-11-23 10:00
        number = await dispatched(client, store)
        status, ticket = await call(client, "GET", f"/api/tickets/{number}", "handler")
    assert status == 200
    actions = by_operation(ticket)
    assert list(actions) == ["accept", "reply", "return", "extend"]
    assert all(a["allowed"] and a["reason"] is None for a in actions.values())
    assert actions["accept"]["label"] == "签收" and actions["extend"]["label"] == "申请延期"
    # One working day to return: Tuesday is the last day.
    assert actions["return"]["until"] == "2026-11-24"
    assert "派单后1个工作日内（至2026年11月24日）" in actions["return"]["rule"]
    assert actions["extend"]["max_days"] == 15 and "累计最多延期15个工作日" in actions["extend"]["rule"]
    assert f"办理期限{ticket['deadline'][:4]}年" in actions["reply"]["rule"]


async def test_only_departments_get_actions_and_a_co_handler_only_assists(store):
    async with api(store) as client:
        number = await dispatched(client, store, co_handlers=["gongan"])
        _, seen_by_seat = await call(client, "GET", f"/api/tickets/{number}", "seat")
        _, seen_by_leader = await call(client, "GET", f"/api/tickets/{number}", "readonly")
        _, seen_by_co = await call(client, "GET", f"/api/tickets/{number}", "police")
        _, listed = await call(client, "GET", "/api/tickets", "handler")
    assert "actions" not in seen_by_seat and "actions" not in seen_by_leader
    assert [(a["operation"], a["allowed"]) for a in seen_by_co["actions"]] == [("assist", True)]
    assert "由牵头单位（市城市管理综合执法局）统一答复" in seen_by_co["actions"][0]["rule"]
    assert "actions" not in listed["tickets"][0]     # the list stays light: actions come with the ticket


async def test_after_the_return_window_return_is_refused_with_the_same_reason_the_server_gives(store, clock):
    async with api(store) as client:
        number = await dispatched(client, store)
        await call(client, "POST", OPS.format(number, "accept"), "handler")
        clock.set(2026, 11, 25, 9, 0)            # Wednesday: the window closed on Tuesday
        _, ticket = await call(client, "GET", f"/api/tickets/{number}", "handler")
        status, refused = await call(client, "POST", OPS.format(number, "return"), "handler", {"reason": "不归我们管"})
    actions = by_operation(ticket)
    assert not actions["return"]["allowed"] and "已超过退单时限（2026年11月24日）" in actions["return"]["reason"]
    assert status == 409 and "已超过时限" in refused["error"]["message"]
    assert not actions["accept"]["allowed"] and actions["accept"]["reason"] == "工单当前状态为“办理中”，不能签收"
    assert actions["reply"]["allowed"] and actions["extend"]["allowed"]


async def test_a_request_waiting_for_the_office_is_not_offered_again(store):
    async with api(store) as client:
        number = await dispatched(client, store)
        await call(client, "POST", OPS.format(number, "extend"), "handler", {"days": 5, "reason": "需要夜间测噪声"})
        await call(client, "POST", OPS.format(number, "return"), "handler", {"reason": "属公安职责"})
        _, ticket = await call(client, "GET", f"/api/tickets/{number}", "handler")
        status, again = await call(client, "POST", OPS.format(number, "extend"), "handler", {"days": 2, "reason": "再延"})
    actions = by_operation(ticket)
    assert actions["extend"]["reason"] == "已申请延期5个工作日，正在等待热线办审核"
    assert actions["return"]["reason"] == "已申请退单，正在等待热线办审核"
    assert status == 409 and "等待热线办审核" in again["error"]["message"]


async def test_no_extension_after_the_deadline_nor_for_a_redo(store, clock):
    async with api(store) as client:
        late = await dispatched(client, store, key="late")
        redo = await dispatched(client, store, key="redo")
        await call(client, "POST", OPS.format(redo, "reply"), "handler", {"answer": "已处理"})
        await call(client, "POST", OPS.format(redo, "close"))
        await call(client, "POST", OPS.format(redo, "rate"), body={"rating": "unsatisfied", "reason": "还是吵"})
        clock.set(2026, 12, 31, 9, 0)            # long past the 10 working days of a complaint
        _, late_view = await call(client, "GET", f"/api/tickets/{late}", "handler")
        _, redo_view = await call(client, "GET", f"/api/tickets/{redo}", "handler")
    extend = by_operation(late_view)["extend"]
    assert not extend["allowed"] and extend["reason"].startswith("已超过办理期限（2026年12月")
    assert by_operation(redo_view)["extend"]["reason"] == "重办工单不得延期"
    assert "重办工单须在" in by_operation(redo_view)["reply"]["rule"] and by_operation(redo_view)["reply"]["allowed"]
    assert not by_operation(redo_view)["accept"]["allowed"]


async def test_after_the_office_refused_a_return_the_department_is_told_why_and_goes_on(store):
    from bot.tickets.reviews import TicketReviews
    from bot.tickets.workflow import TicketWorkflow
    async with api(store) as client:
        number = await dispatched(client, store)
        await call(client, "POST", OPS.format(number, "return"), "handler", {"reason": "属公安职责"})
        TicketReviews(TicketWorkflow(store)).decide_return(
            number, False, "经核实属城管职责，请继续办理，可联系市民13812345678", "热线办:孙丽")
        _, ticket = await call(client, "GET", f"/api/tickets/{number}", "handler")
    returning = by_operation(ticket)["return"]
    assert not returning["allowed"] and returning["reason"].startswith("热线办已不同意退单（经核实属城管职责")
    assert "13812345678" not in returning["reason"]     # the citizen did not agree to share the phone
    assert by_operation(ticket)["reply"]["allowed"]
