"""回访评价: a closed ticket is rated; 不满意 with a reason reopens it once, with the redo limit of
its type (seed 004: consultation 1, suggestion/help 2, complaint/report 5 working days)."""
import datetime as dt

import pytest

from bot.tickets.errors import TicketError, TransitionError
from bot.tickets.policy import ticket_policy
from tests.support.tickets import HANDLER, SEAT, open_ticket


def closed(workflow, number, department="chengguan"):
    workflow.dispatch(number, department, SEAT)
    workflow.reply(number, "已处理", HANDLER, scope=department)
    return workflow.close(number, SEAT)


def test_an_unsatisfied_rating_with_a_reason_reopens_the_ticket_once(store, workflow, clock):
    number = open_ticket(store)
    closed(workflow, number)
    with pytest.raises(TicketError, match="不满意的原因"):
        workflow.rate(number, "unsatisfied", "", "citizen:web")
    outcome = workflow.rate(number, "unsatisfied", "晚上还是很吵", "citizen:web")   # Monday 23 Nov
    ticket = store.get(number)
    assert outcome.reopened and ticket.status == "reopened" and ticket.redo_count == 1
    assert ticket.deadline == outcome.deadline == dt.date(2026, 11, 30)           # 5 working days
    assert ticket.events[-1].detail["reason"] == "晚上还是很吵"
    with pytest.raises(TransitionError, match="“重办”，不能延期"):
        workflow.extend(number, 3, "需要时间", HANDLER, scope="chengguan")

    workflow.reply(number, "已联合公安夜间巡查，烧烤摊已停业整改。", HANDLER, scope="chengguan")
    workflow.close(number, SEAT)
    final = workflow.rate(number, "unsatisfied", "还是吵", "citizen:web")
    ticket = store.get(number)
    assert not final.reopened and final.final and ticket.status == "closed" and ticket.satisfaction == "unsatisfied"
    with pytest.raises(TransitionError, match="已经评价过了"):
        workflow.rate(number, "satisfied", None, "citizen:web")


@pytest.mark.parametrize("request_type, due", [("consult", dt.date(2026, 11, 24)),
                                               ("seek_help", dt.date(2026, 11, 25))])
def test_the_redo_limit_depends_on_the_request_type(store, workflow, request_type, due):
    number = open_ticket(store, request_type=request_type)
    closed(workflow, number)
    assert workflow.rate(number, "unsatisfied", "没有解决", "citizen:web").deadline == due


def test_a_satisfied_rating_closes_the_loop_and_an_open_ticket_cannot_be_rated(store, workflow):
    number = open_ticket(store)
    with pytest.raises(TransitionError, match="不能评价"):
        workflow.rate(number, "satisfied", None, "citizen:web")
    closed(workflow, number)
    outcome = workflow.rate(number, "basically_satisfied", "慢了点", "citizen:web")
    assert not outcome.reopened and store.get(number).satisfaction == "basically_satisfied"
    assert store.latest_unrated("web-user-1") is None


def test_the_redo_limits_of_seed_004_are_in_the_policy_file():
    policy = ticket_policy()
    assert policy.redo_limits == {"consult": 1, "suggest": 2, "seek_help": 2, "complain": 5, "report": 5}
    assert policy.max_redos == 1 and policy.yellow_before_hours == {"consult": 8}
