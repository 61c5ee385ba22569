"""No ticket is lost or duplicated when the process opening it is killed half-way.

A worker opens tickets for a fixed list of request keys and is SIGKILLed at random moments, again
and again; then it runs to the end with the same keys, as a retried request would. Afterwards every
key has exactly one ticket, numbers are unique, and every ticket is whole: its "opened" event, and
for a follow-up the link and the event on the original, all or nothing.
"""
import os
import random
import signal
import subprocess
import sys
from collections import Counter

from sqlalchemy import func, select

from bot.settings import PROJECT_ROOT
from bot.tickets.database import make_engine
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.store import TicketStore

KEYS = 60
KILLS = 4


def worker(url: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.unit.bot.tickets.crash_worker", url, str(KEYS)], cwd=PROJECT_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def kill_mid_write(url: str, after: int) -> int:
    """Start a worker, let it open `after` tickets, SIGKILL it while it writes the next one;
    the number of tickets in the database when it died."""
    process = worker(url)
    assert process.stdout.readline().strip() == "ready"
    for _ in range(after):
        assert process.stdout.readline().startswith("opened")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return ticket_count(url)


def ticket_count(url: str) -> int:
    with TicketStore(make_engine(url)).sessions() as session:
        return session.execute(select(func.count(Ticket.id))).scalar_one()


def events_of(action: str):
    return select(TicketEvent.ticket_id).where(TicketEvent.action == action)


def test_killing_the_writer_loses_and_duplicates_nothing(database_url):
    rng = random.Random()
    delays = sorted(rng.sample(range(1, KEYS - 10), KILLS))    # tickets opened before each kill
    for after in delays:
        # The kill landed mid-run: some tickets were written, not all (a kill before or after the
        # work would prove nothing).
        assert after <= kill_mid_write(database_url, after) < KEYS
    finished = worker(database_url)
    assert finished.communicate(timeout=120)[0].split()[-1] == "done", f"kills after {delays}"

    store = TicketStore(make_engine(database_url))
    with store.sessions() as session:
        tickets = list(session.execute(select(Ticket)).scalars())
        opened = Counter(session.execute(events_of("opened")).scalars())
        follow_ups = Counter(session.execute(events_of("follow_up")).scalars())
        orphans = session.execute(select(func.count(TicketEvent.id)).where(
            TicketEvent.ticket_id.not_in(select(Ticket.id)))).scalar_one()
    keys = Counter(t.request_key for t in tickets)
    assert keys == Counter({f"k-{i}": 1 for i in range(KEYS)}), f"kills after {delays}"
    assert len({t.number for t in tickets}) == KEYS
    assert all(opened[t.id] == 1 for t in tickets) and orphans == 0
    by_key = {t.request_key: t for t in tickets}
    for i in range(4, KEYS, 5):
        original = by_key[f"k-{i - 1}"]
        assert by_key[f"k-{i}"].follow_up_of_id == original.id and follow_ups[original.id] == 1
