"""`hotline tickets list` with filters and warning cards, as an operator runs it."""
import json

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from hotline.cli import main
from tests.support.tickets import SEAT, draft


def test_list_filters_by_status_type_and_department_and_shows_the_card(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = make_engine(url)
    migrate(engine)
    store = TicketStore(engine)
    noise = store.open_ticket(draft(), request_key="a").number
    lamp = store.open_ticket(draft(request_type="seek_help", text="路灯坏了"), request_key="b").number
    TicketWorkflow(store).dispatch(noise, "chengguan", SEAT)

    assert main(["tickets", "list", "--status", "dispatched", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert noise in out and lamp not in out and "绿" in out and "已派单" in out and "市城市管理综合执法局" in out

    assert main(["tickets", "list", "--type", "seek_help", "--card", "green", "--json", "--database-url", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["number"] for t in listed] == [lamp] and listed[0]["card"] == "green"
    assert listed[0]["contact"]["phone"] == "138****5678"

    assert main(["tickets", "list", "--department", "chengguan", "--card", "red", "--database-url", url]) == 0
    assert "没有符合条件的工单" in capsys.readouterr().out
    assert main(["tickets", "list", "--status", "done", "--database-url", url]) == 2
    assert "未知的状态：done" in capsys.readouterr().err
