"""A conversation's way through the human seats, as one service: asked for by the citizen (the
actions), claimed, released or handed back by a seat (the console), given up after too long a
wait (the console's sweeper).

    seats = SeatService(queue, conversations)
    seats.request(sender, channel, reason, detail)       # -> Placed; SeatRefused when over the limit
    entry = await seats.claim(entry_id, "王芳")           # the assistant falls silent
    said = await seats.hand_back(entry_id, "王芳")        # the assistant speaks again: its messages
    await seats.release(entry_id, "王芳")                 # back in the queue, in its old place
    for entry, said in await seats.expire_waits(max_wait): ...

The queue (queue.py) is the record of who holds what, shared by every process through the
database. The conversation itself is driven through `Conversations`, a port the channels implement
over Rasa (channels/staff/seats/conversations.py): this package knows nothing of Rasa.
Refusals are SeatRefused with a code and a sentence for the seat or the citizen.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Protocol, Tuple

from bot.limits import Refusal, process_limits
from bot.seats.models import STATUS_LABELS, TAKEN, QueueEntry
from bot.seats.queue import Placed, SeatQueue

logger = logging.getLogger(__name__)

HANDBACK_INTENT = "EXTERNAL_seat_handback"
TIMEOUT_INTENT = "EXTERNAL_queue_timeout"


class SeatRefused(Exception):
    """Not done; `code` for programs (not_found, taken, closed, not_yours, limited), str() for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class ConversationsUnavailable(Exception):
    """The assistant's conversations cannot be reached (raised by the port's implementation)."""


class Conversations(Protocol):
    """What the seats need of the assistant's conversations (the channels implement it; each
    method raises ConversationsUnavailable when the assistant cannot be reached)."""

    async def pause(self, sender_id: str) -> None: ...
    async def resume(self, sender_id: str) -> None: ...
    async def clear_draft(self, sender_id: str) -> None: ...
    async def run_intent(self, sender_id: str, intent: str) -> List[Dict[str, Any]]: ...


@dataclass
class SeatService:
    queue: SeatQueue
    conversations: Optional[Conversations] = None

    async def _db(self, function, *args):
        return await asyncio.to_thread(functools.partial(function, *args))

    # -- the citizen ---------------------------------------------------------------------------

    def request(self, sender_id: str, channel: str, reason: str, detail: Optional[Dict[str, Any]] = None) -> Placed:
        """Queue the conversation for a seat, once; one conversation may not flood the queue
        (settings/limits.yml seat_queue_per_sender)."""
        try:
            process_limits().hit("seat_queue_per_sender", sender_id)
        except Refusal as refusal:
            raise SeatRefused("limited", str(refusal)) from None
        return self.queue.enqueue(sender_id, channel, reason, detail)

    # -- a seat --------------------------------------------------------------------------------

    async def entry(self, entry_id: int) -> QueueEntry:
        found = await self._db(self.queue.get, entry_id)
        if found is None:
            raise SeatRefused("not_found", "没有这个对话，可能已被删除")
        return found

    async def held(self, entry_id: int, seat: str) -> QueueEntry:
        """The entry, if this seat holds it."""
        found = await self.entry(entry_id)
        if found.status != TAKEN or found.taken_by != seat:
            holder = f"由{found.taken_by}接待" if found.status == TAKEN else STATUS_LABELS.get(found.status, found.status)
            raise SeatRefused("not_yours", f"这个对话现在{holder}，您不能操作")
        return found

    async def claim(self, entry_id: int, seat: str) -> QueueEntry:
        """Take a waiting conversation (exactly one of several seats wins) and silence the assistant."""
        claim = await self._db(self.queue.claim, entry_id, seat)
        if claim.entry is None:
            raise SeatRefused("not_found", "没有这个对话")
        if not claim.won:
            if claim.entry.status == TAKEN:
                raise SeatRefused("taken", f"这个对话已由{claim.holder}接待，请选择其他对话")
            raise SeatRefused("closed", f"这个对话已{STATUS_LABELS.get(claim.entry.status, '结束')}，无需接待")
        await self.conversations.pause(claim.entry.sender_id)
        return claim.entry

    async def release(self, entry_id: int, seat: str) -> None:
        held = await self.held(entry_id, seat)
        await self._db(self.queue.release, held.id, seat)

    async def hand_back(self, entry_id: int, seat: str) -> Tuple[QueueEntry, List[Dict[str, Any]]]:
        """The assistant takes over again where the conversation stands (a draft the seat turned
        into a ticket is dropped); its messages, for channels Rasa cannot push to."""
        held = await self.held(entry_id, seat)
        if held.ticket_number:
            await self.conversations.clear_draft(held.sender_id)
        await self.conversations.resume(held.sender_id)
        said = await self.conversations.run_intent(held.sender_id, HANDBACK_INTENT)
        await self._db(self.queue.hand_back, held.id, seat)
        return held, said

    # -- waits nobody answered -----------------------------------------------------------------

    async def expire_waits(self, max_wait: dt.timedelta) -> List[Tuple[QueueEntry, List[Dict[str, Any]]]]:
        """Give waits longer than max_wait back to the assistant, which offers a ticket and a call
        back; each expired wait is handled by exactly one caller (an atomic update)."""
        expired = await self._db(self.queue.expire_waiting, max_wait)
        handled = []
        for entry in expired:
            try:
                await self.conversations.resume(entry.sender_id)
                handled.append((entry, await self.conversations.run_intent(entry.sender_id, TIMEOUT_INTENT)))
            except ConversationsUnavailable as exc:
                # The wait is over either way; the citizen's next message reaches the assistant.
                logger.error("could not give an expired wait back to the assistant: %s", exc)
        return handled
