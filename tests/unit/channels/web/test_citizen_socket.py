"""What the socket proxy passes on to Rasa from a hostile page, and what it does with Rasa's events:
the session and channel are the server's, coordinates only when they are a place, text only within
the configured limit, evidence attached on ticket_opened and deleted on draft_cancelled."""
from __future__ import annotations

import json

import pytest

from channels import evidence
from channels.web import citizen_socket, evidence_upload
from channels.web.citizen_socket import Rewrite, _refused, _settle_evidence, _with_attachments
from channels.web.location import coordinates_from
from channels.web.page_settings import page_settings

SESSION = "web-" + "a" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def sent(rewrite: Rewrite, data) -> dict:
    frame = rewrite("42" + json.dumps(["user_uttered", data]))
    return json.loads(frame[2:])[1]


def test_the_page_cannot_choose_session_or_channel_and_coordinates_are_checked():
    rewrite = Rewrite(SESSION, "key")
    forged = sent(rewrite, {"message": "路灯坏了", "session_id": "wechat:someone",
                            "customData": {"channel": "voice", "caller": "13812345678",
                                           "coordinates": {"lat": 41.27, "lon": 123.17, "accuracy": 25.4}}})
    assert forged["session_id"] == SESSION
    assert forged["customData"] == {"channel": "web", "language": "zh",
                                    "coordinates": {"lat": 41.27, "lon": 123.17, "accuracy": 25}}


@pytest.mark.parametrize("raw", [
    {"lat": 91, "lon": 10, "accuracy": 5}, {"lat": "41", "lon": 123, "accuracy": 5},
    {"lat": float("nan"), "lon": 123, "accuracy": 5}, {"lat": 41, "lon": 123}, {"lat": True, "lon": 1, "accuracy": 1},
    {"lat": 41, "lon": 181, "accuracy": 1}, {"lat": 41, "lon": 123, "accuracy": 10 ** 9}, "41,123", None,
])
def test_anything_but_a_place_on_earth_is_dropped(raw):
    assert coordinates_from(raw) is None
    assert "coordinates" not in sent(Rewrite(SESSION, "key"), {"message": "x", "customData": {"coordinates": raw}})["customData"]


async def test_a_message_over_the_limit_is_refused_with_the_pages_words():
    limit = page_settings().message_max_chars
    frame = Rewrite(SESSION, "key")("42" + json.dumps(["user_uttered", {"message": "长" * (limit + 1)}]))
    assert await _refused(SESSION, "127.0.0.1", frame) == page_settings().too_long()
    within = Rewrite(SESSION, "key")("42" + json.dumps(["user_uttered", {"message": "长" * limit}]))
    assert await _refused(SESSION, "127.0.0.1", within) is None


@pytest.fixture
def keeper(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_EVIDENCE_DIR", str(tmp_path / "media"))
    evidence.evidence_settings.cache_clear()
    evidence_upload.web_keeper.cache_clear()
    yield evidence_upload.web_keeper()
    evidence.evidence_settings.cache_clear()
    evidence_upload.web_keeper.cache_clear()


def from_rasa(event: dict) -> str:
    return "42" + json.dumps(["bot_uttered", event])


async def test_pending_evidence_rides_with_each_message_and_is_attached_when_the_ticket_opens(keeper, tmp_path):
    photo = await keeper.keep(SESSION, "p1", JPEG, "jpg")
    frame = Rewrite(SESSION, "key")("42" + json.dumps(["user_uttered", {"message": "确认提交"}]))
    metadata = json.loads((await _with_attachments(frame, SESSION))[2:])[1]["customData"]
    assert [a["path"] for a in metadata["attachments"]] == [photo["path"]]

    # the citizen's own words quoting a number move nothing: only the event does
    await _settle_evidence(citizen_socket.notice("工单编号：202612060001"), SESSION)
    assert await keeper.pending(SESSION)
    await _settle_evidence(from_rasa({"event": "ticket_opened", "number": "202612060001", "deadline": "2026-12-18",
                                      "request_type": "complain", "follow_up_of": None}), SESSION)
    manifest = json.loads((tmp_path / "media" / "tickets" / "202612060001.json").read_text(encoding="utf-8"))
    assert manifest["channel"] == "web" and [a["path"] for a in manifest["attachments"]] == [photo["path"]]
    assert await keeper.pending(SESSION) == []


async def test_a_cancelled_request_deletes_its_evidence(keeper, tmp_path):
    photo = await keeper.keep(SESSION, "p2", JPEG, "jpg")
    path = tmp_path / "media" / photo["path"].split("media/", 1)[1]
    assert path.exists()
    await _settle_evidence(from_rasa({"event": "draft_cancelled"}), SESSION)
    assert not path.exists() and await keeper.pending(SESSION) == []
