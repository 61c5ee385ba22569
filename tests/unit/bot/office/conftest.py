"""The office's analyses run on a real ticket database (SQLite and PostgreSQL: database_url) in
the hotline's timezone, at the time of each test module's `clock` fixture."""
import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.tickets import POLICY


@pytest.fixture
def store(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine)
    yield TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock)
    engine.dispose()
