"""Ticket storage on SQLite and on a real PostgreSQL server, through the one SQLAlchemy layer."""
import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from bot.tickets.database import make_engine, migrate
from bot.tickets.models import Ticket
from bot.tickets.store import TicketDraft, TicketError, TicketStore


@pytest.fixture
def store(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield TicketStore(engine)
    engine.dispose()


def draft(**changes):
    values = dict(request_type="complain", text="楼下烧烤摊每天吵到半夜两点", channel="web", sender_id="u-1",
                  facts={"location": "人民路88号"}, contact_name="张先生", contact_phone="13812345678",
                  consent_to_share=True)
    values.update(changes)
    return TicketDraft(**values)


def count(store):
    with store.sessions() as session:
        return session.execute(select(func.count(Ticket.id))).scalar_one()


def test_a_ticket_gets_a_readable_number_and_its_statutory_deadline(store):
    opened = store.open_ticket(draft(), request_key="k-1")
    today = store.local_time(store.now()).date()
    assert opened.created and opened.number == f"{today:%Y%m%d}0001"
    assert opened.deadline == store.policy.deadline("complain", today)
    ticket = store.get(opened.number)
    assert ticket.facts == {"location": "人民路88号"} and ticket.status == "accepted"
    assert [e.action for e in ticket.events] == ["opened"]


def test_a_retried_request_does_not_make_a_second_ticket(store):
    first = store.open_ticket(draft(), request_key="k-1")
    again = store.open_ticket(draft(), request_key="k-1")
    assert again.number == first.number and not again.created
    assert count(store) == 1


def test_numbers_count_up_within_a_day(store):
    numbers = [store.open_ticket(draft(), request_key=f"k-{i}").number for i in range(3)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]


def test_concurrent_requests_get_distinct_numbers_and_retries_stay_one(store):
    results, errors = [], []

    def open_one(key):
        try:
            results.append(store.open_ticket(draft(), request_key=key))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    keys = [f"k-{i}" for i in range(6)] + ["k-0", "k-1"]   # two retries racing their originals
    threads = [threading.Thread(target=open_one, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert count(store) == 6
    assert len({r.number for r in results}) == 6


def test_bad_drafts_are_refused_and_nothing_is_stored(store):
    with pytest.raises(TicketError):
        store.open_ticket(draft(request_type="gossip"), request_key="bad-1")
    with pytest.raises(TicketError):
        store.open_ticket(draft(text="   "), request_key="bad-2")
    with pytest.raises(TicketError):
        store.open_ticket(draft(contact_phone=None), request_key="bad-3")
    assert count(store) == 0


def test_an_anonymous_report_needs_no_contact(store):
    opened = store.open_ticket(draft(request_type="report", contact_name=None, contact_phone=None,
                                     anonymous=True, consent_to_share=False), request_key="anon")
    assert store.get(opened.number).anonymous


def test_migrations_can_run_again(store):
    migrate(store.engine)
    store.open_ticket(draft(), request_key="k-after")
    assert count(store) == 1


def test_list_filters_by_sender(store):
    store.open_ticket(draft(), request_key="a")
    store.open_ticket(draft(sender_id="u-2"), request_key="b")
    assert [t.sender_id for t in store.list(sender_id="u-2")] == ["u-2"]


def test_created_time_is_shown_in_the_hotline_time_zone(store):
    opened = store.open_ticket(draft(), request_key="tz")
    created = store.local_time(store.get(opened.number).created_at)
    assert created.utcoffset() == dt.timedelta(hours=8)
