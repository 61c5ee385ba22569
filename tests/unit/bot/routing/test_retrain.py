"""`hotline route retrain`: the router learns the office's corrections, keeps the catalogue's
examples, and refuses (and reports) a correction that would make it worse on held-out requests."""
import copy
import dataclasses
import datetime as dt

import yaml

from bot.routing import Router, load_catalogue
from bot.routing.retrain import heldout_cases, retrain
from bot.routing.training import labelled_examples
from tests.unit.bot.routing.conftest import SMALL, write_catalogue

HELDOUT = [
    {"department": "reli", "text": "暖气片一点都不热"},
    {"department": "reli", "text": "供暖季到了家里还是冰凉"},
    {"department": "gongdian", "text": "家里突然停电了"},
    {"department": "gongdian", "text": "这个月电费怎么这么高"},
    {"department": "gongdian", "text": "整栋楼停电抢修要多久"},
]


@dataclasses.dataclass(frozen=True)
class Correction:
    number: str
    text: str
    department_id: str
    kind: str = "reassign"
    at: dt.datetime = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


def _catalogue(tmp_path):
    data = copy.deepcopy(SMALL)
    (tmp_path / "heldout.yml").write_text(yaml.safe_dump({"cases": HELDOUT}, allow_unicode=True), encoding="utf-8")
    data["router"].update(learned_file=str(tmp_path / "learned.yml"), retrain_heldout=[str(tmp_path / "heldout.yml")])
    return load_catalogue(write_catalogue(tmp_path, data))


def test_a_correction_that_helps_is_learned_and_the_router_uses_it(tmp_path):
    catalogue = _catalogue(tmp_path)
    result = retrain(catalogue, [Correction("20261201001", "楼里的电闸跳了整层都黑了", "gongdian")], heldout_cases(catalogue))
    assert [c.number for c in result.accepted] == ["20261201001"] and result.rejected == []
    assert result.after.right >= result.before.right and result.written == tmp_path / "learned.yml"
    learned = [e for e in labelled_examples(catalogue) if e.source == "ticket"]
    assert [(e.ticket, e.department) for e in learned] == [("20261201001", "gongdian")]
    assert len(labelled_examples(catalogue)) == len(labelled_examples(catalogue, extra_training=False)) + 1
    decision = Router.build(catalogue).route("电闸跳了整层都黑了")
    assert decision.department.id == "gongdian"
    assert any(s.example.ticket == "20261201001" for s in decision.why.similar)


def test_a_correction_that_lowers_held_out_accuracy_is_reported_not_applied(tmp_path):
    catalogue = _catalogue(tmp_path)
    wrong = [Correction(f"2026120100{i}", text, "reli")
             for i, text in enumerate(["家里停电了", "停电了", "电费太高", "整栋楼停电", "电费怎么这么高"])]
    result = retrain(catalogue, wrong, heldout_cases(catalogue))
    assert result.rejected and result.after.right == result.before.right
    assert {c.number for c in result.accepted}.isdisjoint({c.number for c in result.rejected})


def test_a_dry_run_writes_nothing_and_a_newer_decision_replaces_an_older_one(tmp_path):
    catalogue = _catalogue(tmp_path)
    retrain(catalogue, [Correction("n1", "楼里的电闸跳了", "gongdian")], heldout_cases(catalogue), dry_run=True)
    assert not (tmp_path / "learned.yml").exists()
    retrain(catalogue, [Correction("n1", "楼里的电闸跳了", "gongdian")], heldout_cases(catalogue))
    retrain(catalogue, [Correction("n1", "楼里的电闸跳了，暖气也停了", "reli")], heldout_cases(catalogue))
    entries = yaml.safe_load((tmp_path / "learned.yml").read_text(encoding="utf-8"))["corrections"]
    assert [(e["number"], e["department"]) for e in entries] in ([("n1", "reli")], [("n1", "gongdian")])
    assert len(entries) == 1


def test_a_learned_request_without_a_ticket_number_is_explained_not_a_crash(tmp_path):
    from bot.routing.cli import describe
    catalogue = _catalogue(tmp_path)
    (tmp_path / "learned.yml").write_text(yaml.safe_dump(
        {"corrections": [{"department": "gongdian", "text": "楼里的电闸跳了整层都黑了"}]}, allow_unicode=True), encoding="utf-8")
    router = Router.build(catalogue)
    out = describe(router.route("电闸跳了整层都黑了"), router)
    assert "相似诉求（工单，" in out
