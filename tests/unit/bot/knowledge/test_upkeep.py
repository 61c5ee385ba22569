"""Knowledge-base upkeep (bot/knowledge/editorial) on both databases, with a tiny knowledge folder
and the real e5 encoder: a department proposes for its own entries only, the office publishes (file,
history, incremental index) or refuses, stale entries are listed, unanswered questions grouped."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from bot.knowledge.editorial import Editor, Editorial, EditorialError
from bot.knowledge.editorial import unanswered
from bot.knowledge.encoders import make_encoder
from bot.knowledge.service import KnowledgeBase
from bot.knowledge.source import load_source
from bot.office.service_log import UNANSWERED, ServiceLog
from bot.tickets.database import make_engine, migrate
from bot.settings import PROJECT_ROOT as ROOT

CHENGGUAN = Editor("承办人:市城市管理综合执法局/李强", "chengguan")
POLICE = Editor("承办人:市公安局/赵刚", "gongan")
OFFICE = Editor("热线办:孙丽", None, reviewer=True)
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc)
WASTE = {"entry_id": "waste-sorting", "question": "垃圾分类分哪几类？", "alternatives": ["生活垃圾怎么分", "垃圾分几种"],
         "answer": "分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类，大件垃圾另行预约。咨询电话：12345。",
         "phone": "12345", "source": "本市生活垃圾管理条例"}
BULKY = {"question": "旧沙发旧床垫怎么扔？", "alternatives": ["大件垃圾怎么处理", "家具不要了放哪里"],
         "answer": "旧家具等大件垃圾请预约上门收运或投放到小区大件垃圾暂存点。咨询电话：12345。",
         "phone": "12345", "source": "本市生活垃圾管理条例", "entry_id": "bulky-waste"}


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(make_settings):
    return make_settings(encoder="e5")


@pytest.fixture
def desk(engine, settings):
    KnowledgeBase.open(settings)        # the shipped state: an index built from the folder
    return Editorial(engine, settings, clock=lambda: NOW)


def test_a_handler_proposes_only_for_its_own_department(desk):
    with pytest.raises(EditorialError) as refused:
        desk.propose(POLICE, WASTE)
    assert refused.value.kind == "forbidden" and "本市城市管理局" not in refused.value.message
    with pytest.raises(EditorialError) as refused:
        desk.propose(POLICE, dict(BULKY, department="chengguan"))
    assert refused.value.kind == "forbidden"
    proposal = desk.propose(CHENGGUAN, WASTE)
    assert proposal["status"] == "pending" and proposal["kind"] == "change" and proposal["owner"] == "chengguan"
    assert [d["field"] for d in proposal["diff"]] == ["answer"]
    assert [p["id"] for p in desk.proposals(POLICE)] == []
    assert [p["id"] for p in desk.proposals(CHENGGUAN)] == [proposal["id"]]
    with pytest.raises(EditorialError):
        desk.approve(CHENGGUAN, proposal["id"])          # only the office publishes
    with pytest.raises(EditorialError):
        desk.entries(CHENGGUAN, department="gongan")
    assert {e["id"] for e in desk.entries(CHENGGUAN)} == {"waste-sorting"}


def test_approving_publishes_the_file_the_history_and_only_that_entry_in_the_index(desk, settings):
    manifest = settings.index_dir / "manifest.json"
    before = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    first = desk.approve(OFFICE, desk.propose(CHENGGUAN, WASTE)["id"])
    after = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    assert {k: v for k, v in after.items() if k != "waste-sorting"} == {k: v for k, v in before.items() if k != "waste-sorting"}
    assert after["waste-sorting"]["num"] == before["waste-sorting"]["num"]
    assert after["waste-sorting"]["hash"] != before["waste-sorting"]["hash"]
    assert first["status"] == "approved" and first["index"]["changed"] == ["waste-sorting"]
    assert first["index"]["added"] == [] and first["index"]["unchanged"] == 5 and not first["index"]["full"]
    new = desk.propose(CHENGGUAN, {k: v for k, v in BULKY.items() if k != "entry_id"})
    assert new["entry_id"] == "chengguan-new-1" and new["content"]["department"] == "本市城市管理局"
    published = desk.approve(OFFICE, new["id"])
    assert published["index"]["added"] == ["chengguan-new-1"] and published["index"]["changed"] == []
    source = load_source(settings.source_dir)           # the file is valid and holds both texts
    assert source.by_id()["waste-sorting"].answer == WASTE["answer"]
    assert source.by_id()["chengguan-new-1"].file.name == "small.yml"
    # Another process (the action server reopening it) finds the entry in the index as published:
    # on_stale=refuse proves the index already matches the sources, nothing is rebuilt there.
    env = {**os.environ, "HOTLINE_KB_SOURCE_DIR": str(settings.source_dir), "HOTLINE_KB_INDEX_DIR": str(settings.index_dir),
           "HOTLINE_KB_ENCODER": "e5", "HOTLINE_KB_ON_STALE": "refuse"}
    found = subprocess.run([sys.executable, "-m", "bot.knowledge.cli", "kb", "search", "家里的旧沙发不要了怎么扔", "--json",
                            "-k", "1"], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["id"] == "chengguan-new-1"
    history = desk.entry(OFFICE, "waste-sorting")["history"]
    assert [v["version"] for v in history] == [2, 1]
    assert history[0]["approved_by"] == "热线办:孙丽" and history[0]["proposed_by"].endswith("李强")
    assert history[1]["proposed_by"] == "知识库源文件" and "可回收物、有害垃圾" in history[1]["content"]["answer"]
    with pytest.raises(EditorialError) as twice:
        desk.approve(OFFICE, new["id"])
    assert twice.value.kind == "conflict"


def test_a_refused_proposal_stays_unpublished_and_the_proposer_sees_why(desk, settings):
    before = (settings.source_dir / "small.yml").read_text(encoding="utf-8")
    proposal = desk.propose(CHENGGUAN, BULKY)
    refused = desk.refuse(OFFICE, proposal["id"], "请写明预约电话")
    assert refused["status"] == "refused" and refused["reason"] == "请写明预约电话"
    assert (settings.source_dir / "small.yml").read_text(encoding="utf-8") == before
    seen = desk.proposals(CHENGGUAN, "refused")
    assert seen[0]["reason"] == "请写明预约电话" and seen[0]["reviewed_by"] == "热线办:孙丽"
    with pytest.raises(EditorialError):
        desk.refuse(OFFICE, proposal["id"], " ")
    assert "bulky-waste" not in load_source(settings.source_dir).by_id()


@pytest.mark.parametrize("change, message", [
    ({"phone": "打12345"}, "咨询电话"), ({"question": " "}, "标准问法"), ({"answer": "长" * 2001}, "最多 2000"),
    ({"valid_until": "2026-13-01"}, "YYYY-MM-DD"), ({"alternatives": "垃圾"}, "文字列表"),
    ({"entry_id": "Bad ID"}, "条目编号"), ({"owner": "x"}, "不认识的字段"), ({"origin": {"x": 1}}, "来源"),
])
def test_bad_proposals_are_refused_with_the_reason(desk, change, message):
    with pytest.raises(EditorialError) as refused:
        desk.propose(CHENGGUAN, dict(BULKY, **change))
    assert refused.value.kind in ("invalid", "conflict") and message in refused.value.message


def test_stale_entries_are_listed_for_their_owners_and_the_office(desk, write, settings):
    write(settings.source_dir, "old.yml", """\
        department: 本市城市管理局
        phone: "12345"
        entries:
          - id: old-parking
            question: 占道停车怎么收费？
            answer: 按本市规定收费，咨询电话：12345。
            source: 旧规定
            updated: 2020-01-01
          - id: fresh-rule
            question: 新规定什么时候施行？
            answer: 自2026年起施行，咨询电话：12345。
            source: 新规定
            updated: 2026-11-01
            review_by: 2027-06-01
        """)
    mine = desk.stale(CHENGGUAN)
    assert [e["id"] for e in mine][:1] == ["old-parking"] and "复核日期" in mine[0]["stale_reasons"][0]
    assert "fresh-rule" not in [e["id"] for e in desk.stale(OFFICE)]
    assert [e["id"] for e in desk.stale(POLICE)] == ["passport"]        # updated 2025-03-01: a year ago
    assert "old-parking" in [e["id"] for e in desk.stale(OFFICE)]


def test_unanswered_questions_are_grouped_by_meaning_with_the_nearest_entry(engine, settings):
    log = ServiceLog(engine)
    said = ["小区门口的共享单车乱停放没人管", "共享单车乱停在小区门口", "小区门口共享单车停得乱七八糟",
            "社保卡丢了去哪里补", "宠物狗办证在哪里办"]
    for n, text in enumerate(said):
        log.record(UNANSWERED, "web", f"citizen-{n}", text, at=NOW, fell_to="ticket")
    records = log.between(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1), [UNANSWERED])
    questions = unanswered.questions_from_records(records, 100)
    kb = KnowledgeBase.open(settings)
    groups = unanswered.report(questions, make_encoder("e5"), 0.9, unanswered.nearest_in(kb), settings.offer_threshold)
    assert groups[0]["count"] == 3 and groups[0]["citizens"] == 3 and "共享单车" in groups[0]["title"]
    assert sum(g["count"] for g in groups) == 5 and groups[0]["fell_to"] == {"ticket": 3}
    sscard = next(g for g in groups if "社保卡" in g["title"])
    assert sscard["nearest"]["id"] == "sscard-lost" and sscard["verdict"] == "not_found"
