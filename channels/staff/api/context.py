"""What the API handlers share: the ticket store (opened on first use) and the settings.

The store is opened lazily so that the citizens' chat page starts, and keeps working, even while
the ticket database is unreachable; the API then answers 503 until it is back.
"""
from __future__ import annotations

import asyncio
import functools
import threading
from dataclasses import dataclass, field
from typing import Callable, Optional, TypeVar

from aiohttp import web

from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from channels.staff.api.config import ApiSettings

T = TypeVar("T")


def open_default_store() -> TicketStore:
    from bot.tickets.database import open_store
    return open_store()


@dataclass
class ApiContext:
    settings: ApiSettings
    open_store: Callable[[], TicketStore] = open_default_store
    _store: Optional[TicketStore] = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self) -> TicketStore:
        with self._lock:
            if self._store is None:
                self._store = self.open_store()
            return self._store

    def workflow(self) -> TicketWorkflow:
        return TicketWorkflow(self.store())

    async def run(self, function: Callable[..., T], *args, **kwargs) -> T:
        """Database work off the event loop, so one slow query does not stall the chat page."""
        return await asyncio.to_thread(functools.partial(function, *args, **kwargs))


CONTEXT_KEY = web.AppKey("hotline_api_context", ApiContext)


def context_of(request: web.Request) -> ApiContext:
    return request.app[CONTEXT_KEY]
