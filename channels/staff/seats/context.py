"""What the seat console's handlers share, and how it is built from settings and the environment."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Optional

from aiohttp import web

from bot.seats.hours import SeatHours
from bot.seats.queue import SeatQueue
from bot.seats.settings import SeatSettings, seat_settings
from bot.settings import hotline_settings
from bot.tickets.store import TicketStore
from channels.staff.seats.console import SeatConsole
from channels.staff.seats.delivery import Delivery, WeChatRelay
from channels.staff.seats.knowledge import QuickAnswers
from channels.rasa_client import RasaClient


def open_default_store() -> TicketStore:
    from bot.tickets.database import open_store
    return open_store()


@dataclass
class LazyStore:
    """The ticket store (and through its engine the queue), opened on first use: the chat page
    starts and keeps working while the database is unreachable."""
    open_store: Callable[[], TicketStore] = open_default_store
    _store: Optional[TicketStore] = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self) -> TicketStore:
        with self._lock:
            if self._store is None:
                self._store = self.open_store()
            return self._store


class LazyQueue:
    """The seat queue over the ticket store's engine, bound on first use (a proxy of SeatQueue)."""

    def __init__(self, store: LazyStore):
        self._store = store
        self._queue: Optional[SeatQueue] = None

    def __getattr__(self, name: str):
        if self._queue is None:
            self._queue = SeatQueue(self._store().engine)
        return getattr(self._queue, name)


@dataclass
class SeatContext:
    console: SeatConsole
    quick_answers: QuickAnswers


CONTEXT_KEY = web.AppKey("hotline_seat_context", SeatContext)


def context_of(request: web.Request) -> SeatContext:
    return request.app[CONTEXT_KEY]


def default_context(settings: Optional[SeatSettings] = None, rasa_url: Optional[str] = None,
                    open_store: Callable[[], TicketStore] = open_default_store) -> SeatContext:
    settings = settings or seat_settings()
    store = LazyStore(open_store)
    delivery = Delivery(RasaClient(rasa_url or hotline_settings().rasa_url), WeChatRelay(settings.wechat_gateway_url))
    console = SeatConsole(LazyQueue(store), store, delivery, settings, SeatHours.from_settings(settings))
    return SeatContext(console, QuickAnswers(hits=settings.kb_hits, min_score=settings.kb_min_score))
