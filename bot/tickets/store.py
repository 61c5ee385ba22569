"""Opening and reading tickets. Tickets are written only here (opening) and in workflow.py
(every later change), each in one transaction, so a crash leaves either all of a change or none."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.settings import hotline_settings
from bot.tickets import lifecycle, suggestion
from bot.tickets.errors import TicketError, TicketNotFound
from bot.tickets.models import Ticket, TicketEvent, TicketSequence
from bot.tickets.policy import REQUEST_TYPES, TicketPolicy, ticket_policy

STATUS_ACCEPTED = lifecycle.ACCEPTED   # 已受理, waiting for dispatch to a department
STATUS_LABELS = lifecycle.STATUS_LABELS

__all__ = ["OpenedTicket", "TicketDraft", "TicketError", "TicketStore", "format_number"]


@dataclass
class TicketDraft:
    request_type: str
    text: str
    channel: str
    sender_id: str
    facts: Dict[str, Any] = field(default_factory=dict)
    contact_name: Optional[str] = None
    contact_phone: Optional[str] = None
    consent_to_share: bool = False
    anonymous: bool = False
    # Suggested by the router (智能派单); a dispatcher confirms or reassigns it. The lead is
    # `department`, the suggested co-handlers (协办) `co_departments` ([{"id", "name"}]).
    department: Optional[str] = None
    routing: Dict[str, Any] = field(default_factory=dict)
    co_departments: List[Dict[str, str]] = field(default_factory=list)
    # Number of the open ticket this one adds new facts to (a follow-up, seed 003 §11(6)).
    follow_up_of: Optional[str] = None

    @property
    def department_id(self) -> Optional[str]:
        """None when the router abstained: the ticket waits for manual dispatch."""
        return suggestion.suggested_lead_id(self.routing)

    def check(self) -> None:
        if self.request_type not in REQUEST_TYPES:
            raise TicketError(f"未知的诉求类型：{self.request_type}")
        if not (self.text or "").strip():
            raise TicketError("诉求内容不能为空")
        if not self.anonymous and not self.contact_phone:
            raise TicketError("实名诉求需要联系电话")


@dataclass(frozen=True)
class OpenedTicket:
    number: str
    deadline: dt.date
    created: bool   # False when a retried request found the ticket it had already opened


def format_number(day: dt.date, sequence: int) -> str:
    """Readable on the phone: digits only, date first (202611220007)."""
    return f"{day:%Y%m%d}{sequence:04d}"


class TicketStore:
    def __init__(self, engine: Engine, policy: Optional[TicketPolicy] = None, timezone: Optional[str] = None,
                 clock: Optional[Callable[[], dt.datetime]] = None):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.policy = policy or ticket_policy()
        self.zone = ZoneInfo(timezone or hotline_settings().timezone)
        # Deadlines, cards and return windows depend on the time; tests pass a fixed clock.
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    def now(self) -> dt.datetime:
        """Stored in UTC so SQLite and PostgreSQL agree; shown in local time (local_time)."""
        return self.clock().astimezone(dt.timezone.utc)

    def local_now(self) -> dt.datetime:
        return self.local_time(self.now())

    def today(self) -> dt.date:
        return self.local_now().date()

    def local_time(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:   # SQLite returns the stored UTC value without its zone
            moment = moment.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(self.zone)

    def open_ticket(self, draft: TicketDraft, request_key: str, actor: str = "assistant") -> OpenedTicket:
        """Open a ticket once per request_key; a retry returns the ticket the first try opened."""
        draft.check()
        existing = self.find_by_request_key(request_key)
        if existing:
            return OpenedTicket(existing.number, existing.deadline, created=False)
        try:
            return self._insert(draft, request_key, actor)
        except IntegrityError:
            # A concurrent retry won the race on the unique request_key.
            existing = self.find_by_request_key(request_key)
            if existing is None:
                raise
            return OpenedTicket(existing.number, existing.deadline, created=False)

    def _insert(self, draft: TicketDraft, request_key: str, actor: str) -> OpenedTicket:
        now = self.now()
        local_day = self.local_time(now).date()
        deadline = self.policy.deadline(draft.request_type, local_day)
        with self.sessions.begin() as session:
            original = self._original(session, draft.follow_up_of)
            number = format_number(local_day, self._next_sequence(session, local_day))
            ticket = Ticket(
                number=number, request_key=request_key, request_type=draft.request_type,
                status=STATUS_ACCEPTED, text=draft.text.strip(), facts=dict(draft.facts),
                channel=draft.channel, sender_id=draft.sender_id, contact_name=draft.contact_name,
                contact_phone=draft.contact_phone, consent_to_share=draft.consent_to_share,
                anonymous=draft.anonymous, department=draft.department, department_id=draft.department_id,
                co_departments=[dict(d) for d in draft.co_departments], created_at=now, deadline=deadline,
                follow_up_of=original)
            detail = {"channel": draft.channel, "routing": draft.routing}
            if original is not None:
                detail["follow_up_of"] = original.number
                # The original's history shows that new facts arrived, in the same transaction.
                session.add(TicketEvent(ticket_id=original.id, at=now, actor=actor, action="follow_up",
                                        detail={"number": number}))
            ticket.events.append(TicketEvent(at=now, actor=actor, action="opened", detail=detail))
            session.add(ticket)
        return OpenedTicket(number, deadline, created=True)

    @staticmethod
    def _original(session: Session, number: Optional[str]) -> Optional[Ticket]:
        if not number:
            return None
        original = session.execute(select(Ticket).where(Ticket.number == number)).scalar_one_or_none()
        if original is None:
            raise TicketNotFound(number)
        return original

    @staticmethod
    def _next_sequence(session: Session, day: dt.date) -> int:
        """Atomic increment (UPDATE ... RETURNING), so concurrent writers never share a number
        on either backend; the day's first ticket creates the counter row."""
        bump = (update(TicketSequence).where(TicketSequence.day == day)
                .values(last=TicketSequence.last + 1).returning(TicketSequence.last))
        value = session.execute(bump).scalar_one_or_none()
        if value is not None:
            return value
        try:
            with session.begin_nested():
                session.add(TicketSequence(day=day, last=1))
            return 1
        except IntegrityError:
            return session.execute(bump).scalar_one()   # another writer created it first

    def find_by_request_key(self, request_key: str) -> Optional[Ticket]:
        with self.sessions() as session:
            return session.execute(select(Ticket).where(Ticket.request_key == request_key)).scalar_one_or_none()

    def get(self, number: str) -> Optional[Ticket]:
        with self.sessions() as session:
            query = select(Ticket).where(Ticket.number == number).options(selectinload(Ticket.events))
            return session.execute(query).scalar_one_or_none()

    def list(self, limit: int = 50, sender_id: Optional[str] = None) -> List[Ticket]:
        with self.sessions() as session:
            query = select(Ticket).order_by(Ticket.id.desc()).limit(limit)
            if sender_id:
                query = query.where(Ticket.sender_id == sender_id)
            return list(session.execute(query).scalars())

    def open_tickets_of(self, sender_id: str, phone: Optional[str] = None, limit: int = 50) -> List[Ticket]:
        """The person's tickets still open, newest first: same chat user, or the same phone."""
        person = Ticket.sender_id == sender_id
        if phone:
            person = or_(person, Ticket.contact_phone == phone)
        query = (select(Ticket).where(person, Ticket.status.in_(lifecycle.OPEN))
                 .order_by(Ticket.id.desc()).limit(limit))
        with self.sessions() as session:
            return list(session.execute(query).scalars())

    def latest_unrated(self, sender_id: str) -> Optional[Ticket]:
        """The chat user's most recently closed ticket that has no rating for its current round."""
        query = (select(Ticket).where(Ticket.sender_id == sender_id, Ticket.status == lifecycle.CLOSED,
                                      Ticket.satisfaction.is_(None))
                 .order_by(Ticket.closed_at.desc(), Ticket.id.desc()).limit(1))
        with self.sessions() as session:
            return session.execute(query).scalar_one_or_none()
