"""Lead and co-handlers (牵头/协办, seed 000 §12, seed 003): the office confirms both at dispatch, a
co-handling department sees the ticket and records its part, and only the lead handles and answers."""
import pytest

from bot.tickets import query
from bot.tickets.errors import TicketError, TicketNotFound, TransitionError
from bot.tickets.query import TicketQuery
from bot.tickets.reviews import TicketReviews
from tests.support.tickets import HANDLER, SEAT, open_ticket, routed_draft, routing

POLICE = "承办人:市公安局/赵刚"
OFFICE = "热线办:孙丽"


def test_the_office_dispatches_with_the_suggested_co_handlers_or_its_own(store, workflow):
    suggested = store.open_ticket(routed_draft(routing(co=["gongan"])), request_key="a").number
    ticket = workflow.dispatch(suggested, "chengguan", SEAT)          # confirms the suggestion
    assert ticket.department_id == "chengguan" and ticket.co_departments == [{"id": "gongan", "name": "市公安局"}]
    assert ticket.events[-1].detail["co_handlers"] == [{"id": "gongan", "name": "市公安局"}]

    chosen = store.open_ticket(routed_draft(routing(co=["gongan"])), request_key="b").number
    ticket = workflow.dispatch(chosen, "chengguan", SEAT, co_handlers=["shichang", "市公安局", "shichang"])
    assert [d["id"] for d in ticket.co_departments] == ["shichang", "gongan"]
    assert workflow.dispatch(open_ticket(store, "c"), "chengguan", SEAT, co_handlers=[]).co_departments == []


def test_a_lead_cannot_also_assist_and_co_handlers_must_be_in_the_catalogue(store, workflow):
    number = open_ticket(store)
    with pytest.raises(TicketError, match="已是牵头单位，不能同时作为协办单位"):
        workflow.dispatch(number, "chengguan", SEAT, co_handlers=["chengguan"])
    with pytest.raises(TicketError, match="部门目录中没有“交警大队”"):
        workflow.dispatch(number, "chengguan", SEAT, co_handlers=["交警大队"])
    assert store.get(number).status == "accepted"          # nothing of a refused dispatch is kept
    # A suggested co-handler made the lead leaves the co-handlers instead of being refused.
    suggested = store.open_ticket(routed_draft(routing(co=["gongan"])), request_key="b").number
    assert workflow.dispatch(suggested, "gongan", SEAT).co_departments == []


def test_a_co_handler_sees_the_ticket_records_its_part_and_cannot_answer(store, workflow):
    number = store.open_ticket(routed_draft(routing(co=["gongan"])), request_key="a").number
    assert query.get_visible(store, number, "gongan") is None          # suggested, not yet dispatched
    workflow.dispatch(number, "chengguan", SEAT)
    listed, total = query.search(store, TicketQuery(scope="gongan"))
    assert total == 1 and listed[0].number == number
    assert query.get_visible(store, number, "gongan") is not None
    assert query.search(store, TicketQuery(scope="shichang"))[1] == 0

    ticket = workflow.assist(number, "已查实摊主无证经营，周五配合联合执法", POLICE, scope="gongan")
    assist = ticket.events[-1]
    assert (assist.action, assist.actor, assist.detail["department"]) == ("assist", POLICE, "市公安局")
    assert ticket.status == "dispatched"
    for refused in (lambda: workflow.reply(number, "已处理", POLICE, scope="gongan"),
                    lambda: workflow.accept(number, POLICE, scope="gongan"),
                    lambda: workflow.return_ticket(number, "不属于本单位", POLICE, scope="gongan"),
                    lambda: workflow.extend(number, 3, "需要时间", POLICE, scope="gongan")):
        with pytest.raises(TransitionError, match="由市城市管理综合执法局牵头办理，本单位为协办单位"):
            refused()
    with pytest.raises(TransitionError, match="由本单位牵头办理"):
        workflow.assist(number, "我们来协办", HANDLER, scope="chengguan")
    with pytest.raises(TicketNotFound):
        workflow.assist(number, "我们也来", "承办人:市市场监督管理局/孙", scope="shichang")
    assert workflow.reply(number, "已会同公安取缔", HANDLER, scope="chengguan").status == "replied"


def test_a_returned_ticket_leaves_its_co_handlers_until_the_office_dispatches_it_again(store, workflow):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT, co_handlers=["gongan"])
    workflow.return_ticket(number, "属市场监管职责", HANDLER, scope="chengguan")
    assert query.get_visible(store, number, "gongan") is not None     # asked: the office reviews it first
    TicketReviews(workflow).decide_return(number, True, "同意退回", OFFICE)
    assert query.get_visible(store, number, "gongan") is None
    with pytest.raises(TicketNotFound):
        workflow.assist(number, "配合", POLICE, scope="gongan")
    ticket = workflow.dispatch(number, "shichang", SEAT)                  # keeps the co-handlers
    assert [d["id"] for d in ticket.co_departments] == ["gongan"]
    assert query.get_visible(store, number, "gongan") is not None


def test_reassigning_changes_the_lead_or_only_the_co_handlers(store, workflow):
    number = open_ticket(store)
    workflow.dispatch(number, "chengguan", SEAT, co_handlers=["gongan"])
    ticket = workflow.reassign(number, "chengguan", "还需市场监管配合", SEAT, co_handlers=["gongan", "shichang"])
    assert ticket.department_id == "chengguan" and [d["id"] for d in ticket.co_departments] == ["gongan", "shichang"]
    assert ticket.events[-1].detail["from_co_handlers"] == [{"id": "gongan", "name": "市公安局"}]
    with pytest.raises(TicketError, match="协办单位也未变化，无需改派"):
        workflow.reassign(number, "chengguan", "再改", SEAT)
    ticket = workflow.reassign(number, "gongan", "以治安为主", SEAT)
    assert ticket.department_id == "gongan" and [d["id"] for d in ticket.co_departments] == ["shichang"]
    assert workflow.reassign(number, "gongan", "无需协办", SEAT, co_handlers=[]).co_departments == []
