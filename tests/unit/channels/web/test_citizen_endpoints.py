"""The web server's citizen endpoints, in-process against a real SQLite store and a real folder:
「我的工单」, ratings (ticket and seat service), the queue place, evidence uploads and the privacy
notice. Every one assumes a hostile client: no cookie, a forged cookie, someone else's ticket,
empty, huge and wrong-typed bodies each get a clear refusal and change nothing."""
from __future__ import annotations

import json
import struct
import zlib

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.seats.queue import SeatQueue
from bot.tickets.database import make_engine, migrate
from bot.tickets.seat_ratings import SeatServiceRating
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from channels import evidence
from channels.web import evidence_upload, identity, my_tickets
from channels.web.app import create_app
from tests.support.tickets import HANDLER, POLICY, SEAT, open_ticket


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (the signature alone would not be a picture)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# The client fixture lives in the session's event loop (asyncio_default_fixture_loop_scope).
pytestmark = pytest.mark.asyncio(loop_scope="session")

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.fixture
def store(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    migrate(engine)
    store = TicketStore(engine, policy=POLICY, timezone="Asia/Shanghai")
    monkeypatch.setattr(my_tickets, "_store", lambda: store)
    yield store
    engine.dispose()


@pytest.fixture
def media(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_EVIDENCE_DIR", str(tmp_path / "media"))
    evidence.evidence_settings.cache_clear()
    evidence_upload.web_keeper.cache_clear()
    yield tmp_path / "media"
    evidence.evidence_settings.cache_clear()
    evidence_upload.web_keeper.cache_clear()


@pytest.fixture
async def web():
    client = TestClient(TestServer(create_app()))
    await client.start_server()
    yield client
    await client.close()


async def citizen(web) -> str:
    """Load the page's configuration like a browser: the server issues the session cookie."""
    response = await web.get("/config.json")
    assert response.status == 200
    return identity.verified(response.cookies[identity.COOKIE].value)


def closed_ticket(store: TicketStore, sender: str, key: str) -> str:
    number = open_ticket(store, key=key, sender_id=sender)
    workflow = TicketWorkflow(store)
    workflow.dispatch(number, "chengguan", SEAT)
    workflow.accept(number, HANDLER, scope="chengguan")
    workflow.reply(number, "已约谈店主，改为晚上十点前收摊。如有问题请拨打024-12345678。", HANDLER, scope="chengguan")
    workflow.close(number, SEAT)
    return number


# ------------------------------------------------------------------ 我的工单

async def test_my_tickets_lists_only_this_browsers_tickets_with_contacts_masked(web, store):
    me = await citizen(web)
    mine = open_ticket(store, key="mine", sender_id=me)
    theirs = open_ticket(store, key="theirs", sender_id=identity.new_session_id())
    response = await web.get("/my/tickets")
    body = await response.text()
    tickets = json.loads(body)["tickets"]
    assert [t["number"] for t in tickets] == [mine] and theirs not in body
    assert tickets[0]["status_label"] == "已受理" and tickets[0]["department"]
    assert "13812345678" not in body and "张先生" not in body     # the ticket's contact, never echoed


async def test_tickets_of_earlier_conversations_stay_after_a_new_conversation(web, store):
    first = await citizen(web)
    number = open_ticket(store, key="first", sender_id=first)
    assert (await web.post("/session/new")).status == 200
    tickets = (await (await web.get("/my/tickets")).json())["tickets"]
    assert [t["number"] for t in tickets] == [number]


async def test_no_cookie_or_a_forged_one_sees_nothing(web, store):
    victim = identity.new_session_id()
    open_ticket(store, key="victim", sender_id=victim)
    anonymous = await web.get("/my/tickets")
    assert anonymous.status == 403 and "会话" in (await anonymous.json())["message"]
    forged = f"{victim}.{'0' * 64}"
    web.session.cookie_jar.update_cookies({identity.COOKIE: forged, identity.EARLIER: f"{victim}.{'0' * 64}"})
    assert (await web.get("/my/tickets")).status == 403
    # A valid session of its own plus a forged list of earlier conversations: only its own tickets.
    await citizen(web)
    web.session.cookie_jar.update_cookies({identity.EARLIER: f"{victim}.{'0' * 64}"})
    assert (await (await web.get("/my/tickets")).json())["tickets"] == []


# ------------------------------------------------------------------ rating a ticket

async def test_a_closed_ticket_is_rated_once_by_its_owner(web, store):
    me = await citizen(web)
    number = closed_ticket(store, me, "closed")
    listed = (await (await web.get("/my/tickets")).json())["tickets"][0]
    assert listed["rateable"] and listed["answer"].startswith("已约谈店主")
    response = await web.post(f"/my/tickets/{number}/rating", json={"rating": "satisfied"})
    assert response.status == 200 and "满意" in (await response.json())["message"]
    assert store.get(number).satisfaction == "satisfied"
    again = await web.post(f"/my/tickets/{number}/rating", json={"rating": "unsatisfied", "reason": "还是很吵"})
    assert again.status == 409 and store.get(number).satisfaction == "satisfied"


async def test_unsatisfied_with_a_reason_sends_the_ticket_back(web, store):
    me = await citizen(web)
    number = closed_ticket(store, me, "redo")
    response = await web.post(f"/my/tickets/{number}/rating", json={"rating": "unsatisfied", "reason": "晚上还是很吵"})
    assert response.status == 200 and "重新办理" in (await response.json())["message"]
    assert store.get(number).status == "reopened"


@pytest.mark.parametrize("body, status, says", [
    (b"", 400, "请选择"),
    (b"not json", 400, "请选择"),
    (json.dumps({"rating": "great"}).encode(), 400, "请选择"),
    (json.dumps(["satisfied"]).encode(), 400, "请选择"),
    (json.dumps({"rating": "satisfied", "reason": 5}).encode(), 400, "文字"),
    (json.dumps({"rating": "unsatisfied"}).encode(), 400, "原因"),
    (json.dumps({"rating": "satisfied", "reason": "好" * 5000}).encode(), 413, "过长"),
])
async def test_bad_ratings_are_refused_and_change_nothing(web, store, body, status, says):
    me = await citizen(web)
    number = closed_ticket(store, me, "bad")
    response = await web.post(f"/my/tickets/{number}/rating", data=body, headers={"Content-Type": "application/json"})
    assert response.status == status and says in (await response.json())["message"]
    ticket = store.get(number)
    assert ticket.satisfaction is None and ticket.status == "closed"


async def test_someone_elses_ticket_cannot_be_rated_and_looks_like_no_ticket(web, store):
    await citizen(web)
    other = closed_ticket(store, identity.new_session_id(), "other")
    response = await web.post(f"/my/tickets/{other}/rating", json={"rating": "unsatisfied", "reason": "乱评价"})
    missing = await web.post("/my/tickets/209901010001/rating", json={"rating": "satisfied"})
    assert response.status == missing.status == 404
    assert store.get(other).satisfaction is None and store.get(other).status == "closed"
    assert (await web.post("/my/tickets/..%2f..%2fx/rating", json={"rating": "satisfied"})).status == 404


async def test_an_open_ticket_cannot_be_rated_yet(web, store):
    me = await citizen(web)
    number = open_ticket(store, key="open", sender_id=me)
    response = await web.post(f"/my/tickets/{number}/rating", json={"rating": "satisfied"})
    assert response.status == 409 and "办结后" in (await response.json())["message"]


# ------------------------------------------------------------------ the queue and the seat's service

async def test_the_queue_place_and_the_seat_rating_after_a_hand_back(web, store):
    me = await citizen(web)
    queue = SeatQueue(store.engine)
    queue.enqueue(identity.new_session_id(), "web", "requested")
    entry = queue.enqueue(me, "web", "requested").entry
    assert await (await web.get("/my/queue")).json() == {"status": "waiting", "position": 2}
    nothing_yet = await web.post("/my/seat-rating", json={"rating": "satisfied"})
    assert nothing_yet.status == 409

    assert queue.claim(entry.id, "0123").won
    assert (await (await web.get("/my/queue")).json())["status"] == "taken"
    queue.hand_back(entry.id, "0123")
    assert (await (await web.get("/my/queue")).json())["status"] == "none"

    no_reason = await web.post("/my/seat-rating", json={"rating": "unsatisfied", "reason": "  "})
    assert no_reason.status == 400 and "原因" in (await no_reason.json())["message"]
    rated = await web.post("/my/seat-rating", json={"rating": "basically_satisfied"})
    assert rated.status == 200 and "基本满意" in (await rated.json())["message"]
    twice = await web.post("/my/seat-rating", json={"rating": "satisfied"})
    assert twice.status == 409
    with store.sessions() as session:
        rows = session.query(SeatServiceRating).all()
    assert [(r.seat, r.rating, r.channel) for r in rows] == [("0123", "basically_satisfied", "web")]


async def test_the_seat_rating_needs_a_session(web, store):
    assert (await web.post("/my/seat-rating", json={"rating": "satisfied"})).status == 403
    assert (await web.get("/my/queue")).status == 403


# ------------------------------------------------------------------ evidence

async def test_a_photo_and_a_video_are_kept_and_shown_only_to_their_owner(web, media):
    me = await citizen(web)
    photo = await web.post("/evidence", data=png(), headers={"Content-Type": "application/octet-stream"})
    assert photo.status == 200
    answer = await photo.json()
    assert answer["kind"] == "image" and answer["count"] == 1
    video = await web.post("/evidence", data=MP4, headers={"Content-Type": "image/png"})   # the claim is ignored
    assert video.status == 200 and (await video.json())["kind"] == "video"
    shown = await web.get(answer["url"])
    assert shown.status == 200 and shown.headers["Content-Type"] == "image/png" and await shown.read() == png()
    pending = await evidence_upload.web_keeper().pending(me)
    assert [p["kind"] for p in pending] == ["image", "video"]
    assert me not in json.dumps(pending)                         # paths carry a hash, not the session

    await web.post("/session/new")                               # another conversation: not its files
    assert (await web.get(answer["url"])).status == 404


@pytest.mark.parametrize("body, status, says", [
    (b"", 400, "没有收到"),
    (b"<html><script>alert(1)</script></html>", 415, "只能上传"),
    (b"MZ\x90\x00" + b"\x00" * 100, 415, "只能上传"),
    (b"\x89PNG", 415, "只能上传"),
])
async def test_what_is_not_a_photo_or_video_is_refused(web, media, body, status, says):
    me = await citizen(web)
    response = await web.post("/evidence", data=body, headers={"Content-Type": "image/jpeg"})
    assert response.status == status and says in (await response.json())["message"]
    assert await evidence_upload.web_keeper().pending(me) == []


async def test_too_big_too_many_and_no_session_are_refused(web, media, monkeypatch):
    small = evidence.evidence_settings().__class__(**{**evidence.evidence_settings().__dict__,
                                                       "max_image_bytes": 1000, "max_per_request": 2})
    monkeypatch.setattr(evidence_upload, "evidence_settings", lambda: small)
    assert (await web.post("/evidence", data=png())).status == 403
    me = await citizen(web)
    big = await web.post("/evidence", data=png() + b"\x00" * 2000)
    assert big.status == 413 and "太大" in (await big.json())["message"]
    assert (await web.post("/evidence", data=png())).status == 200
    assert (await web.post("/evidence", data=png())).status == 200
    third = await web.post("/evidence", data=png())
    assert third.status == 409 and "最多附2个" in (await third.json())["message"]
    assert len(await evidence_upload.web_keeper().pending(me)) == 2


async def test_uploads_are_counted_by_the_abuse_limits(web, media, monkeypatch):
    monkeypatch.setenv("HOTLINE_LIMIT_UPLOAD_PER_SENDER", "2/3600")
    await citizen(web)
    statuses = [(await web.post("/evidence", data=b"junk")).status for _ in range(3)]
    assert statuses == [415, 415, 429]


async def test_thumbnail_names_cannot_leave_the_owners_folder(web, media):
    await citizen(web)
    for name in ("..%2f..%2fsettings%2fhotline.yml", ".pending", "x.py", "..%5c..%5cx.png"):
        assert (await web.get(f"/evidence/{name}")).status == 404, name


# ------------------------------------------------------------------ the page's settings, privacy

async def test_the_page_gets_the_limits_the_server_enforces(web):
    from channels.web.page_settings import page_settings
    config = await (await web.get("/config.json")).json()
    assert config["message_max_chars"] == page_settings().message_max_chars
    assert str(page_settings().message_max_chars) in config["message_too_long"]
    assert config["evidence"]["max_per_request"] == evidence.evidence_settings().max_per_request
    assert config["faq"]


async def test_the_privacy_notice_says_how_long_data_is_kept(web):
    from bot.settings import load_yaml
    response = await web.get("/privacy")
    page = await response.text()
    assert response.status == 200 and "隐私说明" in page and "<script" not in page
    assert f"{load_yaml('retention.yml')['conversations_days']}天" in page
    assert "$" not in page
