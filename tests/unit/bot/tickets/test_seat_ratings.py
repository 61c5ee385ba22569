"""A citizen rates the seat who served them, once per hand-off, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from bot.seats.queue import SeatQueue
from bot.tickets.errors import TicketError
from bot.tickets.seat_ratings import NothingToRate, SeatRatings, SeatServiceRating


@pytest.fixture
def engine(store):
    return store.engine


def test_only_a_handed_back_conversation_is_rated_and_only_once(engine):
    queue, ratings = SeatQueue(engine), SeatRatings(engine)
    entry = queue.enqueue("web-a", "web", "requested").entry
    with pytest.raises(NothingToRate):
        ratings.rate("web-a", "satisfied", None, "web")          # still waiting: nobody served them
    queue.claim(entry.id, "0123")
    with pytest.raises(NothingToRate):
        ratings.rate("web-a", "satisfied", None, "web")          # still with the seat
    queue.hand_back(entry.id, "0123")
    with pytest.raises(TicketError, match="原因"):
        ratings.rate("web-a", "unsatisfied", "嗯", "web")        # a reason says something
    with pytest.raises(NothingToRate):
        ratings.rate("web-b", "satisfied", None, "web")          # another conversation has nothing to rate
    row = ratings.rate("web-a", "unsatisfied", "等了很久，回答也不清楚", "web")
    assert (row.seat, row.rating) == ("0123", "unsatisfied") and "回答也不清楚" in row.reason
    with pytest.raises(NothingToRate):
        ratings.rate("web-a", "satisfied", None, "web")
    with ratings.sessions() as session:
        assert session.query(SeatServiceRating).count() == 1


def test_an_expired_wait_is_not_a_service_to_rate(engine):
    queue, ratings = SeatQueue(engine), SeatRatings(engine)
    entry = queue.enqueue("web-c", "web", "requested").entry
    queue._close(entry.id, ("waiting",), "expired")
    assert ratings.unrated_handoff("web-c") is None
