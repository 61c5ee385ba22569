"""`hotline kb stale | proposals | unanswered` on a temporary database and knowledge folder."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.knowledge.cli import main
from bot.knowledge.editorial import Editor, Editorial
from bot.knowledge.settings import load_settings
from bot.office.service_log import UNANSWERED, ServiceLog
from bot.settings import hotline_settings
from bot.tickets.database import make_engine, migrate


@pytest.fixture
def env(kb_dirs, tmp_path, monkeypatch):
    source, index = kb_dirs
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    for var, value in (("HOTLINE_KB_SOURCE_DIR", source), ("HOTLINE_KB_INDEX_DIR", index),
                       ("HOTLINE_KB_ENCODER", "e5"), ("HOTLINE_DATABASE_URL", url)):
        monkeypatch.setenv(var, str(value))
    hotline_settings.cache_clear()
    engine = make_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()
    hotline_settings.cache_clear()


def test_stale_and_proposals_commands(env, capsys):
    desk = Editorial(env, load_settings())
    desk.propose(Editor("承办人:市民政局/周敏", "minzheng"), {
        "entry_id": "marriage", "question": "结婚登记要带什么？", "answer": "双方带身份证和户口簿办理。咨询电话：本市民政局12349。",
        "phone": "12349", "source": "《婚姻登记条例》"})
    assert main(["kb", "stale", "--json", "--department", "minzheng"]) == 0
    stale = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in stale] == ["marriage"] and stale[0]["owner"] == "minzheng"
    assert main(["kb", "proposals", "--status", "pending"]) == 0
    out = capsys.readouterr().out
    assert "marriage" in out and "待审核" in out and "answer" in out


def test_unanswered_command_groups_questions(env, capsys):
    log = ServiceLog(env)
    at = dt.datetime.now(dt.timezone.utc)
    for n, text in enumerate(["路灯坏了好几天没人修", "小区外面的路灯坏了好几天", "护照怎么办"]):
        log.record(UNANSWERED, "web", f"c{n}", text, at=at, fell_to="ticket")
    assert main(["kb", "unanswered", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 3 and report["groups"][0]["count"] == 2 and "路灯" in report["groups"][0]["title"]
    assert main(["kb", "unanswered", "--from", "2026-12-02", "--to", "2026-12-01"]) == 2
