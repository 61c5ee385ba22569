"""`hotline route retrain` as the hotline office runs it, against a real ticket store."""
import copy

import yaml

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from hotline.cli import main
from tests.support.tickets import draft, routing
from tests.unit.bot.routing.conftest import SMALL, write_catalogue
from tests.unit.bot.routing.test_retrain import HELDOUT


def _setup(tmp_path, monkeypatch):
    data = copy.deepcopy(SMALL)
    (tmp_path / "heldout.yml").write_text(yaml.safe_dump({"cases": HELDOUT}, allow_unicode=True), encoding="utf-8")
    data["router"].update(learned_file=str(tmp_path / "learned.yml"), retrain_heldout=[str(tmp_path / "heldout.yml")])
    monkeypatch.setenv("HOTLINE_DEPARTMENTS_FILE", str(write_catalogue(tmp_path, data)))
    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = make_engine(url)
    migrate(engine)
    return url, TicketStore(engine)


def test_the_office_reassignment_is_learned_with_figures_before_and_after(tmp_path, monkeypatch, capsys):
    url, store = _setup(tmp_path, monkeypatch)
    workflow = TicketWorkflow(store)
    suggested_heat = routing(lead="reli", candidates=(("reli", 0.8), ("gongdian", 0.2), ("gongdian", 0.0)))
    number = store.open_ticket(draft(text="楼里的电闸跳了整层都黑了", routing=suggested_heat), "a").number
    workflow.dispatch(number, "reli", "seat:1")
    workflow.reassign(number, "gongdian", "跳闸停电属供电公司", "seat:1")

    assert main(["route", "retrain", "--dry-run", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "工单库中的改派样本：1 条" in out and "留出集准确率：学习前" in out and "试运行" in out
    assert not (tmp_path / "learned.yml").exists()

    assert main(["route", "retrain", "--database-url", url]) == 0
    assert "新学到 1 条" in capsys.readouterr().out
    learned = yaml.safe_load((tmp_path / "learned.yml").read_text(encoding="utf-8"))["corrections"]
    assert learned == [{"number": number, "department": "gongdian", "text": "楼里的电闸跳了整层都黑了",
                        "kind": "reassign", "at": learned[0]["at"]}]

    assert main(["route", "retrain", "--database-url", url]) == 0          # nothing new the second time
    assert "已学到的改派 1 条，新的 0 条" in capsys.readouterr().out


def test_a_bad_date_gets_a_clear_refusal(tmp_path, monkeypatch, capsys):
    url, _ = _setup(tmp_path, monkeypatch)
    assert main(["route", "retrain", "--since", "昨天", "--database-url", url]) == 1
    assert "--since 应为日期" in capsys.readouterr().err
