"""The operator command, run as an operator would run it."""
import json
import subprocess
import sys

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketDraft, TicketStore


def hotline(*args, env_db=None):
    env = None
    if env_db:
        import os
        env = dict(os.environ, HOTLINE_DATABASE_URL=env_db)
    return subprocess.run([sys.executable, "-m", "hotline.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_tickets_list_and_show_mask_personal_data_unless_asked(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = make_engine(url)
    migrate(engine)
    number = TicketStore(engine).open_ticket(
        TicketDraft("complain", "楼下烧烤摊太吵", "web", "u1", {"location": "人民路"}, "张小明", "13812345678", True),
        request_key="k").number
    listing = hotline("tickets", "list", env_db=url)
    assert listing.returncode == 0 and number in listing.stdout
    shown = json.loads(hotline("tickets", "show", number, env_db=url).stdout)
    assert shown["contact"] == {"name": "张**", "phone": "138****5678"}
    assert shown["history"][0]["action"] == "opened"
    full = json.loads(hotline("tickets", "show", number, "--full", env_db=url).stdout)
    assert full["contact"]["phone"] == "13812345678"
    missing = hotline("tickets", "show", "209901010001", env_db=url)
    assert missing.returncode == 1 and "没有编号" in missing.stdout


def test_screen_shows_what_the_safety_net_sees():
    result = json.loads(hotline("screen", "楼下有人晕倒了").stdout)
    assert result["emergencies"][0]["kind"] == "medical"
