"""What a queue card shows of a conversation beyond the queue row: the citizen's first words, and
for the seat's own conversations how many messages the citizen has sent (the page plays a sound
and marks the tab when that number grows).

First words never change, so they are read from Rasa's tracker once per queue entry and kept;
the count is read at each poll, but only for the conversations the asking seat holds (a few).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Iterable, List, Optional

from bot.privacy import mask_address, mask_text
from bot.seats.models import QueueEntry
from channels.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

FIRST_WORDS_LIMIT = 60
CACHE_LIMIT = 2000


def _said(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The citizen's own messages (not button payloads like /greet, not the console's external intents)."""
    return [e for e in events if e.get("event") == "user" and e.get("text")
            and not str(e.get("text")).startswith(("/", "EXTERNAL"))
            and not (e.get("metadata") or {}).get("is_external")]


def first_words(events: Iterable[Dict[str, Any]]) -> str:
    said = _said(events)
    text = str(said[0]["text"]).strip() if said else ""
    return text if len(text) <= FIRST_WORDS_LIMIT else text[:FIRST_WORDS_LIMIT] + "…"


def masked(text: str) -> str:
    """For staff not entitled to the citizen's personal data (handlers, read-only)."""
    return mask_address(mask_text(text))


class Glance:
    def __init__(self, rasa: RasaClient):
        self.rasa = rasa
        self._first: Dict[int, str] = {}

    async def _tracker(self, sender_id: str) -> Optional[Dict[str, Any]]:
        try:
            return await self.rasa.tracker(sender_id)
        except RasaUnavailable as exc:
            logger.warning("queue card without the conversation's words: %s", exc)
            return None

    async def _one(self, entry: QueueEntry, count: bool) -> Dict[str, Any]:
        known = self._first.get(entry.id)
        if known is not None and not count:
            return {"first_words": known}
        tracker = await self._tracker(entry.sender_id)
        if tracker is None:
            return {"first_words": known or ""}
        events = tracker.get("events") or []
        words = known if known is not None else first_words(events)
        if words and len(self._first) < CACHE_LIMIT:
            self._first[entry.id] = words
        said = _said(events)
        return {"first_words": words, "citizen_messages": len(said) if count else None,
                "last_citizen_at": said[-1].get("timestamp") if count and said else None}

    async def cards(self, entries: List[QueueEntry], seat: Optional[str]) -> Dict[int, Dict[str, Any]]:
        """entry id -> first words (and, for `seat`'s own conversations, the citizen's message count)."""
        found = await asyncio.gather(*(self._one(e, e.taken_by == seat and seat is not None) for e in entries))
        return {entry.id: glance for entry, glance in zip(entries, found)}


__all__ = ["Glance", "first_words", "masked"]
