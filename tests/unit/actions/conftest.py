"""Actions run against a real ticket database (SQLite in a temporary folder)."""
import pytest

from actions import services
from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore


@pytest.fixture
def store(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    migrate(engine)
    store = TicketStore(engine)
    monkeypatch.setattr(services, "ticket_store", lambda: store)
    for module in ("actions.intake", "actions.ticket_lookup"):
        monkeypatch.setattr(f"{module}.ticket_store", lambda: store)
    return store
