"""Knowledge-base upkeep in the staff API, in-process on both databases, with a tiny knowledge folder
and the real e5 encoder: roles, a handler's own department only, publish and refuse, bad bodies,
stale entries, unanswered questions and a seat's answer as a draft."""
from __future__ import annotations

import contextlib
import datetime as dt
import textwrap

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.knowledge.service import KnowledgeBase
from bot.knowledge.settings import load_settings
from bot.office.service_log import UNANSWERED, ServiceLog
from bot.seats.queue import SeatQueue
from channels.staff.api import mount_api
from channels.staff.api.knowledge import DESK_KEY, KnowledgeDesk
from tests.support.staff_api import SETTINGS, STAFF, auth

SOURCE = """\
    department: 本市城市管理局
    phone: "12345"
    entries:
      - id: waste-sorting
        question: 垃圾分类分哪几类？
        alternatives: [生活垃圾怎么分, 垃圾分几种]
        answer: 可回收物、有害垃圾、厨余垃圾、其他垃圾。咨询电话：12345。
        source: 本市生活垃圾管理条例
        updated: 2026-10-01
      - id: sscard-lost
        question: 社保卡丢了怎么补办？
        answer: 先打12333挂失，再到网点补办。咨询电话：本市人力资源和社会保障局12333。
        department: 本市人力资源和社会保障局
        phone: "12333"
        source: 《社会保障卡管理办法》
        updated: 2024-03-01
    """
NEW = {"question": "旧沙发旧床垫怎么扔？", "alternatives": ["大件垃圾怎么处理"], "phone": "12345",
       "answer": "旧家具等大件垃圾请预约上门收运。咨询电话：12345。", "source": "本市生活垃圾管理条例"}
TRACKER = {"events": [
    {"event": "user", "text": "你好"},
    {"event": "user", "text": "小区的电动车充电桩坏了找谁修？我电话13812345678"},
    {"event": "pause"},
    {"event": "bot", "text": "您好", "metadata": {"seat": "王芳", "seat_text": "您好，充电桩由物业报修，物业不处理可找街道。"}},
]}


@pytest.fixture
def kb_settings(tmp_path, monkeypatch):
    for var in [v for v in __import__("os").environ if v.startswith("HOTLINE_KB_")]:
        monkeypatch.delenv(var)
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "chengguan.yml").write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    settings = load_settings(source_dir=folder, index_dir=tmp_path / "index", encoder="e5")
    KnowledgeBase.open(settings)
    return settings


@contextlib.asynccontextmanager
async def kb_api(store, kb_settings):
    """The staff API with the knowledge routes on the test folder; Rasa's tracker is a fixed one."""
    async def tracker(sender_id):
        assert sender_id == "web-citizen-9"
        return TRACKER
    app = web.Application()
    api = mount_api(app, settings=SETTINGS, open_store=lambda: store, staff=lambda: STAFF)
    api[DESK_KEY] = KnowledgeDesk(settings=kb_settings, tracker=tracker)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def call(client, method, path, who="office", body=None, **kwargs):
    response = await client.request(method, path, headers=auth(who), json=body, **kwargs)
    return response.status, await response.json()


async def test_roles_and_a_handlers_own_department(store, kb_settings):
    async with kb_api(store, kb_settings) as client:
        await _test_roles_and_a_handlers_own_department(client, store, kb_settings)


async def _test_roles_and_a_handlers_own_department(client, store, kb_settings):
    for who, status in (("seat", 403), ("readonly", 403), (None, 401)):
        assert (await call(client, "GET", "/api/kb/entries", who))[0] == status
    status, mine = await call(client, "GET", "/api/kb/entries", "handler")
    assert status == 200 and [e["id"] for e in mine["entries"]] == ["waste-sorting"]
    status, body = await call(client, "POST", "/api/kb/proposals", "police", dict(NEW, entry_id="waste-sorting"))
    assert status == 403 and "本部门" in body["error"]["message"]
    status, body = await call(client, "POST", "/api/kb/proposals", "handler", dict(NEW, entry_id="sscard-lost"))
    assert status == 403
    status, made = await call(client, "POST", "/api/kb/proposals", "handler", NEW)
    assert status == 201 and made["owner"] == "chengguan"
    assert (await call(client, "POST", f"/api/kb/proposals/{made['id']}/approve", "handler"))[0] == 403
    assert (await call(client, "GET", "/api/kb/proposals", "police"))[1]["total"] == 0
    assert (await call(client, "GET", "/api/kb/entries/sscard-lost", "handler"))[0] == 403


async def test_the_office_publishes_and_the_assistant_finds_it(store, kb_settings):
    async with kb_api(store, kb_settings) as client:
        await _test_the_office_publishes_and_the_assistant_finds_it(client, store, kb_settings)


