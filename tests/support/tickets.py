"""Building blocks of the ticket tests: the seed policy written out, a settable clock, drafts."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.tickets.policy import TicketPolicy
from bot.tickets.store import TicketDraft, TicketStore
from bot.workdays import WorkdayCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Seed 001 limits, seed 004 redo limits and warning cards, seeds 000/002 return window.
POLICY = TicketPolicy(
    time_limits={"consult": 3, "suggest": 5, "seek_help": 7, "complain": 10, "report": 10},
    max_extension=15, return_within=1, calendar=WorkdayCalendar(),
    redo_limits={"consult": 1, "suggest": 2, "seek_help": 2, "complain": 5, "report": 5}, max_redos=1,
    yellow_before_working_days=1, yellow_before_hours={"consult": 8})
SEAT, HANDLER = "热线坐席:王芳", "承办人:市城市管理综合执法局/李强"


class Clock:
    """Local (Asia/Shanghai) wall-clock time the store believes it is."""

    def __init__(self, *args):
        self.set(*args)

    def set(self, *args) -> None:
        self.local = dt.datetime(*args, tzinfo=SHANGHAI)

    def __call__(self) -> dt.datetime:
        return self.local


def draft(**changes) -> TicketDraft:
    values = dict(request_type="complain", text="楼下烧烤摊每天吵到半夜两点，根本睡不着", channel="web",
                  sender_id="web-user-1", facts={"location": "人民路88号"}, contact_name="张先生",
                  contact_phone="13812345678", consent_to_share=False)
    values.update(changes)
    return TicketDraft(**values)


def open_ticket(store: TicketStore, key: str = "k-1", **changes) -> str:
    return store.open_ticket(draft(**changes), request_key=key).number


def dept(dept_id: str, confidence: float = None) -> dict:
    """A department as the router's JSON names it."""
    from bot.tickets import departments
    found = departments.resolve(dept_id)
    data = {"id": found.id, "name": found.name, "hotline": found.hotline}
    return data if confidence is None else dict(data, confidence=confidence)


def routing(lead: str = "chengguan", co=(), abstain: bool = False, confidence: float = 0.91,
            candidates=(("chengguan", 0.91), ("shichang", 0.05), ("gongan", 0.02)), unknown_place=None) -> dict:
    """RoutingDecision.to_json() of the issue 16 router (lead, top 3, co-handlers, abstention, why)."""
    tops = [dept(d, c) for d, c in candidates]
    return {"department": dept(lead), "confidence": confidence, "runner_up": tops[1], "candidates": tops,
            "co_handlers": [dept(d, 0.6) for d in co], "abstain": abstain, "territory": None,
            "unknown_place": unknown_place, "why": {"matched": ["烧烤"], "note": "示例"}}


OLD_ROUTING = {"department": {"id": "chengguan", "name": "市城市管理综合执法局", "hotline": None},
               "confidence": 0.72, "runner_up": {"id": "shengtai", "name": "市生态环境局", "hotline": "12369",
                                                 "confidence": 0.2}, "territory": None}


def routed_draft(decision: dict, **changes) -> TicketDraft:
    """A draft as opening.suggest_department leaves it for this decision."""
    from bot.tickets.opening import suggest_department

    class Decision:
        def to_json(self):
            return decision

    import bot.routing
    original = bot.routing.route
    bot.routing.route = lambda _text, _place=None: Decision()
    try:
        made = draft(**changes)
        suggest_department(made, made.text)
    finally:
        bot.routing.route = original
    return made
