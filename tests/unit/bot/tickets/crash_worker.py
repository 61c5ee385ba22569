"""Opens tickets for request keys k-0 ... k-(N-1), as the action server would, until killed.

Run by test_crash_safety.py: `python -m tests.unit.bot.tickets.crash_worker DATABASE_URL N`. Every fifth
ticket is a follow-up of the one before, so one transaction writes two tickets' rows. Prints
"ready" once it is about to write and "opened N" after each ticket, so the test kills it mid-work
(while the next ticket is being written) rather than while importing.
"""
from __future__ import annotations

import sys

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketDraft, TicketStore


def draft(index: int, store: TicketStore) -> TicketDraft:
    follow_up_of = None
    if index % 5 == 4:
        original = store.find_by_request_key(f"k-{index - 1}")
        follow_up_of = original.number if original else None
    return TicketDraft(request_type="complain", text=f"第{index}号诉求：楼下噪音扰民", channel="test",
                       sender_id=f"crash-{index}", facts={"location": "人民路88号"},
                       contact_name="张先生", contact_phone="13812345678", follow_up_of=follow_up_of)


def main(url: str, count: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    store = TicketStore(engine)
    print("ready", flush=True)
    for index in range(count):
        store.open_ticket(draft(index, store), request_key=f"k-{index}")
        print(f"opened {index}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