async def _test_the_office_publishes_and_the_assistant_finds_it(client, store, kb_settings):
    status, made = await call(client, "POST", "/api/kb/proposals", "handler", dict(NEW, entry_id="bulky-waste"))
    assert status == 201
    status, pending = await call(client, "GET", "/api/kb/proposals?status=pending")
    assert status == 200 and pending["proposals"][0]["diff"][0]["field"] == "question"
    status, done = await call(client, "POST", f"/api/kb/proposals/{made['id']}/approve")
    assert status == 200 and done["status"] == "approved" and done["index"]["added"] == ["bulky-waste"]
    assert KnowledgeBase.open(kb_settings).search("旧床垫不要了怎么扔", 1)[0].id == "bulky-waste"
    status, entry = await call(client, "GET", "/api/kb/entries/bulky-waste", "handler")
    assert status == 200 and entry["history"][0]["approved_by"] == "热线办:孙丽"
    status, again = await call(client, "POST", f"/api/kb/proposals/{made['id']}/refuse", body={"reason": "晚了"})
    assert status == 409


async def test_refusal_and_bad_bodies(store, kb_settings):
    async with kb_api(store, kb_settings) as client:
        await _test_refusal_and_bad_bodies(client, store, kb_settings)


async def _test_refusal_and_bad_bodies(client, store, kb_settings):
    status, made = await call(client, "POST", "/api/kb/proposals", "handler", NEW)
    for body, message in [({"reason": ""}, "退回理由"), ({"reason": "x", "y": 1}, "不认识的字段"), ({}, "退回理由")]:
        status, answer = await call(client, "POST", f"/api/kb/proposals/{made['id']}/refuse", body=body)
        assert status == 400 and message in answer["error"]["message"]
    status, refused = await call(client, "POST", f"/api/kb/proposals/{made['id']}/refuse", body={"reason": "补充电话"})
    assert status == 200 and refused["status"] == "refused"
    mine = (await call(client, "GET", "/api/kb/proposals?status=refused", "handler"))[1]["proposals"]
    assert mine[0]["reason"] == "补充电话"
    for body, code in [([1, 2], 400), ({**NEW, "phone": 12345}, 400), ({**NEW, "extra": 1}, 400),
                       ({**NEW, "answer": "长" * 10000}, 413)]:
        assert (await call(client, "POST", "/api/kb/proposals", "handler", body))[0] == code
    broken = await client.post("/api/kb/proposals", data="{", headers={**auth("handler"),
                                                                     "Content-Type": "application/json"})
    assert broken.status == 400 and "JSON" in (await broken.json())["error"]["message"]
    assert (await call(client, "GET", "/api/kb/proposals?status=done"))[0] == 400
    assert (await call(client, "GET", "/api/kb/entries?x=1"))[0] == 400
    assert (await call(client, "POST", "/api/kb/proposals/abc/approve"))[0] == 404
    assert (await call(client, "POST", "/api/kb/proposals/999/approve"))[0] == 404


async def test_stale_unanswered_and_a_seat_answer(store, kb_settings):
    async with kb_api(store, kb_settings) as client:
        await _test_stale_unanswered_and_a_seat_answer(client, store, kb_settings)


async def _test_stale_unanswered_and_a_seat_answer(client, store, kb_settings):
    status, stale = await call(client, "GET", "/api/kb/stale")
    assert status == 200 and [e["id"] for e in stale["entries"]] == ["sscard-lost"]
    assert (await call(client, "GET", "/api/kb/stale", "handler"))[1]["total"] == 0
    log = ServiceLog(store.engine)
    at = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.timezone.utc)
    for n, text in enumerate(["共享单车乱停在小区门口", "小区门口共享单车乱停放没人管", "社保卡丢了去哪补"]):
        log.record(UNANSWERED, "web", f"c{n}", text, at=at, fell_to="fallback")
    status, report = await call(client, "GET", "/api/kb/unanswered?from=2026-11-01&to=2026-11-23")
    assert status == 200 and report["questions"] == 3 and report["groups"][0]["count"] == 2
    assert (await call(client, "GET", "/api/kb/unanswered", "handler"))[0] == 403
    assert (await call(client, "GET", "/api/kb/unanswered?from=2026-12-01&to=2026-11-01"))[0] == 400
    queue = SeatQueue(store.engine)
    entry = queue.enqueue("web-citizen-9", "web", "request_human", {}).entry
    status, drafted = await call(client, "POST", "/api/kb/proposals/from-seat", body={"queue_id": entry.id})
    assert status == 200 and "物业报修" in drafted["draft"]["answer"]
    assert "充电桩坏了" in drafted["draft"]["question"] and "13812345678" not in drafted["draft"]["question"]
    assert (await call(client, "POST", "/api/kb/proposals/from-seat", body={"queue_id": "1"}))[0] == 400
    assert (await call(client, "POST", "/api/kb/proposals/from-seat", body={"queue_id": 999}))[0] == 404
