"""Staff API tests: in-process on both database backends, and once against the running web server.

The running stack's web server inherits this process's environment when it starts, so the test
tokens are put into HOTLINE_STAFF_TOKENS here, at collection, before any stack is started.
"""
import os

import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.staff_api import STAFF_YAML
from tests.support.tickets import POLICY, Clock

os.environ.setdefault("HOTLINE_STAFF_TOKENS", STAFF_YAML)


@pytest.fixture
def clock() -> Clock:
    return Clock(2026, 11, 23, 10, 0)


@pytest.fixture
def store(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine)
    yield TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock)
    engine.dispose()
