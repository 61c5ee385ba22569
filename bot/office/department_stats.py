"""Per-department figures of the office's statistics: what the seeds evaluate departments on.

Seeds 000 §30, 001 §23 and 002 五(三) judge a department (承办单位) on its workload, response,
on-time handling, returns (不当退单), redo after an unsatisfied rating (重办) and satisfaction
(满意率). Every figure here is read from one ticket row and its history (ticket_events), with the
lifecycle rules of bot/tickets/workflow.py:

- a ticket belongs to its lead department (department_id) once it has been dispatched; one waiting
  for dispatch or returned belongs to none;
- on time: each answer (reply event) records whether it came after the deadline then in force, and
  an approved extension (延期, at most max_extension working days, asked before the deadline) moves
  that deadline — so an extended ticket answered within its extension is on time, and a redo is
  judged against its own short redo deadline. A ticket is *judged* once it was answered, or once
  its deadline passed while its clock still runs (逾期未办结, late); open tickets still within
  their deadline are not judged yet. Imported tickets without events are judged by replied_at
  (or closed_at) against their deadline;
- returns (退单): a department asks to return a ticket (a `return` event) and the hotline office
  approves (`return_approved`) or refuses (`return_refused`, the department goes on: seeds 000 §13,
  003 §17); histories from before that review hold a `return` that moved the ticket at once (its
  status afterwards is `returned`). Returns are counted for the department that returned, and the
  return rate is approved returns over the tickets it received (led now, or returned by it);
- extensions: tickets whose deadline was extended (extended_days > 0, the office's decision) and
  the department's requests (extend_request events);
- redo rate: tickets reopened (redo_count > 0) over tickets closed at least once;
- satisfaction: the final rating of each rated ticket (the redo's rating replaces the first, seed
  004 (二)3); 满意率 = (满意 + 基本满意) / rated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from bot.tickets import lifecycle, satisfaction

UNASSIGNED = "待派单"


@dataclass
class TicketFacts:
    """What the statistics need of one ticket: no personal data."""
    id: int
    day: dt.date                    # local day it was opened
    request_type: str
    channel: str
    status: str
    department_id: Optional[str]    # the lead, None while waiting for dispatch
    department: Optional[str]
    deadline: dt.date
    replied_day: Optional[dt.date]
    closed_day: Optional[dt.date]
    extended_days: int
    redo_count: int
    rating: Optional[str]
    district: Optional[str]
    replies_late: List[bool] = field(default_factory=list)   # the `late` flag of each reply event
    extension_requests: int = 0                              # extend_request events
    returned_by: List[str] = field(default_factory=list)     # departments whose return was approved
    return_requests_by: List[str] = field(default_factory=list)   # departments that asked to return it
    return_refused_by: List[str] = field(default_factory=list)    # departments the office said no to


def is_late(ticket: TicketFacts, today: dt.date) -> Optional[bool]:
    """True late, False on time, None not judged yet (see the module docstring)."""
    running_past = ticket.status in lifecycle.CLOCK_RUNNING and ticket.deadline < today
    if ticket.replies_late:
        return any(ticket.replies_late) or running_past
    if running_past:
        return True
    answered = ticket.replied_day or ticket.closed_day
    if answered is not None:
        return answered > ticket.deadline
    return None


def rate(part: int, whole: int) -> Optional[float]:
    """A share rounded to four places; None (shown as —) when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def _empty(dept_id: str, name: str) -> Dict[str, Any]:
    return {"id": dept_id, "name": name, "tickets": 0, "replied": 0, "closed": 0, "judged": 0, "on_time": 0,
            "late": 0, "overdue_open": 0, "extended": 0, "extension_days": 0, "extension_requests": 0, "received": 0,
            "returns": 0, "return_requests": 0, "returns_refused": 0,
            "closed_once": 0, "redone": 0, "rated": 0, "satisfied": 0, "basically_satisfied": 0,
            "unsatisfied": 0}


def _count_lead(row: Dict[str, Any], t: TicketFacts, today: dt.date) -> None:
    row["tickets"] += 1
    row["replied"] += t.status in (lifecycle.REPLIED, lifecycle.CLOSED) or t.replied_day is not None
    row["closed"] += t.status == lifecycle.CLOSED
    late = is_late(t, today)
    if late is not None:
        row["judged"] += 1
        row["late" if late else "on_time"] += 1
    row["overdue_open"] += t.status in lifecycle.CLOCK_RUNNING and t.deadline < today
    row["extended"] += t.extended_days > 0
    row["extension_days"] += t.extended_days
    row["extension_requests"] += t.extension_requests
    row["closed_once"] += t.status == lifecycle.CLOSED or t.redo_count > 0
    row["redone"] += t.redo_count > 0
    if t.rating in satisfaction.RATINGS:
        row["rated"] += 1
        row[{satisfaction.SATISFIED: "satisfied", satisfaction.BASIC: "basically_satisfied",
             satisfaction.UNSATISFIED: "unsatisfied"}[t.rating]] += 1


def _with_rates(row: Dict[str, Any]) -> Dict[str, Any]:
    row["reply_rate"] = rate(row["replied"], row["tickets"])
    row["close_rate"] = rate(row["closed"], row["tickets"])
    row["on_time_rate"] = rate(row["on_time"], row["judged"])
    row["extension_rate"] = rate(row["extended"], row["tickets"])
    row["return_rate"] = rate(row["returns"], row["received"])
    row["redo_rate"] = rate(row["redone"], row["closed_once"])
    row["satisfied_rate"] = rate(row["satisfied"] + row["basically_satisfied"], row["rated"])
    row["unsatisfied_rate"] = rate(row["unsatisfied"], row["rated"])
    return row


def department_figures(tickets: Iterable[TicketFacts], today: dt.date, names: Dict[str, str]) -> List[Dict[str, Any]]:
    """One row per department that led or returned a ticket of the period, most tickets first."""
    rows: Dict[str, Dict[str, Any]] = {}
    received: Dict[str, set] = {}

    def row_of(dept_id: str, fallback: Optional[str]) -> Dict[str, Any]:
        if dept_id not in rows:
            rows[dept_id] = _empty(dept_id, names.get(dept_id) or fallback or dept_id)
            received[dept_id] = set()
        return rows[dept_id]

    for t in tickets:
        if t.department_id:
            _count_lead(row_of(t.department_id, t.department), t, today)
            received[t.department_id].add(t.id)
        for key, departments in (("returns", t.returned_by), ("return_requests", t.return_requests_by),
                                 ("returns_refused", t.return_refused_by)):
            for dept_id in departments:
                row_of(dept_id, None)[key] += 1
                received[dept_id].add(t.id)
    for dept_id, row in rows.items():
        row["received"] = len(received[dept_id])
    return sorted((_with_rates(r) for r in rows.values()), key=lambda r: (-r["tickets"], r["id"]))
