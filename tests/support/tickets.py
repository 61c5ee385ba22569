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
