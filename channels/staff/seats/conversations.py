"""bot.seats.service's port to the assistant, over Rasa's HTTP API (channels/rasa_client.py)."""
from __future__ import annotations

from typing import Any, Dict, List

from bot.seats.service import ConversationsUnavailable
from channels.rasa_client import RasaClient, RasaUnavailable

# The intake form's slots: a draft the seat turned into a ticket is dropped with them.
FORM_SLOTS = ("requested_slot", "request_type", "draft_id", "description", "location", "event_time",
              "involved_party", "anonymous", "contact_name", "contact_phone", "consent", "callback_requested",
              "held_form")


class RasaConversations:
    def __init__(self, rasa: RasaClient):
        self.rasa = rasa

    async def _call(self, coroutine):
        try:
            return await coroutine
        except RasaUnavailable as exc:
            raise ConversationsUnavailable(str(exc)) from None

    async def pause(self, sender_id: str) -> None:
        await self._call(self.rasa.pause(sender_id))

    async def resume(self, sender_id: str) -> None:
        await self._call(self.rasa.resume(sender_id))

    async def clear_draft(self, sender_id: str) -> None:
        events = [{"event": "active_loop", "name": None}] + [{"event": "slot", "name": s, "value": None} for s in FORM_SLOTS]
        await self._call(self.rasa.append(sender_id, events))

    async def run_intent(self, sender_id: str, intent: str) -> List[Dict[str, Any]]:
        return await self._call(self.rasa.trigger(sender_id, intent))
