"""The hotline office's statistics (seed 000 §21, §26; seed 002 四(一), 五(三); seed 003 §22): how
many requests came in and how they were handled, over a period of local dates.

    office_stats(store, date(2026, 11, 1), date(2026, 11, 30))                 # the whole hotline
    office_stats(store, date(2026, 11, 1), date(2026, 11, 30), "chengguan")    # one department

Sections of the result (plain JSON, no personal data: no names, phones, texts or sender ids):
- volume: tickets opened per local day (every day of the period, zeros included), per channel,
  request type, lead department and territory (the district of the place the router located
  when the ticket was opened, else of the place named in the ticket, else 未识别);
- referrals: emergency referrals by number (110/119/120/122) and matters not accepted by reason,
  from the service records (bot/office/service_log.py);
- assistant: knowledge-base answers, offers and unanswered questions, and the share answered by
  the assistant alone (defined at `answered_alone`);
- seats: hand-offs to a person (seat_queue rows whose waiting began in the period), by reason and
  outcome, and how long citizens waited until a seat took them;
- departments: the per-department figures of bot/office/department_stats.py;
- totals: tickets, overdue open tickets, on-time rate and 满意率 over every ticket of the period,
  those waiting for dispatch included (the department rows leave those out: no department had them).

With a department, volume and departments cover only the tickets that department leads, and the
office-wide sections (referrals, assistant, seats) are None: a department sees its own figures.

Periods are inclusive local dates in the store's timezone (settings/hotline.yml); a period may be
at most MAX_DAYS long. Rows are read with plain SELECTs and counted in Python, so SQLite and
PostgreSQL give the same figures whatever their date functions.
"""
from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple

from sqlalchemy import select

from bot.identities import label as channel_label
from bot.office import service_log as records
from bot.office.department_stats import UNASSIGNED, TicketFacts, department_figures, is_late, rate
from bot.request_types import REQUEST_TYPES
from bot.seats import reasons as seat_reasons
from bot.seats.models import STATUS_LABELS as SEAT_STATUS_LABELS, QueueEntry
from bot.settings import load_yaml
from bot.tickets import departments, lifecycle, satisfaction, suggestion
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.store import TicketStore

MAX_DAYS = 366
UNKNOWN_PLACE = "未识别"
NOT_ACCEPTED_LABELS = {
    "litigation": "诉讼、仲裁、复议事项", "petition": "信访事项", "discipline": "纪检监察、组织人事",
    "other_organs": "党委人大政协法院检察院军队事项", "info_disclosure": "政府信息公开申请",
    "secrets": "涉密及他人隐私", "jurisdiction": "不属本市管辖", "unlawful": "违法违规诉求",
}
EVENTS_READ = ("opened", "reply", "extend_request", "return", "return_approved", "return_refused")
FELL_TO_LABELS = {"ticket": "转为工单", "fallback": "未能理解", "seat": "转人工"}


class StatsError(ValueError):
    """A period the statistics refuse; the message can be shown as it is."""


# ------------------------------------------------------------------------------------ the period

