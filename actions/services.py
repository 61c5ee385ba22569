"""The domain services the actions use, created once per action-server process."""
from __future__ import annotations

import logging
from functools import lru_cache

from bot.tickets.database import open_store
from bot.tickets.opening import TicketOpening
from bot.tickets.store import TicketStore


@lru_cache(maxsize=None)
def ticket_store() -> TicketStore:
    return open_store()


def ticket_opening() -> TicketOpening:
    """Opening tickets for citizens (bot/tickets/opening.py), over this process's store; a
    restricted contact phone (seed 004, bot/restrictions) is refused."""
    from bot.restrictions.checks import phone_refusal
    return TicketOpening(ticket_store(), phone_checks=(phone_refusal,))


_KB_RECHECK_SECONDS = 60
_kb_state: dict = {}


def knowledge_base():
    """The knowledge base with its FAISS index (a stale index is rebuilt or refused as
    settings/knowledge.yml says, never served). Opened once; about once a minute it checks
    whether an operator changed the sources or ran `hotline kb build`, and reopens if so."""
    import time
    from bot.knowledge.service import KnowledgeBase
    now = time.monotonic()
    if "kb" not in _kb_state:
        _kb_state.update(kb=KnowledgeBase.open(), checked=now)
    elif now - _kb_state["checked"] > _KB_RECHECK_SECONDS:
        _kb_state.update(kb=_kb_state["kb"].refreshed(), checked=now)
    return _kb_state["kb"]


def warm_up_in_background() -> None:
    """Load the encoders while the server starts, so the first citizen does not wait for them."""
    import threading

    def _load() -> None:
        try:
            knowledge_base()
        except Exception:  # noqa: BLE001 - reported again, with the reason, on first use
            logging.getLogger(__name__).exception("knowledge base could not be opened at start-up")
        try:
            # The router's encoder and labelled embeddings: a ticket's department is suggested
            # the moment the citizen confirms it.
            from bot.routing import load_router
            load_router()
        except Exception:  # noqa: BLE001 - opening a ticket reports it and leaves dispatch to the office
            logging.getLogger(__name__).exception("router could not be built at start-up")
    threading.Thread(target=_load, name="kb-warm-up", daemon=True).start()


def verification_refused(sender_id: str, number: str) -> "str | None":
    """One more try at "the last four digits of your phone" for this ticket: the refusal to say when
    this conversation, or anyone at all on this ticket, has tried too often (10,000 possible
    answers must not be guessable). None when the try may go ahead."""
    from bot.limits import Refusal, process_limits
    try:
        process_limits().hit("verification_per_sender", sender_id)
        process_limits().hit("verification_per_ticket", number)
    except Refusal as refusal:
        return str(refusal)
    return None
