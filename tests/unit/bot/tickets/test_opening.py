"""Opening a ticket, the one use case (bot/tickets/opening.py), on both database backends."""
import pytest
from sqlalchemy.exc import OperationalError

from bot.tickets.opening import INVALID, LIMITED, UNAVAILABLE, Duplicate, Opened, OpeningRefused, TicketOpening
from tests.support.tickets import draft


def test_a_ticket_is_opened_once_with_a_suggested_department(store):
    opening = TicketOpening(store)
    first = opening.open(draft(), "k-1", routing_text="人民路88号楼下烧烤摊每天吵到半夜")
    again = opening.open(draft(), "k-1")
    assert isinstance(first, Opened) and first.created and not again.created and again.number == first.number
    assert first.time_limit == store.policy.time_limit("complain")
    assert store.get(first.number).department          # the router's suggestion, for dispatch to confirm


def test_the_same_matter_again_is_the_open_ticket_for_the_assistant(store):
    opening = TicketOpening(store)
    first = opening.open(draft(), "k-1")
    repeated = opening.open(draft(text="楼下那个烧烤摊天天吵到半夜两点"), "k-2", check_duplicates=True)
    assert isinstance(repeated, Duplicate) and repeated.ticket.number == first.number


def test_one_phone_opens_at_most_the_daily_limit(store, monkeypatch):
    monkeypatch.setenv("HOTLINE_LIMIT_TICKET_PER_PHONE", "3/86400")
    opening = TicketOpening(store)
    for n in range(3):
        opening.open(draft(text=f"第{n}件不同的事情：路灯坏了"), f"k-{n}")
    with pytest.raises(OpeningRefused) as refused:
        opening.open(draft(text="又一件事情：井盖丢了"), "k-9")
    assert refused.value.kind == LIMITED and "今天登记的工单已较多" in str(refused.value)
    # the hotline's own record (a seat's ticket) is always taken
    assert opening.open(draft(text="坐席登记：井盖丢了"), "seat-k", for_citizen=False).created


def test_a_restricted_phone_is_refused_with_the_reason(store):
    opening = TicketOpening(store, phone_checks=(lambda phone: "已被限制" if phone == "13812345678" else None,))
    with pytest.raises(OpeningRefused) as refused:
        opening.open(draft(), "k-1")
    assert refused.value.kind == LIMITED and str(refused.value) == "已被限制"
    assert opening.open(draft(contact_phone="13900001111"), "k-2").created
    assert opening.open(draft(anonymous=True, contact_phone=None, request_type="report"), "k-3").created


def test_bad_facts_and_a_broken_store_are_domain_errors(store, monkeypatch):
    opening = TicketOpening(store)
    with pytest.raises(OpeningRefused) as refused:
        opening.open(draft(text="  "), "k-1")
    assert refused.value.kind == INVALID and "不能为空" in str(refused.value)

    def broken(*_args, **_kwargs):
        raise OperationalError("INSERT …", {"contact_phone": "13812345678"}, Exception("database is locked"))
    monkeypatch.setattr(store, "open_ticket", broken)
    with pytest.raises(OpeningRefused) as refused:
        opening.open(draft(), "k-2")
    assert refused.value.kind == UNAVAILABLE and "13812345678" not in str(refused.value)


def test_an_abstaining_router_leaves_the_ticket_for_manual_dispatch_with_its_candidates(store):
    from tests.support.tickets import routed_draft, routing
    decision = routing(abstain=True, confidence=0.31, unknown_place="幸福里小区")
    number = TicketOpening(store).open(routed_draft(decision), "k-1").number
    ticket = store.get(number)
    assert ticket.department is None and ticket.department_id is None and not ticket.co_departments
    assert ticket.events[0].detail["routing"] == decision      # kept whole for the dispatch queue


def test_a_confident_router_suggests_the_lead_and_its_co_handlers(store):
    from tests.support.tickets import OLD_ROUTING, routed_draft, routing
    number = TicketOpening(store).open(routed_draft(routing(co=["gongan", "chengguan"])), "k-1").number
    ticket = store.get(number)
    assert (ticket.department, ticket.department_id) == ("市城市管理综合执法局", "chengguan")
    assert ticket.co_departments == [{"id": "gongan", "name": "市公安局"}]   # never the lead twice
    old = store.get(TicketOpening(store).open(routed_draft(OLD_ROUTING, text="井盖丢了"), "k-2").number)
    assert old.department_id == "chengguan" and old.co_departments == []
