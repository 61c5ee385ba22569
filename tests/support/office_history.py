"""A month of hotline work with known properties, for the office's statistics tests and the dashboard.

`build_history` opens tickets through the real store and moves them through the real workflow
(dispatch, sign for, extend, return, answer, close, rate, redo) with a settable clock, writes service
records through ServiceLog and seat-queue rows as the queue leaves them. It returns what it did as
plain Python (`Planned` per ticket), so a test can compute the expected figures from the plan and not
from the database. Seeded: the same seed gives the same history.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.office.service_log import (EMERGENCY_REFERRAL, KB_ANSWER, KB_OFFER, NOT_ACCEPTED, UNANSWERED,
                                    ServiceLog)
from bot.seats.models import EXPIRED, HANDED_BACK, TAKEN, QueueEntry
from bot.tickets.reviews import TicketReviews
from bot.tickets.store import TicketDraft, TicketStore
from bot.tickets.workflow import TicketWorkflow
from tests.support.tickets import SHANGHAI, Clock, dept

LEADS = ("chengguan", "gongan", "shichang", "zhujian", "jiaotong", "gongshui")
CHANNELS = ("voice", "voice", "web", "wechat", "wechat")
TYPES = ("complain", "complain", "seek_help", "consult", "report", "suggest")
# (place named by the citizen, district the router located) — None: the router found no place.
PLACES = (("解放路", "中山区"), ("人民广场", "中山区"), ("翡翠湾小区", "滨江区"), ("江湾新城", "滨江区"),
          ("北湖公园", "北城区"), ("老城区", "中山区"), (None, None))
TEXTS = {"complain": "楼下烧烤摊每天吵到半夜，油烟很大", "seek_help": "小区路灯坏了一个多月没人修",
         "consult": "想问一下新生儿医保怎么办理", "report": "有人在河边倾倒建筑垃圾",
         "suggest": "建议在学校门口增设人行横道信号灯"}
RATINGS = ("satisfied", "satisfied", "basically_satisfied", "unsatisfied")
SEAT = "热线坐席:王芳"


@dataclass
class Planned:
    """What the generator did to one ticket (the test's own account, never read from the database)."""
    number: str
    opened: dt.datetime                 # local
    request_type: str
    channel: str
    district: Optional[str]             # expected territory (None: 未识别)
    deadline: dt.date                   # the deadline now in force
    status: str = "accepted"
    lead: Optional[str] = None          # the department leading it now (None: waiting for dispatch)
    replies: List[Tuple[dt.date, dt.date]] = field(default_factory=list)   # (answered on, deadline then)
    extended_days: int = 0
    extension_requests: int = 0
    returned_by: List[str] = field(default_factory=list)        # returns the office approved
    return_requests_by: List[str] = field(default_factory=list)
    return_refused_by: List[str] = field(default_factory=list)
    redo: bool = False
    rating: Optional[str] = None        # final rating


@dataclass
class History:
    tickets: List[Planned]
    records: List[Tuple[str, dt.datetime, Dict]]     # (kind, local time, detail)
    queue: List[Dict]                                # the seat_queue rows as written (local times)
    now: dt.datetime                                 # local time the statistics are taken at


def _routing(lead: Optional[str], place: Optional[str], district: Optional[str]) -> dict:
    """RoutingDecision.to_json() of a routed request; an abstention when lead is None."""
    territory = None if district is None else {
        "id": "x", "office": "办事处", "district": district, "district_office": f"{district}人民政府",
        "street": None, "matched": place}
    if lead is None:
        return {"department": None, "abstain": True, "candidates": [], "territory": territory}
    return {"department": dept(lead), "confidence": 0.9, "candidates": [dept(lead, 0.9)], "co_handlers": [],
            "abstain": False, "territory": territory}


class _Generator:
    def __init__(self, store: TicketStore, clock: Clock, seed: int, now: dt.datetime):
        self.store, self.clock, self.rng, self.now, self.seed = store, clock, random.Random(seed), now, seed
        self.flow = TicketWorkflow(store)
        self.reviews = TicketReviews(self.flow)

    def at(self, moment: dt.datetime) -> bool:
        """Set the clock to a local moment; False (nothing done) when it is after `now`."""
        if moment > self.now:
            return False
        self.clock.set(moment.year, moment.month, moment.day, moment.hour, moment.minute)
        return True

    def open(self, n: int, moment: dt.datetime) -> Planned:
        rng = self.rng
        request_type, channel = rng.choice(TYPES), rng.choice(CHANNELS)
        place, district = rng.choice(PLACES)
        lead = None if rng.random() < 0.1 else rng.choice(LEADS)
        routing = _routing(lead, place, district)
        if rng.random() < 0.06:   # imported-style: no routing stored; the place is located from the facts
            routing, place, district = {}, "翡翠湾小区", "滨江区"
        self.at(moment)
        draft = TicketDraft(request_type=request_type, text=TEXTS[request_type], channel=channel,
                            sender_id=f"{channel}-citizen-{n}", facts={"location": place} if place else {},
                            contact_name="市民", contact_phone=f"1380000{n:04d}", routing=routing)
        opened = self.store.open_ticket(draft, request_key=f"history-{self.seed}-{moment:%Y%m%d%H%M}-{n}")
        return Planned(opened.number, moment, request_type, channel, district, opened.deadline)

    def handle(self, p: Planned) -> None:
        rng, start = self.rng, p.opened
        if rng.random() < 0.08:
            return                                         # still waiting for dispatch
        lead = rng.choice(LEADS)
        self.at(start + dt.timedelta(minutes=30))
        self.flow.dispatch(p.number, lead, SEAT)
        p.status, p.lead = "dispatched", lead
        if rng.random() < 0.1:
            return
        self.at(start + dt.timedelta(hours=1))
        self.flow.accept(p.number, "承办人", lead)
        p.status = "in_progress"
        if rng.random() < 0.12 and not self._returned(p, lead, start):
            return
        if rng.random() < 0.25:
            self._extension(p, start)
        if self._reply(p, start.date() + dt.timedelta(days=1)) and self._close_and_rate(p):
            self._redo(p)

    def _extension(self, p: Planned, start: dt.datetime) -> None:
        """The lead asks for 3 or 5 working days; the office approves (three times in four) or refuses."""
        days = self.rng.choice((3, 5))
        self.at(start + dt.timedelta(hours=3))
        self.flow.extend(p.number, days, "需现场核查", "承办人", p.lead)
        p.extension_requests += 1
        self.at(start + dt.timedelta(hours=4))
        approve = self.rng.random() < 0.75
        ticket = self.reviews.decide_extension(p.number, approve, "同意" if approve else "理由不充分", SEAT)
        if approve:
            p.deadline, p.extended_days = ticket.deadline, p.extended_days + days

    def _returned(self, p: Planned, lead: str, start: dt.datetime) -> bool:
        """The lead asks to return it; True when it goes on (refused, or dispatched again)."""
        self.at(start + dt.timedelta(hours=2))
        self.flow.return_ticket(p.number, "不属于本单位职责", "承办人", lead)
        p.return_requests_by.append(lead)
        self.at(start + dt.timedelta(hours=2, minutes=30))
        if self.rng.random() < 0.3:
            self.reviews.decide_return(p.number, False, "属于本单位职责，请继续办理", SEAT)
            p.return_refused_by.append(lead)
            return True
        self.reviews.decide_return(p.number, True, "同意退单", SEAT)
        p.returned_by.append(lead)
        p.status, p.lead = "returned", None
        if self.rng.random() < 0.4:
            return False
        other = self.rng.choice([d for d in LEADS if d != lead])
        self.at(start + dt.timedelta(hours=3))
        self.flow.dispatch(p.number, other, SEAT)
        p.status, p.lead = "dispatched", other
        return True

    def _reply(self, p: Planned, not_before: dt.date) -> bool:
        day = max(p.deadline + dt.timedelta(days=self.rng.choice((-4, -3, -2, -2, -1, -1, 0, 0, 1, 3))), not_before)
        if not self.at(dt.datetime.combine(day, dt.time(15, 0), tzinfo=SHANGHAI)):
            return False
        self.flow.reply(p.number, "已现场处理并答复市民", "承办人", p.lead)
        p.replies.append((day, p.deadline))
        p.status = "replied"
        return True

    def _close_and_rate(self, p: Planned) -> bool:
        """Closed the next day, rated after; True when the rating reopened it (重办)."""
        answered = p.replies[-1][0]
        if self.rng.random() < 0.15 or not self.at(dt.datetime.combine(answered + dt.timedelta(days=1),
                                                                         dt.time(10, 0), tzinfo=SHANGHAI)):
            return False
        self.flow.close(p.number, SEAT)
        p.status = "closed"
        if self.rng.random() < 0.3 or not self.at(dt.datetime.combine(answered + dt.timedelta(days=1),
                                                                        dt.time(16, 0), tzinfo=SHANGHAI)):
            return False
        rating = self.rng.choice(RATINGS)
        outcome = self.flow.rate(p.number, rating, "问题没有解决" if rating == "unsatisfied" else None, SEAT)
        if outcome.reopened:
            p.status, p.redo, p.deadline = "reopened", True, outcome.deadline
            return True
        p.rating = rating
        return False

    def _redo(self, p: Planned) -> None:
        reopened_on = p.replies[-1][0] + dt.timedelta(days=2)   # the day after the rating
        if self._reply(p, reopened_on) and self.rng.random() < 0.8:
            self._close_and_rate(p)


def _records(gen: _Generator, start: dt.date, days: int) -> List[Tuple[str, dt.datetime, Dict]]:
    log, rng, made = ServiceLog(gen.store.engine), gen.rng, []
    kinds = (EMERGENCY_REFERRAL, NOT_ACCEPTED, KB_ANSWER, KB_ANSWER, KB_ANSWER, KB_OFFER, UNANSWERED)
    for n in range(days * 5):
        kind = rng.choice(kinds)
        detail = {EMERGENCY_REFERRAL: lambda: {"to": rng.choice(("110", "119", "120", "122")), "evidence": "rule"},
                  NOT_ACCEPTED: lambda: {"reason": rng.choice(("litigation", "petition", "jurisdiction"))},
                  KB_ANSWER: lambda: {"entry_id": f"kb-{rng.randint(1, 40)}", "score": 0.8},
                  KB_OFFER: lambda: {"entry_ids": ["kb-1", "kb-2"], "scores": [0.6, 0.5]},
                  UNANSWERED: lambda: {"fell_to": rng.choice(("ticket", "fallback", "seat"))}}[kind]()
        # Some just outside the period, to show its bounds are kept (local midnight, not UTC's).
        offset = rng.choice((-1, days)) if n % 25 == 0 else rng.randrange(days)
        moment = dt.datetime.combine(start + dt.timedelta(days=offset), dt.time(rng.randrange(24), 30),
                                     tzinfo=SHANGHAI)
        log.record(kind, rng.choice(CHANNELS), f"citizen-{n}", "问题", at=moment, **detail)
        made.append((kind, moment, detail))
    return made


def _queue(gen: _Generator, start: dt.date, days: int) -> List[Dict]:
    rng, rows = gen.rng, []
    for n in range(days * 2):
        since = dt.datetime.combine(start + dt.timedelta(days=rng.randrange(days)),
                                    dt.time(rng.randrange(8, 22), rng.randrange(60)), tzinfo=SHANGHAI)
        status = rng.choice((TAKEN, HANDED_BACK, HANDED_BACK, EXPIRED))
        taken = since + dt.timedelta(seconds=rng.randrange(5, 600)) if status != EXPIRED else None
        rows.append({"sender_id": f"queue-{gen.seed}-{start}-{n}", "channel": rng.choice(CHANNELS),
                     "reason": rng.choice(("requested", "misunderstood", "anger")), "status": status,
                     "waiting_since": since, "taken_at": taken,
                     "ticket_number": f"T{n}" if status == HANDED_BACK and n % 3 == 0 else None})
    with gen.store.sessions.begin() as session:
        for row in rows:
            session.add(QueueEntry(detail={}, taken_by=SEAT if row["taken_at"] else None,
                                   **{k: (v.astimezone(dt.timezone.utc) if isinstance(v, dt.datetime) else v)
                                      for k, v in row.items()}))
    return rows


def build_history(store: TicketStore, clock: Clock, seed: int = 13, tickets: int = 200,
                  start: dt.date = dt.date(2026, 11, 1), days: int = 30,
                  now: dt.datetime = dt.datetime(2026, 12, 10, 12, 0, tzinfo=SHANGHAI)) -> History:
    gen = _Generator(store, clock, seed, now)
    # The period's edges in local time: 00:05 on its first day (the previous day in UTC) is in,
    # 00:05 on the day after its last is out.
    edges = [dt.datetime.combine(start, dt.time(0, 5), tzinfo=SHANGHAI),
             dt.datetime.combine(start + dt.timedelta(days=days), dt.time(0, 5), tzinfo=SHANGHAI)]
    moments = edges + sorted(
        dt.datetime.combine(start + dt.timedelta(days=gen.rng.randrange(days)),
                            dt.time(gen.rng.randrange(7, 23), gen.rng.randrange(60)), tzinfo=SHANGHAI)
        for _ in range(tickets - len(edges)))
    planned = []
    for n, moment in enumerate(moments):
        if moment > now:
            continue        # nobody has called from the future
        p = gen.open(n, moment)
        gen.handle(p)
        planned.append(p)
    records, queue = _records(gen, start, days), _queue(gen, start, days)
    gen.at(now)
    return History(planned, records, queue, now)
