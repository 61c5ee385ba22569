"""`hotline places unknown` and `hotline places check` as the hotline office runs them."""
import datetime as dt
import json

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from hotline.cli import main
from tests.support.tickets import draft


def _store(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = make_engine(url)
    migrate(engine)
    return url, TicketStore(engine)


def test_unknown_places_of_stored_tickets_are_listed_with_counts_and_examples(tmp_path, capsys):
    url, store = _store(tmp_path)
    # Older tickets (no unknown_place in their routing): read again from the text and the place given.
    first = store.open_ticket(draft(text="楼上漏水一个月了", facts={"location": "紫荆花园3栋"}), "a").number
    second = store.open_ticket(draft(text="紫荆花园门口天天摆摊", facts={}), "b").number
    store.open_ticket(draft(text="幸福里小区停水", facts={"location": "幸福里小区"}), "c")
    store.open_ticket(draft(text="我们小区停电了", facts={"location": "家门口"}), "d")
    # Newer tickets say it themselves; None means the router found no unknown place.
    third = store.open_ticket(draft(text="门口路灯坏了", facts={}, routing={"unknown_place": "金桂苑"}), "e").number
    store.open_ticket(draft(text="翠竹苑停电", facts={}, routing={"unknown_place": None}), "f")

    assert main(["places", "unknown", "--json", "--database-url", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"place": "紫荆花园", "count": 2, "tickets": [first, second]},
                      {"place": "金桂苑", "count": 1, "tickets": [third]}]

    assert main(["places", "unknown", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "未收录的地名 2 个" in out and f"2  紫荆花园  {first}、{second}" in out and "settings/places.csv" in out


def test_the_date_range_limits_the_tickets_read(tmp_path, capsys):
    url, store = _store(tmp_path)
    store.open_ticket(draft(text="紫荆花园门口天天摆摊", facts={}), "a")
    tomorrow = (store.today() + dt.timedelta(days=1)).isoformat()
    assert main(["places", "unknown", "--from", tomorrow, "--database-url", url]) == 0
    assert "没有未收录的地名" in capsys.readouterr().out
    assert main(["places", "unknown", "--to", store.today().isoformat(), "--json", "--database-url", url]) == 0
    assert [p["place"] for p in json.loads(capsys.readouterr().out)] == ["紫荆花园"]


def test_check_validates_and_counts_the_territory(capsys):
    assert main(["places", "check"]) == 0
    out = capsys.readouterr().out
    assert "属地校验通过" in out and "4 个区县，16 个街道/乡镇" in out and "社区" in out and "门牌分段规则" in out


def test_check_reports_a_broken_list(tmp_path, capsys, monkeypatch):
    from bot.settings import settings_dir
    catalogue = tmp_path / "departments.yml"
    catalogue.write_text((settings_dir() / "departments.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "places.csv").write_text("name,kind,division\n长安路,道路,nowhere\n", encoding="utf-8")
    monkeypatch.setenv("HOTLINE_DEPARTMENTS_FILE", str(catalogue))
    assert main(["places", "check"]) == 2
    assert "所属区划“nowhere”不在区划表里" in capsys.readouterr().err
