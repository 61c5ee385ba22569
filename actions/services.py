"""The domain services the actions use, created once per action-server process."""
from __future__ import annotations

import logging
import threading
from functools import lru_cache

from actions.messages import channel_of
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


# Service records (bot/office/service_log.py): what the assistant did for a citizen that no ticket
# shows. Written by one background thread, so that a busy or absent database (an import holding
# SQLite's write lock, PostgreSQL down) never keeps a citizen waiting; a failure is only logged.
_RECORDED_TURNS_KEPT = 10_000
_recorded_turns: "dict[tuple, None]" = {}
_record_lock = threading.Lock()


@lru_cache(maxsize=None)
def _service_log_over(store: TicketStore):
    from bot.office.service_log import ServiceLog
    return ServiceLog(store.engine)   # the ticket store's database, already migrated


def service_log():
    """The service log over this process's ticket store (one per process, as the store)."""
    return _service_log_over(ticket_store())


@lru_cache(maxsize=None)
def _service_log_writer():
    from concurrent.futures import ThreadPoolExecutor
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="service-log")


def _latest_turn(tracker) -> object:
    """The citizen's latest message as the tracker identifies it (Rasa gives each a message id and
    a time): an action run again for the same message sees the same. None when it cannot tell."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return event.get("message_id") or event.get("timestamp")
    return None


def record_service(tracker, kind: str, question: "str | None" = None, **detail) -> None:
    """Note what the assistant did for this citizen (bot/office/service_log.py): kind, the channel
    and the sender from the tracker, the question (the citizen's latest text unless given).

    Once per citizen message, kind and fell_to: an action run again for the same message records
    nothing more. Never raises; the row is written by a background thread, so a database that is
    busy (an import holding SQLite's write lock) keeps nobody waiting. Failures are logged masked."""
    log = logging.getLogger(__name__)
    try:
        if question is None:
            question = ((tracker.latest_message or {}).get("text") or "").strip() or None
        if question and question.startswith("/"):
            question = None   # a button's payload is no question
        sender = tracker.sender_id or ""
        detail = {name: value for name, value in detail.items() if value is not None}
        turn = _latest_turn(tracker)
        if turn is not None:
            key = (sender, kind, detail.get("fell_to"), turn)
            with _record_lock:
                if key in _recorded_turns:
                    return
                _recorded_turns[key] = None
                while len(_recorded_turns) > _RECORDED_TURNS_KEPT:
                    del _recorded_turns[next(iter(_recorded_turns))]
        channel = channel_of(tracker)
        # The store is opened here, not in the writer: opening migrates, and two threads of one
        # process must never run migrations at once (Alembic's context is process-wide). After
        # the first time this is the process's open store.
        service_records = service_log()
    except Exception as error:  # noqa: BLE001 - recording must never break the conversation
        _log_failure(log, kind, "not taken", error)
        return

    def _write() -> None:
        try:
            service_records.record(kind, channel, sender, question, **detail)
        except Exception as error:  # noqa: BLE001 - see above
            _log_failure(log, kind, "not written", error)

    try:
        _service_log_writer().submit(_write)
    except Exception as error:  # noqa: BLE001 - the interpreter is shutting down
        _log_failure(log, kind, "not queued", error)


def _log_failure(log: logging.Logger, kind: str, what: str, error: Exception) -> None:
    """One line, masked (bot/privacy.py): an error's text may quote the question it was writing."""
    from bot.privacy import mask_text
    log.error("service record %s %s (%s): %s", kind, what, type(error).__name__, mask_text(str(error))[:300])


def flush_service_records(timeout: float = 10.0) -> None:
    """Wait until the records taken so far are written (tests; a clean shutdown)."""
    _service_log_writer().submit(lambda: None).result(timeout=timeout)
