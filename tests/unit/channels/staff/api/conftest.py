"""Staff API tests, in-process on both database backends (the test tokens: tests/conftest.py)."""
import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.tickets import POLICY, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(2026, 11, 23, 10, 0)


@pytest.fixture
def store(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine)
    yield TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock)
    engine.dispose()
