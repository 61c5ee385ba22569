"""Ticket lifecycle tests run on SQLite and on a real PostgreSQL server (the database_url fixture),
with a clock the test sets and the seed time limits written out (helpers.POLICY)."""
from __future__ import annotations

import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from tests.support.tickets import POLICY, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(2026, 11, 23, 10, 0)     # Monday 23 November 2026, 10:00 in Shanghai


@pytest.fixture
def store(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine)
    yield TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock)
    engine.dispose()


@pytest.fixture
def workflow(store) -> TicketWorkflow:
    return TicketWorkflow(store)
