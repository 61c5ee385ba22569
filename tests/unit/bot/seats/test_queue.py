"""The seat queue on SQLite and PostgreSQL: one open entry per conversation, positions, an atomic
claim by exactly one of several seats, hand-back by its holder only, expiry of long waits."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from bot.seats.models import EXPIRED, HANDED_BACK, TAKEN, WAITING
from bot.seats.queue import SeatQueue
from bot.tickets.database import make_engine, migrate


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def queue(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine)
    yield SeatQueue(engine, clock=clock)
    engine.dispose()


def test_a_conversation_is_queued_once_and_told_its_place(queue):
    first = queue.enqueue("web-a", "web", "requested")
    second = queue.enqueue("web-b", "wechat", "anger", {"matched": ["气死"]})
    again = queue.enqueue("web-a", "web", "distress")
    assert (first.created, first.position) == (True, 1)
    assert (second.created, second.position) == (True, 2)
    assert (again.created, again.position, again.entry.id, again.entry.reason) == (False, 1, first.entry.id, "requested")
    assert [e.sender_id for e in queue.open_entries()] == ["web-a", "web-b"]
    assert queue.get(second.entry.id).detail == {"matched": ["气死"]}


def test_positions_move_up_when_a_seat_takes_the_first(queue):
    a, b, c = (queue.enqueue(s, "web", "requested").entry for s in ("s1", "s2", "s3"))
    assert queue.claim(a.id, "王芳").won
    assert [queue.position(queue.get(e.id)) for e in (a, b, c)] == [0, 1, 2]


def test_a_second_seat_cannot_take_a_taken_conversation(queue):
    entry = queue.enqueue("web-a", "web", "requested").entry
    first, second = queue.claim(entry.id, "王芳"), queue.claim(entry.id, "李强")
    assert first.won and first.holder == "王芳" and first.entry.status == TAKEN
    assert not second.won and second.holder == "王芳"
    assert queue.claim(9999, "李强").entry is None


def test_concurrent_claims_have_exactly_one_winner(queue):
    entry = queue.enqueue("web-race", "web", "requested").entry
    seats = [f"坐席{n}" for n in range(8)]
    results, barrier = {}, threading.Barrier(len(seats))

    def take(seat):
        barrier.wait()
        results[seat] = queue.claim(entry.id, seat)

    threads = [threading.Thread(target=take, args=(s,)) for s in seats]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [s for s, r in results.items() if r.won]
    assert len(results) == len(seats) and len(winners) == 1
    assert queue.get(entry.id).taken_by == winners[0]
    assert {r.holder for r in results.values()} == {winners[0]}


def test_only_the_holder_hands_back_and_the_conversation_can_be_queued_again(queue):
    entry = queue.enqueue("web-a", "web", "requested").entry
    queue.claim(entry.id, "王芳")
    assert not queue.hand_back(entry.id, "李强")
    assert queue.hand_back(entry.id, "王芳")
    assert queue.get(entry.id).status == HANDED_BACK and queue.open_for("web-a") is None
    assert not queue.hand_back(entry.id, "王芳")
    again = queue.enqueue("web-a", "web", "anger")
    assert again.created and again.entry.id != entry.id


def test_release_puts_it_back_in_its_old_place(queue):
    a = queue.enqueue("s1", "web", "requested").entry
    b = queue.enqueue("s2", "web", "requested").entry
    queue.claim(a.id, "王芳")
    assert queue.position(queue.get(b.id)) == 1
    assert not queue.release(a.id, "李强")
    assert queue.release(a.id, "王芳")
    assert queue.get(a.id).status == WAITING and queue.get(a.id).taken_by is None
    assert [queue.position(queue.get(e.id)) for e in (a, b)] == [1, 2]


def test_long_waits_expire_once(queue, clock):
    old = queue.enqueue("old", "web", "requested").entry
    clock.advance(minutes=10)
    new = queue.enqueue("new", "web", "requested").entry
    taken = queue.enqueue("taken", "web", "requested").entry
    queue.claim(taken.id, "王芳")
    clock.advance(minutes=6)
    expired = queue.expire_waiting(dt.timedelta(minutes=15))
    assert [e.id for e in expired] == [old.id] and expired[0].status == EXPIRED
    assert queue.expire_waiting(dt.timedelta(minutes=15)) == []
    assert queue.get(new.id).status == WAITING and queue.get(taken.id).status == TAKEN
    assert queue.waited(queue.get(new.id)) == dt.timedelta(minutes=6)


def test_the_ticket_is_linked_by_its_holder(queue):
    entry = queue.enqueue("web-a", "web", "requested").entry
    queue.claim(entry.id, "王芳")
    assert not queue.link_ticket(entry.id, "李强", "202611230001")
    assert queue.link_ticket(entry.id, "王芳", "202611230001")
    assert queue.get(entry.id).ticket_number == "202611230001"