def parse_date(text: Optional[str], what: str) -> dt.date:
    if not text:
        raise StatsError(f"请提供{what}，格式 YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise StatsError(f"{what}应为日期，格式 YYYY-MM-DD：{text}") from None


def parse_month(text: Optional[str]) -> Tuple[dt.date, dt.date]:
    """'2026-11' -> (2026-11-01, 2026-11-30)."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        raise StatsError(f"月份应为 YYYY-MM 格式，例如 2026-11：{text or '（空）'}") from None
    return first, month_end(first)


def month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise StatsError(f"开始日期（{start}）不能晚于结束日期（{end}）")
    days = (end - start).days + 1
    if days > MAX_DAYS:
        raise StatsError(f"统计区间最长{MAX_DAYS}天，所选区间有{days}天，请缩短区间或分段统计")


def _utc_bounds(store: TicketStore, start: dt.date, end: dt.date) -> Tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) local, in UTC: the stored times are UTC."""
    first = dt.datetime.combine(start, dt.time.min, tzinfo=store.zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=store.zone)
    return first.astimezone(dt.timezone.utc), after.astimezone(dt.timezone.utc)


# ------------------------------------------------------------------------------------ reading

def _district(routing: Dict[str, Any], facts: Dict[str, Any], text: str) -> Optional[str]:
    """The district of the ticket's place: the router's answer when it was opened, else located now
    (imported tickets carry no routing)."""
    territory = suggestion.read(routing).get("territory")
    if isinstance(territory, dict) and territory.get("district"):
        return str(territory["district"])
    if routing.get("territory") is None and routing:
        return None   # the router looked at this ticket and found no place: do not guess again
    located = _place_matcher().locate(text or "", str((facts or {}).get("location") or "")).territory
    return located.district if located else None


@lru_cache(maxsize=1)
def _place_matcher():
    from bot.routing.territory import PlaceMatcher
    catalogue = departments.catalogue()
    return PlaceMatcher(catalogue.places, catalogue.offices)


def _events_by_ticket(session, where) -> Dict[int, List[Tuple[str, Dict[str, Any]]]]:
    query = (select(TicketEvent.ticket_id, TicketEvent.action, TicketEvent.detail)
             .join(Ticket, Ticket.id == TicketEvent.ticket_id).where(*where)
             .where(TicketEvent.action.in_(EVENTS_READ))
             .order_by(TicketEvent.id))
    events: Dict[int, List[Tuple[str, Dict[str, Any]]]] = {}
    for ticket_id, action, detail in session.execute(query):
        events.setdefault(ticket_id, []).append((action, detail or {}))
    return events


def _facts(store: TicketStore, row, events: List[Tuple[str, Dict[str, Any]]]) -> TicketFacts:
    local_day = lambda moment: store.local_time(moment).date() if moment else None  # noqa: E731
    opened = next((d for a, d in events if a == "opened"), {})
    dispatched = row.status != lifecycle.ACCEPTED
    return TicketFacts(
        id=row.id, day=local_day(row.created_at), request_type=row.request_type, channel=row.channel,
        status=row.status, department_id=row.department_id if dispatched else None,
        department=row.department if dispatched else None, deadline=row.deadline,
        replied_day=local_day(row.replied_at), closed_day=local_day(row.closed_at),
        extended_days=row.extended_days or 0, redo_count=row.redo_count or 0, rating=row.satisfaction,
        district=_district(opened.get("routing") or {}, row.facts, row.text),
        replies_late=[bool(d.get("late")) for a, d in events if a == "reply"],
        extension_requests=sum(1 for a, _ in events if a == "extend_request"),
        returned_by=_by(events, _return_done),
        return_requests_by=_by(events, lambda a, d: a == "return"),
        return_refused_by=_by(events, lambda a, d: a == "return_refused"))


def _return_done(action: str, detail: Dict[str, Any]) -> bool:
    """An approved return, or one from before the office reviewed returns (it moved the ticket)."""
    return action == "return_approved" or (action == "return" and detail.get("status") == "returned")


def _by(events: List[Tuple[str, Dict[str, Any]]], wanted) -> List[str]:
    """The department ids named by the events `wanted(action, detail)` picks."""
    return [str(d["department_id"]) for a, d in events if wanted(a, d) and d.get("department_id")]


def load_tickets(store: TicketStore, start: dt.date, end: dt.date) -> List[TicketFacts]:
    """Every ticket opened in the period, as the few facts the statistics count."""
    first, after = _utc_bounds(store, start, end)
    where = (Ticket.created_at >= first, Ticket.created_at < after)
    columns = select(Ticket.id, Ticket.request_type, Ticket.status, Ticket.channel, Ticket.department_id,
                     Ticket.department, Ticket.created_at, Ticket.deadline, Ticket.replied_at,
                     Ticket.closed_at, Ticket.extended_days, Ticket.redo_count, Ticket.satisfaction,
                     Ticket.facts, Ticket.text).where(*where).order_by(Ticket.id)
    with store.sessions() as session:
        events = _events_by_ticket(session, where)
        return [_facts(store, row, events.get(row.id, [])) for row in session.execute(columns)]


def _queue_rows(store: TicketStore, start: dt.date, end: dt.date) -> List[QueueEntry]:
    first, after = _utc_bounds(store, start, end)
    query = select(QueueEntry).where(QueueEntry.waiting_since >= first, QueueEntry.waiting_since < after)
    with store.sessions() as session:
        return list(session.scalars(query.order_by(QueueEntry.id)))


# ------------------------------------------------------------------------------------ counting

def _counted(counter: Counter, labels=None) -> List[Dict[str, Any]]:
    """[{key, label, count}], most first, then by key, so equal counts keep a stable order."""
    labels = labels or (lambda key: key)
    return [{"key": key, "label": labels(key), "count": count}
            for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def _volume(tickets: List[TicketFacts], start: dt.date, end: dt.date, names: Dict[str, str]) -> Dict[str, Any]:
    per_day = Counter(t.day for t in tickets)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    by_department = Counter(t.department_id or "" for t in tickets)
    return {
        "by_day": [{"date": day.isoformat(), "count": per_day.get(day, 0)} for day in days],
        "by_channel": _counted(Counter(t.channel for t in tickets), channel_label),
        "by_type": _counted(Counter(t.request_type for t in tickets), lambda k: REQUEST_TYPES.get(k, k)),
        "by_department": _counted(by_department, lambda k: names.get(k, k) if k else UNASSIGNED),
        "by_territory": _counted(Counter(t.district or UNKNOWN_PLACE for t in tickets)),
    }


@lru_cache(maxsize=1)
def _emergency_services() -> Dict[str, str]:
    """'110' -> '公安报警电话', from settings/screening.yml."""
    entries = (load_yaml("screening.yml").get("emergencies") or {}).values()
    return {str(e.get("number")): str(e.get("service") or "") for e in entries if isinstance(e, dict)}


def _number_label(number: str) -> str:
    service = _emergency_services().get(number)
    return f"{number} {service}" if service else number


def _referrals(rows: List[records.ServiceRecord]) -> Dict[str, Any]:
    emergency = Counter(str((r.detail or {}).get("to") or "未知") for r in rows
                        if r.kind == records.EMERGENCY_REFERRAL)
    refused = Counter(str((r.detail or {}).get("reason") or "未知") for r in rows if r.kind == records.NOT_ACCEPTED)
    return {"emergency": {"total": sum(emergency.values()), "by_number": _counted(emergency, _number_label)},
            "not_accepted": {"total": sum(refused.values()),
                             "by_reason": _counted(refused, lambda k: NOT_ACCEPTED_LABELS.get(k, k))}}


def answered_alone(kb_answers: int, tickets: int, seat_without_ticket: int) -> Optional[float]:
    """Share of requests answered by the assistant alone (knowledge base, no ticket, no person):

        kb_answer records / (kb_answer records + tickets opened + seat hand-offs that opened no ticket)

    all counted over the same period. The denominator is every request that got an answer or a
    handling: from the knowledge base, as a ticket, or by a seat; a seat hand-off that ended in a
    ticket counts once, as the ticket. Emergency and not-accepted referrals and questions left
    unanswered are outside both. A conversation that got a knowledge-base answer and later also a
    ticket counts on both sides, so the share leans slightly high when that happens.
    """
    return rate(kb_answers, kb_answers + tickets + seat_without_ticket)


def _assistant(rows: List[records.ServiceRecord], tickets: int, queue: List[QueueEntry]) -> Dict[str, Any]:
    kinds = Counter(r.kind for r in rows)
    fell_to = Counter(str((r.detail or {}).get("fell_to") or "未知") for r in rows if r.kind == records.UNANSWERED)
    seat_only = sum(1 for q in queue if not q.ticket_number)
    return {"kb_answers": kinds[records.KB_ANSWER], "kb_offers": kinds[records.KB_OFFER],
            "unanswered": kinds[records.UNANSWERED],
            "unanswered_by": _counted(fell_to, lambda k: FELL_TO_LABELS.get(k, k)),
            "tickets": tickets, "seat_handoffs_without_ticket": seat_only,
            "answered_alone_share": answered_alone(kinds[records.KB_ANSWER], tickets, seat_only)}


def wait_summary(seconds: Iterable[float]) -> Dict[str, Optional[float]]:
    """Mean, median, 90th percentile (nearest rank) and longest wait, in seconds."""
    values = sorted(seconds)
    if not values:
        return {"count": 0, "mean": None, "median": None, "p90": None, "max": None}
    p90 = values[max(math.ceil(0.9 * len(values)) - 1, 0)]
    return {"count": len(values), "mean": round(statistics.fmean(values), 1),
            "median": round(statistics.median(values), 1), "p90": round(p90, 1), "max": round(values[-1], 1)}


def _seats(queue: List[QueueEntry]) -> Dict[str, Any]:
    waits = [(q.taken_at - q.waiting_since).total_seconds() for q in queue if q.taken_at is not None]
    return {"handoffs": len(queue), "taken": len(waits),
            "with_ticket": sum(1 for q in queue if q.ticket_number),
            "by_reason": _counted(Counter(q.reason for q in queue), lambda k: seat_reasons.LABELS.get(k, k)),
            "by_status": _counted(Counter(q.status for q in queue), lambda k: SEAT_STATUS_LABELS.get(k, k)),
            "wait_seconds": wait_summary(waits)}


def _department_names() -> Dict[str, str]:
    return {d.id: d.name for d in departments.catalogue().departments}


def _totals(tickets: List[TicketFacts], today: dt.date) -> Dict[str, Any]:
    """Over every ticket of the period, those waiting for dispatch included: an overdue ticket the
    office has not dispatched yet is late for the hotline even if no department is to blame."""
    judged = [late for late in (is_late(t, today) for t in tickets) if late is not None]
    ratings = Counter(t.rating for t in tickets if t.rating)
    return {"tickets": len(tickets),
            "overdue_open": sum(1 for t in tickets if t.status in lifecycle.CLOCK_RUNNING and t.deadline < today),
            "on_time_rate": rate(judged.count(False), len(judged)),
            "satisfied_rate": rate(ratings[satisfaction.SATISFIED] + ratings[satisfaction.BASIC], sum(ratings.values()))}


def office_stats(store: TicketStore, start: dt.date, end: dt.date,
                 department_id: Optional[str] = None) -> Dict[str, Any]:
    check_period(start, end)
    names = _department_names()
    tickets = load_tickets(store, start, end)
    figures = department_figures(tickets, store.today(), names)
    result: Dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "timezone": store.zone.key,
                              "department": None, "referrals": None, "assistant": None, "seats": None}
    if department_id is not None:
        tickets = [t for t in tickets if t.department_id == department_id]
        figures = [r for r in figures if r["id"] == department_id]
        result["department"] = {"id": department_id, "name": names.get(department_id, department_id)}
    else:
        first, after = _utc_bounds(store, start, end)
        service = records.ServiceLog(store.engine).between(first, after)
        queue = _queue_rows(store, start, end)
        result.update(referrals=_referrals(service), assistant=_assistant(service, len(tickets), queue),
                      seats=_seats(queue))
    result.update(totals=_totals(tickets, store.today()), volume=_volume(tickets, start, end, names),
                  departments=figures)
    return result
