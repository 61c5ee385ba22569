"""督办 by the hotline office (seed 000 §15, 001 §20-21, 003 §19, 004 (二)5): supervise with a reason,
urge the department (shown to it, not to another department), escalate only an overdue ticket one
level at a time, lift it; the lists of supervised tickets and of red cards nobody supervises."""
import pytest

from bot.tickets import supervision, views
from bot.tickets.errors import TicketError, TransitionError
from bot.tickets.supervision import TicketSupervision
from tests.support.tickets import HANDLER, SEAT, open_ticket

OFFICE = "热线办:孙丽"


@pytest.fixture
def office(workflow) -> TicketSupervision:
    return TicketSupervision(workflow)


def dispatched(store, workflow, key="k-1", department="chengguan", **changes):
    number = open_ticket(store, key, **changes)
    workflow.dispatch(number, department, SEAT)
    return number


def test_supervise_urge_and_lift_each_leave_an_event_and_show_on_the_ticket(store, workflow, office, clock):
    number = dispatched(store, workflow)
    ticket = office.supervise(number, "短期内多次投诉的烧烤摊", OFFICE)
    assert ticket.status == "dispatched"                                     # supervision moves no status
    assert (ticket.events[-1].action, ticket.events[-1].actor) == ("supervise", OFFICE)
    assert ticket.events[-1].detail["department_id"] == "chengguan"
    with pytest.raises(TransitionError, match="已在督办中"):
        office.supervise(number, "再督办", OFFICE)
    clock.set(2026, 11, 24, 9, 30)
    office.urge(number, "请于今日内联系诉求人并反馈进展", OFFICE)
    shown = views.ticket_view(store, store.get(number), views.CONSENTED, for_department="chengguan")
    assert shown["supervised"] and shown["supervision"]["reason"] == "短期内多次投诉的烧烤摊"
    assert shown["supervision"]["level"] == 0 and shown["supervision"]["since"] == "2026-11-23T10:00:00+08:00"
    assert shown["urgings"] == [{"at": "2026-11-24T09:30:00+08:00", "by": OFFICE,
                                 "text": "请于今日内联系诉求人并反馈进展", "department": "市城市管理综合执法局"}]
    with pytest.raises(TicketError, match="解除督办说明"):
        office.unsupervise(number, " ", OFFICE)
    ticket = office.unsupervise(number, "已整改到位", OFFICE)
    assert views.ticket_view(store, ticket)["supervised"] is False
    with pytest.raises(TransitionError, match="不在督办中"):
        office.unsupervise(number, "再解除", OFFICE)


def test_a_department_sees_only_the_urgings_sent_to_it(store, workflow, office):
    number = dispatched(store, workflow)
    office.urge(number, "请城管尽快处理", OFFICE)
    workflow.reassign(number, "gongan", "夜间噪声属公安", SEAT)
    office.urge(number, "请公安今晚出警", OFFICE)
    ticket = store.get(number)
    police = views.ticket_view(store, ticket, views.CONSENTED, history=True, for_department="gongan")
    assert [u["text"] for u in police["urgings"]] == ["请公安今晚出警"]
    assert [e["detail"]["text"] for e in police["history"] if e["action"] == "urge"] == ["请公安今晚出警"]
    office_view = views.ticket_view(store, ticket, views.FULL, history=True)
    assert [u["text"] for u in office_view["urgings"]] == ["请城管尽快处理", "请公安今晚出警"]


def test_urging_or_supervising_needs_a_department_in_charge(store, workflow, office):
    waiting = open_ticket(store)
    for attempt in (lambda: office.supervise(waiting, "督办", OFFICE), lambda: office.urge(waiting, "催办", OFFICE)):
        with pytest.raises(TransitionError, match="当前状态为“已受理”"):
            attempt()
    with pytest.raises(TicketError, match="催办内容"):
        office.urge(dispatched(store, workflow, "k-2"), "", OFFICE)


def test_only_an_overdue_supervised_ticket_is_escalated_one_level_at_a_time(store, workflow, office, clock):
    number = dispatched(store, workflow, request_type="consult", text="公积金怎么提取")   # due Thursday 26 Nov
    with pytest.raises(TransitionError, match="尚未督办"):
        office.escalate(number, "逾期", OFFICE)
    office.supervise(number, "群众反映强烈", OFFICE)
    with pytest.raises(TransitionError, match="不是红牌"):
        office.escalate(number, "提前升级", OFFICE)
    clock.set(2026, 11, 27, 9, 0)                                             # overdue: red card
    levels = supervision.escalation_levels()
    assert levels == ("承办单位分管领导", "承办单位主要领导", "政府督查机构")   # settings/policy.yml
    for level, label in enumerate(levels, 1):
        ticket = office.escalate(number, f"第{level}次升级", OFFICE)
        assert ticket.events[-1].detail["level"] == level and ticket.events[-1].detail["level_label"] == label
        assert ticket.events[-1].detail["card"] == "red"
    assert views.ticket_view(store, ticket)["supervision"]["level_label"] == "政府督查机构"
    with pytest.raises(TransitionError, match="最高一级（政府督查机构）"):
        office.escalate(number, "再升级", OFFICE)


def test_the_lists_of_supervised_tickets_and_unsupervised_red_cards(store, workflow, office, clock):
    late = dispatched(store, workflow, "a", request_type="consult", text="公积金怎么提取")
    watched = dispatched(store, workflow, "b", request_type="consult", text="医保怎么报销")
    on_time = dispatched(store, workflow, "c")
    waiting = open_ticket(store, "d", request_type="consult", text="社保卡丢了")           # not dispatched
    done = dispatched(store, workflow, "e")
    office.supervise(watched, "重点工单", OFFICE)
    office.supervise(on_time, "领导批示", OFFICE)
    office.supervise(done, "跟踪", OFFICE)
    workflow.reply(done, "已处理", HANDLER, scope="chengguan")
    workflow.close(done, SEAT)                                                # closing ends supervision
    clock.set(2026, 11, 27, 9, 0)
    office.escalate(watched, "逾期未办结", OFFICE)
    assert [t.number for t in supervision.supervised(store)] == [watched, on_time]    # escalated first
    assert [t.number for t in supervision.red_unsupervised(store)] == [late]          # not the undispatched one
    assert waiting not in [t.number for t in supervision.red_unsupervised(store)]
    office.unsupervise(on_time, "已办结", OFFICE)
    assert [t.number for t in supervision.supervised(store)] == [watched]


def test_red_cards_are_read_page_by_page_so_supervised_ones_do_not_crowd_the_list(store, workflow, office, clock,
                                                                                 monkeypatch):
    monkeypatch.setattr(supervision, "LIST_LIMIT", 2)          # pages of two instead of two hundred
    numbers = [dispatched(store, workflow, f"k{n}", request_type="consult", text=f"第{n}个咨询")
               for n in range(5)]
    for number in numbers[:3]:
        office.supervise(number, "重点", OFFICE)
    clock.set(2026, 11, 27, 9, 0)
    assert [t.number for t in supervision.red_unsupervised(store)] == numbers[3:]
