"""The office reviews what a department asks (seeds 000 §13, 002 三(三), 003 §17-18): an extension
request moves the deadline only once approved; a return leaves the department only once approved,
and a refused one keeps the ticket there with the office's reason."""
import datetime as dt

import pytest

from bot.tickets import dispatch_queue, reviews, views
from bot.tickets.errors import TicketError, TransitionError
from bot.tickets.reviews import TicketReviews
from tests.support.tickets import HANDLER, SEAT, open_ticket

OFFICE = "热线办:孙丽"


@pytest.fixture
def office(workflow) -> TicketReviews:
    return TicketReviews(workflow)


def dispatched(store, workflow, key="k-1"):
    number = open_ticket(store, key)                  # complaint opened Monday 23 Nov: due Monday 7 Dec
    workflow.dispatch(number, "chengguan", SEAT)
    return number


def test_an_extension_request_waits_and_moves_the_deadline_once_approved(store, workflow, office, clock):
    number = dispatched(store, workflow)
    ticket = workflow.extend(number, 10, "需要第三方检测噪声", HANDLER, scope="chengguan")
    assert ticket.deadline == dt.date(2026, 12, 7) and ticket.extended_days == 0
    shown = views.ticket_view(store, ticket, views.CONSENTED, for_department="chengguan")
    assert shown["pending_extension"] == {"days": 10, "reason": "需要第三方检测噪声",
                                          "at": "2026-11-23T10:00:00+08:00", "by": HANDLER}
    with pytest.raises(TransitionError, match="已申请延期，正在等待热线办审核"):
        workflow.extend(number, 2, "再申请", HANDLER, scope="chengguan")
    assert [t.number for t in reviews.waiting(store, "extend_request")] == [number]

    clock.set(2026, 12, 8, 9, 0)          # decided after the deadline: the request was made in time
    ticket = office.decide_extension(number, True, "同意延期，请按期办结", OFFICE)
    assert ticket.deadline == dt.date(2026, 12, 21) and ticket.extended_days == 10
    approval = ticket.events[-1]
    assert (approval.action, approval.actor) == ("extend", OFFICE)
    assert approval.detail["requested_by"] == HANDLER and approval.detail["note"] == "同意延期，请按期办结"
    assert views.ticket_view(store, ticket)["pending_extension"] is None
    assert reviews.waiting(store, "extend_request") == []
    with pytest.raises(TransitionError, match="没有待审核的延期申请"):
        office.decide_extension(number, True, "再同意", OFFICE)


def test_a_refused_extension_keeps_the_deadline_and_a_new_request_may_follow(store, workflow, office):
    number = dispatched(store, workflow)
    workflow.extend(number, 15, "人手不足", HANDLER, scope="chengguan")
    with pytest.raises(TicketError, match="不同意延期的理由"):
        office.decide_extension(number, False, "", OFFICE)
    ticket = office.decide_extension(number, False, "人手不足不是延期理由", OFFICE)
    assert ticket.deadline == dt.date(2026, 12, 7) and ticket.events[-1].action == "extend_refused"
    assert ticket.events[-1].detail["days"] == 15
    assert workflow.extend(number, 3, "等待检测报告", HANDLER, scope="chengguan").events[-1].action == "extend_request"


def test_an_extension_request_is_checked_against_the_limits_when_asked(store, workflow, clock):
    number = dispatched(store, workflow)
    with pytest.raises(TicketError, match="最多还能延期15个工作日"):
        workflow.extend(number, 16, "很复杂", HANDLER, scope="chengguan")
    with pytest.raises(TicketError, match="正整数"):
        workflow.extend(number, 0, "很复杂", HANDLER, scope="chengguan")
    clock.set(2026, 12, 8, 9, 0)
    with pytest.raises(TransitionError, match="期限届满前"):
        workflow.extend(number, 3, "晚了", HANDLER, scope="chengguan")


def test_an_approved_return_goes_to_the_dispatch_queue_with_the_departments_reason(store, workflow, office):
    number = dispatched(store, workflow)
    ticket = workflow.return_ticket(number, "占道经营属市场监管职责", HANDLER, scope="chengguan")
    assert ticket.status == "dispatched" and ticket.department_id == "chengguan"
    assert views.ticket_view(store, ticket)["pending_return"]["reason"] == "占道经营属市场监管职责"
    assert dispatch_queue.waiting(store)[1] == 0                  # not in the queue before the review
    with pytest.raises(TransitionError, match="已申请退单"):
        workflow.return_ticket(number, "再退", HANDLER, scope="chengguan")
    assert [t.number for t in reviews.waiting(store, "return")] == [number]

    ticket = office.decide_return(number, True, "同意，转市场监管", OFFICE)
    assert ticket.status == "returned" and ticket.department is None
    assert ticket.events[-1].detail["reason"] == "占道经营属市场监管职责"
    queued, total = dispatch_queue.waiting(store)
    assert total == 1 and dispatch_queue.last_return(queued[0]).detail["reason"] == "占道经营属市场监管职责"
    assert reviews.waiting(store, "return") == []


def test_a_refused_return_keeps_the_ticket_with_the_department_which_goes_on(store, workflow, office):
    number = dispatched(store, workflow)
    workflow.return_ticket(number, "不属于本单位", HANDLER, scope="chengguan")
    ticket = office.decide_return(number, False, "烧烤油烟扰民属城管职责，请继续办理", OFFICE)
    assert ticket.status == "dispatched" and ticket.department_id == "chengguan"
    assert ticket.events[-1].action == "return_refused"
    assert views.ticket_view(store, ticket)["pending_return"] is None
    with pytest.raises(TransitionError, match="热线办已不同意本单退单（烧烤油烟扰民属城管职责，请继续办理）"):
        workflow.return_ticket(number, "还是不属于", HANDLER, scope="chengguan")
    assert workflow.accept(number, HANDLER, scope="chengguan").status == "in_progress"


def test_an_answer_or_a_reassignment_ends_a_pending_request(store, workflow, office):
    answered = dispatched(store, workflow, "a")
    workflow.extend(answered, 3, "需要时间", HANDLER, scope="chengguan")
    workflow.reply(answered, "已处理完毕", HANDLER, scope="chengguan")
    assert views.ticket_view(store, store.get(answered))["pending_extension"] is None
    with pytest.raises(TransitionError, match="不能延期"):
        office.decide_extension(answered, True, "同意", OFFICE)

    moved = dispatched(store, workflow, "b")
    workflow.return_ticket(moved, "属公安职责", HANDLER, scope="chengguan")
    workflow.reassign(moved, "gongan", "属公安职责", SEAT)
    with pytest.raises(TransitionError, match="没有待审核的退单申请"):
        office.decide_return(moved, True, "同意", OFFICE)
