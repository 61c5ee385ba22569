"""Outcomes a seat marks and the seat's figures for the day (bot/seats/outcomes.py), on SQLite and
PostgreSQL: only the holder marks, a mark can be corrected, handled conversations and the average
handling time count the hotline's local day."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.seats.outcomes import SeatOutcomes
from bot.seats.queue import SeatQueue
from bot.seats.service import SeatRefused
from bot.seats.settings import DEFAULT_OUTCOMES
from bot.tickets.database import make_engine, migrate


class Clock:
    def __init__(self):
        # 10:00 in Shanghai.
        self.now = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def desk(database_url):
    clock = Clock()
    engine = make_engine(database_url)
    migrate(engine)
    yield SeatQueue(engine, clock=clock), SeatOutcomes(engine, DEFAULT_OUTCOMES, "Asia/Shanghai", clock=clock), clock
    engine.dispose()


def handle(queue, clock, sender, seat, minutes):
    entry = queue.enqueue(sender, "web", "requested").entry
    assert queue.claim(entry.id, seat).won
    clock.advance(minutes=minutes)
    assert queue.hand_back(entry.id, seat)
    return entry


def test_only_the_seat_that_held_it_marks_the_outcome_and_may_correct_it(desk):
    queue, outcomes, clock = desk
    entry = handle(queue, clock, "web-a", "王芳", 4)
    with pytest.raises(SeatRefused) as refused:
        outcomes.mark(entry.id, "李强", "answered")
    assert refused.value.code == "not_yours" and "只有接待" in str(refused.value)
    outcomes.mark(entry.id, "王芳", "answered")
    outcomes.mark(entry.id, "王芳", "ticket", note="已登记噪音投诉")
    marked = outcomes.of(entry.id)
    assert (marked.outcome, marked.note, marked.seat) == ("ticket", "已登记噪音投诉", "王芳")


@pytest.mark.parametrize("code, note, reason", [
    ("solved_by_magic", "", "bad_outcome"), ("answered", "长" * 201, "too_long")])
def test_bad_marks_are_refused_with_a_reason(desk, code, note, reason):
    queue, outcomes, clock = desk
    entry = handle(queue, clock, "web-a", "王芳", 1)
    with pytest.raises(SeatRefused) as refused:
        outcomes.mark(entry.id, "王芳", code, note)
    assert refused.value.code == reason and outcomes.of(entry.id) is None
    with pytest.raises(SeatRefused) as missing:
        outcomes.mark(999999, "王芳", "answered")
    assert missing.value.code == "not_found"


def test_the_day_counts_conversations_handed_back_and_their_average_time(desk):
    queue, outcomes, clock = desk
    first = handle(queue, clock, "web-a", "王芳", 4)
    handle(queue, clock, "web-b", "王芳", 8)
    handle(queue, clock, "web-c", "李强", 30)                  # someone else's
    released = queue.enqueue("web-d", "web", "requested").entry
    queue.claim(released.id, "王芳")
    queue.release(released.id, "王芳")                          # put back: not handled
    held = queue.enqueue("web-e", "web", "requested").entry
    queue.claim(held.id, "王芳")                                # still held: not handled yet
    outcomes.mark(first.id, "王芳", "answered")
    figures = outcomes.day("王芳")
    assert (figures.day, figures.handled, figures.average_seconds) == (dt.date(2026, 12, 7), 2, 360)
    assert figures.outcomes == {"answered": 1}
    empty = outcomes.day("张三")
    assert (empty.handled, empty.average_seconds, empty.outcomes) == (0, None, {})


def test_the_day_is_the_hotlines_local_day(desk):
    queue, outcomes, clock = desk
    clock.now = dt.datetime(2026, 12, 7, 15, 50, tzinfo=dt.timezone.utc)    # 23:50 in Shanghai
    handle(queue, clock, "web-a", "王芳", 5)                                  # handed back 23:55
    handle(queue, clock, "web-b", "王芳", 10)                                 # handed back 00:05, the next day
    figures = outcomes.day("王芳")
    assert (figures.day, figures.handled, figures.average_seconds) == (dt.date(2026, 12, 8), 1, 600)


def test_migration_0005_adds_outcomes_to_an_existing_queue_and_can_be_undone(database_url):
    from alembic import command
    from sqlalchemy import inspect

    from bot.tickets.database import alembic_config
    engine = make_engine(database_url)
    migrate(engine, "0004_restrictions")
    clock = Clock()
    entry = handle(SeatQueue(engine, clock=clock), clock, "web-old", "王芳", 3)   # made before 0005
    migrate(engine)
    SeatOutcomes(engine, DEFAULT_OUTCOMES, clock=clock).mark(entry.id, "王芳", "invalid")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_restrictions")
    tables = inspect(engine).get_table_names()
    assert "seat_outcomes" not in tables and SeatQueue(engine).get(entry.id).taken_by == "王芳"
    engine.dispose()
