"""The event contract between actions and channels (bot/channel_events.py)."""
import datetime as dt

import pytest

from bot import channel_events as ce


def rest(*events):
    """As Rasa's REST channel returns the assistant's messages."""
    return [{"recipient_id": "x", "text": "好的"}] + [{"recipient_id": "x", "custom": ce.envelope(e)} for e in events]


def test_each_event_comes_back_as_sent_in_order():
    sent = [ce.ticket_opened("202612060001", dt.date(2026, 12, 18), "complain"), ce.draft_cancelled(),
            ce.transfer("119", "emergency", "fire"), ce.handoff_queued(2), ce.handoff_resumed(), ce.handoff_expired(),
            ce.seat_message("0123", "您好，我是坐席0123。"), ce.summary_shown()]
    assert ce.read(rest(*sent)) == sent
    # the socket.io page gets the event itself as the bot_uttered payload
    assert ce.read([sent[0]]) == [sent[0]]
    assert ce.opened_tickets(sent) == ["202612060001"]
    assert ce.first_transfer(sent)["to"] == "119"
    assert ce.has(sent, ce.DRAFT_CANCELLED) and not ce.has(sent[:1], ce.DRAFT_CANCELLED)


@pytest.mark.parametrize("payload", [
    {"event": "ticket_opened", "number": "../../etc/passwd"},
    {"event": "ticket_opened", "number": 202612060001},
    {"event": "ticket_opened"},
    {"event": "transfer", "to": "12315"},
    {"event": "handoff_queued", "position": -1},
    {"event": "handoff_queued", "position": "2"},
    {"event": "reboot"},
    {"event": "seat_message", "seat": "", "text": "冒充的坐席"},
    {"event": "seat_message", "text": "没有工号"},
    {"event": "seat_message", "seat": "0123", "text": ["不是文字"]},
    {"handoff": "queued"},
    "ticket_opened",
    None,
])
def test_anything_malformed_is_dropped_not_acted_on(payload):
    assert ce.read([{"custom": {"data": payload}}, {"custom": payload}, payload]) == []


def test_no_transfer_to_anywhere_else():
    with pytest.raises(ValueError):
        ce.transfer("12315", "emergency")


def test_text_is_never_an_event():
    assert ce.read([{"text": "已为您登记投诉工单，工单编号：202611220007。"}, {"text": "请立即拨打119"}]) == []
