"""The held-out office history (eval/office_history.py): it imports with no rejected row, its
truth file describes exactly the rows written, the planted clusters are what they claim (several
citizens, one place in several forms, different wording, weeks long), nothing else repeats a
matter at a place, and it is the same for the same seed."""
from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.tickets.database import make_engine, migrate
from bot.tickets.importing import import_file
from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))
import office_history  # noqa: E402


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    out = tmp_path_factory.mktemp("history") / "history.csv"
    done = subprocess.run([sys.executable, str(ROOT / "eval" / "office_history.py"), "--out", str(out), "--seed", "7"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    assert "3000 records" in done.stdout
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    truth = json.loads(out.with_name("history.truth.json").read_text(encoding="utf-8"))
    return out, rows, truth


def test_it_imports_with_no_rejected_row_and_keeps_the_old_numbers(history, tmp_path):
    out, rows, truth = history
    engine = make_engine(f"sqlite:///{tmp_path / 'history.db'}")
    migrate(engine)
    report = import_file(TicketStore(engine, timezone="Asia/Shanghai"), out)
    assert (report.rejected, report.imported, report.rows) == ([], 3000, 3000)
    with engine.connect() as connection:
        tickets = connection.execute(select(Ticket.facts, Ticket.status, Ticket.department_id)).all()
    old_numbers = {facts["imported"]["原工单号"] for facts, _, _ in tickets}
    assert old_numbers == {row["原工单号"] for row in rows}
    statuses = Counter(status for _, status, _ in tickets)
    assert statuses["closed"] > 2000 and statuses["in_progress"] > 0 and statuses["accepted"] > 0
    assert len({dept for _, _, dept in tickets if dept}) >= 20
    engine.dispose()


def test_the_truth_file_names_every_row_once_and_by_its_number(history):
    _, rows, truth = history
    groups = ([c["rows"] for c in truth["clusters"]] + [d["rows"] for d in truth["decoys_same_matter"]]
              + [d["rows"] for d in truth["decoys_same_place"]] + [truth["one_offs"]["rows"]])
    every = sorted(i for group in groups for i in group)
    assert every == list(range(1, len(rows) + 1)) and truth["records"] == len(rows) == 3000
    for part in truth["clusters"] + truth["decoys_same_matter"] + truth["decoys_same_place"] + [truth["one_offs"]]:
        assert part["numbers"] == [rows[i - 1]["原工单号"] for i in part["rows"]]
    assert len(truth["clusters"]) == 12 and truth["one_offs"]["count"] >= 2000
    assert all(len(d["places"]) == len(set(d["places"])) >= 6 for d in truth["decoys_same_matter"])


def test_planted_clusters_are_several_citizens_at_one_place_over_weeks_in_different_words(history):
    _, rows, truth = history
    for cluster in truth["clusters"]:
        mine = [rows[i - 1] for i in cluster["rows"]]
        phones = {r["联系电话"] or f"anonymous-{i}" for i, r in zip(cluster["rows"], mine)}
        assert cluster["citizens"] == len(phones) >= max(6, cluster["count"] * 0.6), cluster["id"]
        first, last = (dt.date.fromisoformat(cluster[k]) for k in ("from", "to"))
        assert (last - first).days >= 10, cluster["id"]
        assert len({r["诉求内容"] for r in mine}) == len(mine), cluster["id"]      # no two reports alike
        said = [f for f in cluster["place_forms"] if any(f in r["诉求内容"] + r["发生地点"] for r in mine)]
        assert len(said) >= 3, cluster["id"]                                        # the place in several forms
        assert all(any(f in r["诉求内容"] + r["发生地点"] for f in cluster["place_forms"]) for r in mine)


def test_outside_the_clusters_no_topic_of_matter_repeats_at_a_place():
    from office_history_matters import topic
    records = office_history.generate(seed=3, count=1500)
    seen = Counter((topic(r.matter.family), r.base) for r in records if r.base and not r.group.startswith("c"))
    assert seen and max(seen.values()) == 1


def test_the_same_seed_gives_the_same_history_and_another_seed_another(tmp_path):
    texts = []
    for seed, name in ((5, "a"), (5, "b"), (6, "c")):
        office_history.main(["--out", str(tmp_path / f"{name}.csv"), "--seed", str(seed), "--count", "600"])
        texts.append((tmp_path / f"{name}.csv").read_bytes() + (tmp_path / f"{name}.truth.json").read_bytes())
    assert texts[0] == texts[1] != texts[2]
