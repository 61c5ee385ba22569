"""Actions run against a real ticket database (SQLite in a temporary folder). Every test gets one,
even a test that never asks for it: actions record what they did (service records) in the
process's database, and a test must never write into the configured one (var/hotline.db)."""
import pytest

from actions import services
from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    migrate(engine)
    store = TicketStore(engine)
    monkeypatch.setattr(services, "ticket_store", lambda: store)
    for module in ("actions.intake", "actions.ticket_lookup"):
        monkeypatch.setattr(f"{module}.ticket_store", lambda: store)
    return store
