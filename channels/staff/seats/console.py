"""The seat console's work, behind its HTTP handlers: the queue, taking a conversation, talking,
the ticket, handing back, and the waits nobody answered.

The queue is shared through the database (bot/seats/queue.py), the conversation lives in Rasa,
so any number of web server processes can serve any number of seats.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Dict, List, Optional, TypeVar

from bot import identities
from bot.seats import reasons
from bot.seats.hours import SeatHours
from bot.seats.models import STATUS_LABELS, TAKEN, WAITING, QueueEntry
from bot.seats.outcomes import SeatOutcomes
from bot.seats.queue import SeatQueue, utc
from bot.seats.service import ConversationsUnavailable, SeatRefused, SeatService
from bot.seats.settings import SeatSettings
from bot.seats.tickets import SeatTicketForm, SeatWords, open_or_update, record_words
from bot.settings import hotline_settings
from bot.tickets.policy import REQUEST_TYPES
from bot.tickets.store import TicketStore
from channels.staff.api.errors import ApiError
from channels.staff.api.staff import SEAT, StaffMember
from channels.staff.seats import transcript
from channels.staff.seats.conversations import RasaConversations
from channels.staff.seats.delivery import Delivery, DeliveryFailed
from channels.staff.seats.glance import Glance, masked
from channels.rasa_client import RasaUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_MESSAGE = 1000


def _iso(moment: Optional[dt.datetime]) -> Optional[str]:
    return utc(moment).isoformat() if moment else None


def who(entry: QueueEntry) -> str:
    """How the console names the citizen: channel and a short, non-identifying id."""
    label = identities.label(entry.channel)
    raw = identities.local_part(entry.sender_id)
    return f"{label}用户 {raw[:6]}…" if len(raw) > 6 else f"{label}用户 {raw}"


def _resumed_on_purpose(tracker: Dict[str, Any]) -> bool:
    """The conversation was resumed by the console itself (a hand-back under way: resume, then the
    assistant's turn, then the queue entry is closed), not by Rasa starting a new session; a poll
    in between must not pause it again."""
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "resume":
            return True
        if event.get("event") == "pause":
            return False
    return False


def _rasa_down(exc: Exception) -> ApiError:
    logger.error("Rasa unavailable for the seat console: %s", exc)
    return ApiError(503, "assistant_unavailable", "暂时连不上智能助手服务，请稍后重试")


def _refused(exc: SeatRefused) -> ApiError:
    return ApiError(404 if exc.code == "not_found" else 409, exc.code, str(exc))


@dataclass
class SeatConsole:
    """The console's side of the seats (bot/seats/service.py does the work): roles, the JSON the
    page shows, the seat's words on the citizen's channel, the ticket form."""
    queue: SeatQueue
    open_store: Callable[[], TicketStore]
    delivery: Delivery
    settings: SeatSettings
    hours: SeatHours

    def __post_init__(self) -> None:
        self.seats = SeatService(self.queue, RasaConversations(self.delivery.rasa))
        self.glance = Glance(self.delivery.rasa)

    @cached_property
    def outcomes(self) -> SeatOutcomes:
        # Bound on first use: the queue's engine opens the database lazily (context.py).
        return SeatOutcomes(self.queue.engine, self.settings.outcomes, hotline_settings().timezone)

    async def run(self, function: Callable[..., T], *args, **kwargs) -> T:
        return await asyncio.to_thread(functools.partial(function, *args, **kwargs))

    # -- reading -----------------------------------------------------------------------------

    def entry_json(self, entry: QueueEntry, member: StaffMember, position: int = 0) -> Dict[str, Any]:
        # The raw sender id (an openid, a call) is for seats, who talk to the citizen, only.
        return {"id": entry.id, "who": who(entry), "sender_id": entry.sender_id if member.role == SEAT else None,
                "channel": entry.channel,
                "channel_label": identities.label(entry.channel),
                "reason": entry.reason, "reason_label": reasons.label(entry.reason, entry.detail),
                "matched": (entry.detail or {}).get("matched") or [], "status": entry.status,
                "status_label": STATUS_LABELS.get(entry.status, entry.status),
                "waiting_since": _iso(entry.waiting_since), "waited_seconds": int(self.queue.waited(entry).total_seconds()),
                "position": position, "taken_by": entry.taken_by, "mine": entry.taken_by == member.name,
                "taken_seconds": int((self.queue.now() - utc(entry.taken_at)).total_seconds()) if entry.taken_at else None,
                "ticket_number": entry.ticket_number}

    def card_json(self, entry: QueueEntry, member: StaffMember, glance: Dict[str, Any], position: int = 0) -> Dict[str, Any]:
        card = self.entry_json(entry, member, position)
        words = glance.get("first_words") or ""
        # The first words may hold a phone or an address: in full for seats only.
        card.update(first_words=words if member.role == SEAT else masked(words),
                    citizen_messages=glance.get("citizen_messages"), last_citizen_at=glance.get("last_citizen_at"))
        return card

    async def queue_view(self, member: StaffMember) -> Dict[str, Any]:
        entries = await self.run(self.queue.open_entries)
        glances = await self.glance.cards(entries, member.name if member.role == SEAT else None)
        waiting = [e for e in entries if e.status == WAITING]
        return {"now": _iso(self.queue.now()), "open": self.hours.is_open(), "hours": self.hours.describe(),
                "waiting": [self.card_json(e, member, glances[e.id], n) for n, e in enumerate(waiting, 1)],
                "taken": [self.card_json(e, member, glances[e.id]) for e in entries if e.status == TAKEN]}

    async def entry(self, entry_id: int) -> QueueEntry:
        try:
            return await self.seats.entry(entry_id)
        except SeatRefused as exc:
            raise _refused(exc) from None

    async def conversation(self, member: StaffMember, entry_id: int) -> Dict[str, Any]:
        # A transcript holds everything the citizen said (phone, address, ID): seats only. Handlers
        # see tickets of their department through the staff API, masked as their role requires.
        if member.role != SEAT:
            raise ApiError(403, "forbidden", "只有热线坐席可以查看对话内容")
        entry = await self.entry(entry_id)
        try:
            tracker = await self.delivery.rasa.tracker(entry.sender_id)
        except RasaUnavailable as exc:
            raise _rasa_down(exc) from None
        can_write = entry.status == TAKEN and entry.taken_by == member.name and member.role == SEAT
        if can_write and not tracker.get("paused") and not _resumed_on_purpose(tracker):
            tracker = await self._pause_again(entry, tracker)
        tickets = await self.run(lambda: self.open_store().list(limit=20, sender_id=entry.sender_id))
        outcome = await self.run(self.outcomes.of, entry.id)
        return {"entry": self.entry_json(entry, member), "transcript": transcript.transcript(tracker.get("events") or []),
                "understanding": transcript.understanding(tracker), "ticket_form": transcript.ticket_prefill(tracker),
                "tickets": [{"number": t.number, "type_label": REQUEST_TYPES.get(t.request_type, t.request_type),
                             "status": t.status, "text": t.text[:80]} for t in tickets],
                "request_types": [{"value": k, "label": v} for k, v in REQUEST_TYPES.items()],
                "outcomes": [{"value": k, "label": v} for k, v in self.settings.outcomes.items()],
                "outcome": {"value": outcome.outcome, "label": self.settings.outcomes.get(outcome.outcome, outcome.outcome),
                            "note": outcome.note or ""} if outcome else None,
                "can_write": can_write, "can_mark": member.role == SEAT and entry.taken_by == member.name}

    async def _pause_again(self, entry: QueueEntry, tracker: Dict[str, Any]) -> Dict[str, Any]:
        """Rasa starts a new session after a long silence, which unpauses the conversation: while a
        seat holds it, the assistant must stay silent, so pause it again."""
        logger.warning("conversation held by a seat was not paused (new session?): pausing it again")
        try:
            await self.delivery.rasa.pause(entry.sender_id)
            return await self.delivery.rasa.tracker(entry.sender_id)
        except RasaUnavailable as exc:
            raise _rasa_down(exc) from None

    # -- taking and giving back --------------------------------------------------------------

    @staticmethod
    def require_seat(member: StaffMember) -> None:
        if member.role != SEAT:
            raise ApiError(403, "forbidden", "只有热线坐席可以接待对话；您的账号只能查看")

    async def held(self, member: StaffMember, entry_id: int) -> QueueEntry:
        self.require_seat(member)
        try:
            return await self.seats.held(entry_id, member.name)
        except SeatRefused as exc:
            raise _refused(exc) from None

    async def claim(self, member: StaffMember, entry_id: int) -> Dict[str, Any]:
        self.require_seat(member)
        try:
            entry = await self.seats.claim(entry_id, member.name)
        except SeatRefused as exc:
            raise _refused(exc) from None
        except ConversationsUnavailable as exc:
            # Taken, but the assistant may still answer: the console pauses it again when it polls.
            logger.warning("claimed, but the assistant could not be paused: %s", exc)
            entry = await self.entry(entry_id)
        warning = await self._greet(entry, member)
        return {"entry": self.entry_json(entry, member), "warning": warning}

    async def _greet(self, entry: QueueEntry, member: StaffMember) -> Optional[str]:
        """Say hello when configured (the claim has silenced the assistant)."""
        try:
            greeting = self.settings.messages.get("greeting", "").format(seat=member.name)
            if greeting and entry.channel != "voice":
                await self._deliver(entry, member, greeting)
        except (RasaUnavailable, DeliveryFailed) as exc:
            logger.warning("greeting after a claim failed: %s", exc)
            return f"已接待，但问候语没有发出：{exc}"
        return None

    async def release(self, member: StaffMember, entry_id: int) -> Dict[str, Any]:
        self.require_seat(member)
        try:
            await self.seats.release(entry_id, member.name)
        except SeatRefused as exc:
            raise _refused(exc) from None
        return {"ok": True}

    async def hand_back(self, member: StaffMember, entry_id: int) -> Dict[str, Any]:
        self.require_seat(member)
        try:
            entry, said = await self.seats.hand_back(entry_id, member.name)
        except SeatRefused as exc:
            raise _refused(exc) from None
        except ConversationsUnavailable as exc:
            raise _rasa_down(exc) from None
        return {"ok": True, "warning": await self._relay_assistant(entry, said)}

    async def _relay_assistant(self, entry: QueueEntry, said: List[Dict[str, Any]]) -> Optional[str]:
        try:
            await self.delivery.assistant_messages(entry, said)
        except DeliveryFailed as exc:
            logger.warning("assistant's answer after a hand-back not relayed: %s", exc)
            return str(exc)
        return None

    # -- talking -----------------------------------------------------------------------------

    async def _deliver(self, entry: QueueEntry, member: StaffMember, text: str) -> SeatWords:
        shown = self.settings.message("seat_prefix", seat=member.name) + text
        words = SeatWords(text, time.time())
        await self.delivery.seat_words(entry, shown, {"seat": member.name, "seat_text": text}, words.at)
        return words

    async def say(self, member: StaffMember, entry_id: int, text: str) -> Dict[str, Any]:
        text = (text or "").strip()
        if not text:
            raise ApiError(400, "empty", "请输入要发送的内容")
        if len(text) > MAX_MESSAGE:
            raise ApiError(400, "too_long", f"一条消息最多{MAX_MESSAGE}个字，请分几条发送")
        entry = await self.held(member, entry_id)
        try:
            words = await self._deliver(entry, member, text)
        except DeliveryFailed as exc:
            raise ApiError(502, "not_delivered", str(exc)) from None
        except RasaUnavailable as exc:
            raise _rasa_down(exc) from None
        if entry.ticket_number:
            await self.run(record_words, self.open_store(), entry.ticket_number, member.actor, words)
        return {"ok": True}

    # -- the ticket --------------------------------------------------------------------------

    async def ticket(self, member: StaffMember, entry_id: int, data: Dict[str, Any]) -> Dict[str, Any]:
        entry = await self.held(member, entry_id)
        form = SeatTicketForm.from_json(data)
        try:
            tracker = await self.delivery.rasa.tracker(entry.sender_id)
        except RasaUnavailable as exc:
            raise _rasa_down(exc) from None
        said = transcript.seat_words(tracker.get("events") or [], member.name)
        channel = entry.channel if entry.channel != "socketio" else "web"
        made = await self.run(open_or_update, self.open_store(), form, entry.sender_id, channel, member.name,
                              member.actor, said)
        await self.run(self.queue.link_ticket, entry.id, member.name, made.number)
        warning = None
        if data.get("tell_citizen", True):
            text = self.settings.message("ticket_opened" if made.created else "ticket_updated", type=made.type_label,
                                         number=made.number, deadline=f"{made.deadline:%Y年%m月%d日}")
            try:
                words = await self._deliver(entry, member, text)
                await self.run(record_words, self.open_store(), made.number, member.actor, words)
            except (DeliveryFailed, RasaUnavailable) as exc:
                warning = f"工单已登记，但没能告知市民：{exc}"
        return {"number": made.number, "created": made.created, "deadline": made.deadline.isoformat(),
                "type_label": made.type_label, "department": made.department, "warning": warning}

    # -- outcomes and the seat's day -----------------------------------------------------------

    async def mark_outcome(self, member: StaffMember, entry_id: int, data: Dict[str, Any]) -> Dict[str, Any]:
        self.require_seat(member)
        code, note = data.get("outcome"), data.get("note") or ""
        if not isinstance(code, str) or not isinstance(note, str):
            raise ApiError(400, "bad_outcome", "请选择一种处理结果")
        try:
            marked = await self.run(self.outcomes.mark, entry_id, member.name, code, note)
        except SeatRefused as exc:
            raise ApiError(404 if exc.code == "not_found" else 409 if exc.code == "not_yours" else 400,
                           exc.code, str(exc)) from None
        return {"outcome": marked.outcome, "label": self.settings.outcomes[marked.outcome], "note": marked.note or ""}

    async def today(self, member: StaffMember) -> Dict[str, Any]:
        """The signed-in seat's own figures for the day (no one else's)."""
        figures = await self.run(self.outcomes.day, member.name)
        return {"day": figures.day.isoformat(), "handled": figures.handled, "average_seconds": figures.average_seconds,
                "outcomes": [{"value": k, "label": v, "count": figures.outcomes.get(k, 0)}
                             for k, v in self.settings.outcomes.items()]}

    # -- waits nobody answered ---------------------------------------------------------------

    async def sweep(self) -> int:
        """Give the conversations that waited too long back to the assistant, which offers a ticket."""
        handled = await self.seats.expire_waits(dt.timedelta(minutes=self.settings.max_wait_minutes))
        for entry, said in handled:
            await self._relay_assistant(entry, said)
        return len(handled)
