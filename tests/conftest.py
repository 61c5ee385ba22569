"""Shared fixtures: databases (SQLite and a real PostgreSQL) and one running assistant per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hotline.stack import DEFAULT_MODEL, Ports, Stack
from tests.support.postgres import postgres_database
from tests.support.staff_api import STAFF_YAML

# Every client of the test session comes from 127.0.0.1: per-address limits would count the whole
# suite as one abuser. The limits themselves are tested with their own figures (tests/security).
os.environ.setdefault("HOTLINE_LIMIT_SESSION_PER_ADDRESS", "1000000/3600")
os.environ.setdefault("HOTLINE_LIMIT_MESSAGE_PER_ADDRESS", "1000000/60")
# The staff of the tests (tests/support/staff_api.py): the stack's servers inherit this process's
# environment when they start.
os.environ.setdefault("HOTLINE_STAFF_TOKENS", STAFF_YAML)
# The service records' digest key, shared with the stack's action server, so a test can find a
# citizen's records by the digest it computes itself.
os.environ.setdefault("HOTLINE_SERVICE_LOG_KEY", "service-log-key-for-tests")


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with the limits' counters at zero (in-process tests share one process)."""
    from bot.limits import process_limits
    process_limits.cache_clear()
    yield


@pytest.fixture(scope="session")
def postgres_url():
    with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Each storage test runs on both backends of the one SQLAlchemy layer."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tickets.db'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def stack_database_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('stack') / 'tickets.db'}"


@pytest.fixture(scope="session")
def stack(tmp_path_factory, stack_database_url):
    """Rasa, the action server and the web page, started once for the whole session."""
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"{DEFAULT_MODEL} is missing: run the tests with `make test`, which trains it first")
    run_dir = Path(tmp_path_factory.mktemp("run"))
    env = {"HOTLINE_DATABASE_URL": stack_database_url}
    stack = Stack(ports=Ports.free(), run_dir=run_dir, env=env, say=lambda _msg: None)
    stack.start()
    # Rasa is locked: Stack.start() gave this process (and what the tests start) its secrets.
    # What runs in this process (the voice gateway of the voice tests) uses the stack's database.
    os.environ["HOTLINE_DATABASE_URL"] = stack_database_url
    from bot.settings import hotline_settings
    hotline_settings.cache_clear()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def rasa_url(stack) -> str:
    return stack.rasa_url


@pytest.fixture(scope="session")
def web_url(stack) -> str:
    return stack.web_url


@pytest.fixture
def ticket_store_of_stack(stack_database_url):
    from bot.tickets.database import make_engine, migrate
    from bot.tickets.store import TicketStore
    engine = make_engine(stack_database_url)
    migrate(engine)   # the action server migrates on first use; a test may look before that
    return TicketStore(engine)
