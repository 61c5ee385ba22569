"""The office's corrections of the router become labelled examples (bot/tickets/corrections.py):
reassignments, redispatches after an accepted return, dispatches other than the suggestion and
manual dispatches of abstained tickets — one per ticket, the latest — and never a confirmation."""
import dataclasses
import datetime as dt

import pytest

from bot.tickets.corrections import (DIFFERS, MANUAL, REASSIGN, REDISPATCH, Correction,
                                     labelled_corrections)
from bot.tickets.reviews import TicketReviews
from tests.support.tickets import HANDLER, OLD_ROUTING, SEAT, routed_draft, routing

OFFICE = "热线办:孙丽"


def opened(store, key, decision=None, **changes):
    return store.open_ticket(routed_draft(decision or routing(), **changes), request_key=key).number


def test_each_kind_of_correction_is_one_labelled_example_and_confirmations_are_none(store, workflow, clock):
    confirmed = opened(store, "a")
    workflow.dispatch(confirmed, "chengguan", SEAT)
    differs = opened(store, "b", text="小区门口药店卖过期药")
    workflow.dispatch(differs, "shichang", SEAT)
    manual = opened(store, "c", routing(abstain=True, confidence=0.2), text="楼道里堆满杂物")
    workflow.dispatch(manual, "xiaofang", SEAT)
    reassigned = opened(store, "d", text="夜里有人在街上飙车")
    workflow.dispatch(reassigned, "chengguan", SEAT)
    clock.set(2026, 11, 23, 15, 0)
    workflow.reassign(reassigned, "gongan", "飙车属公安交警管理", SEAT)
    returned = opened(store, "e", text="菜市场缺斤少两")
    workflow.dispatch(returned, "chengguan", SEAT)
    workflow.return_ticket(returned, "计量问题属市场监管", HANDLER, scope="chengguan")
    TicketReviews(workflow).decide_return(returned, True, "同意退回", OFFICE)
    clock.set(2026, 11, 23, 16, 0)
    workflow.dispatch(returned, "shichang", SEAT)
    opened(store, "f")                                         # not dispatched: nothing decided yet

    found = {c.number: c for c in labelled_corrections(store)}
    assert confirmed not in found and len(found) == 4
    assert (found[differs].kind, found[differs].department_id, found[differs].suggested_id) == (
        DIFFERS, "shichang", "chengguan")
    assert (found[manual].kind, found[manual].department_id, found[manual].suggested_id) == (MANUAL, "xiaofang", None)
    assert (found[reassigned].kind, found[reassigned].department_id) == (REASSIGN, "gongan")
    assert (found[returned].kind, found[returned].department_id) == (REDISPATCH, "shichang")
    assert found[returned].text == "菜市场缺斤少两"
    assert found[returned].at == dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone.utc)

    since = labelled_corrections(store, since=dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc))
    assert [c.number for c in since] == [reassigned, returned]        # oldest decision first


def test_the_latest_decision_wins_and_a_rejected_return_is_no_correction(store, workflow):
    number = opened(store, "a")
    workflow.dispatch(number, "gongan", SEAT)
    workflow.reassign(number, "chengguan", "还是城管的事", SEAT)
    assert [c.kind for c in labelled_corrections(store)] == [REASSIGN]   # one per ticket, the last

    sent_back = opened(store, "b", text="烧烤摊油烟")
    workflow.dispatch(sent_back, "chengguan", SEAT)
    workflow.return_ticket(sent_back, "不属于本单位", HANDLER, scope="chengguan")
    # The office refused the return: the router was right (a refusal is a review now, not a dispatch).
    TicketReviews(workflow).decide_return(sent_back, False, "烧烤油烟属城管职责", OFFICE)
    assert sent_back not in [c.number for c in labelled_corrections(store)]
    # Moved later all the same: the office correcting itself (a reassignment), not a redispatch
    # answering the refused return.
    workflow.reassign(sent_back, "shichang", "经核实属市场监管", SEAT)
    assert [(c.kind, c.department_id) for c in labelled_corrections(store) if c.number == sent_back] == [
        (REASSIGN, "shichang")]

    helped = opened(store, "c", text="工地夜间施工扰民")
    workflow.dispatch(helped, "chengguan", SEAT)
    workflow.reassign(helped, "chengguan", "需要住建配合", SEAT, co_handlers=["zhujian"])
    assert helped not in [c.number for c in labelled_corrections(store)]   # the router's lead stands


def test_old_tickets_and_personal_data(store, workflow):
    old = opened(store, "a", OLD_ROUTING, text="路灯坏了，电话13812345678")
    workflow.dispatch(old, "gongdian", SEAT)
    (correction,) = labelled_corrections(store)
    assert correction.suggested_id == "chengguan" and correction.kind == DIFFERS
    assert "13812345678" not in correction.text and correction.text.startswith("路灯坏了")
    with pytest.raises(dataclasses.FrozenInstanceError):
        correction.kind = REASSIGN
    assert [f.name for f in dataclasses.fields(Correction)] == [
        "number", "text", "department_id", "kind", "at", "suggested_id"]
