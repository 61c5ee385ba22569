"""The domain services the actions use, created once per action-server process."""
from __future__ import annotations

from functools import lru_cache

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore


@lru_cache(maxsize=None)
def ticket_store() -> TicketStore:
    engine = make_engine()
    migrate(engine)
    return TicketStore(engine)
