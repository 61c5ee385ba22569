"""Finding tickets: by status, type, department and date, and a department handler's view."""
import datetime as dt

import pytest

from bot.tickets import query
from bot.tickets.errors import TicketError
from tests.support.tickets import SEAT, open_ticket


def numbers(store, **filters):
    found, total = query.search(store, query.TicketQuery(**filters))
    assert total == len(found)
    return {t.number for t in found}


def test_filters_combine_and_a_handler_sees_only_what_was_dispatched_to_it(store, workflow, clock):
    noise = open_ticket(store, key="a")
    workflow.dispatch(noise, "chengguan", SEAT)
    clock.set(2026, 11, 24, 9, 0)
    lamp = open_ticket(store, key="b", request_type="seek_help", text="路灯坏了")
    suggestion = open_ticket(store, key="c", request_type="suggest", text="建议多设公交站",
                             routing={"department": {"id": "chengguan"}})

    assert numbers(store, statuses=("accepted",)) == {lamp, suggestion}
    assert numbers(store, types=("complain", "seek_help")) == {noise, lamp}
    assert numbers(store, department_ids=("chengguan",)) == {noise, suggestion}
    assert numbers(store, created_from=dt.date(2026, 11, 24)) == {lamp, suggestion}
    assert numbers(store, created_to=dt.date(2026, 11, 23), types=("complain",)) == {noise}
    # Suggested for the department by the router but not dispatched yet: not the handler's.
    assert numbers(store, scope="chengguan") == {noise}
    assert query.get_visible(store, suggestion, scope="chengguan") is None
    assert query.get_visible(store, noise, scope="gongan") is None


def test_unknown_filter_values_are_named():
    with pytest.raises(TicketError, match="未知的状态：done"):
        query.check_values(("done",), ("accepted", "closed"), "状态")
