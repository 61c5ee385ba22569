"""A seat's words to a web citizen: the bot event keeps the text (the console's transcript and the
ticket history read it) and carries a seat_message event with the seat's work number, which Rasa's
socket.io output emits after the text, so the page shows a person's words as such."""
from __future__ import annotations

from bot import channel_events
from bot.seats.models import QueueEntry
from channels.staff.seats.delivery import Delivery


class RecordingRasa:
    """Records what would be appended to the tracker (the HTTP call itself is Rasa's)."""

    def __init__(self):
        self.appended = []

    async def append(self, sender_id, events, push=False):
        self.appended.append((sender_id, events, push))


async def test_web_words_carry_the_seat_message_event_beside_the_text():
    rasa = RecordingRasa()
    entry = QueueEntry(sender_id="web-" + "b" * 32, channel="web", reason="requested", status="taken")
    shown = "【人工客服 0123】您好，请问路灯在哪条路上？"
    await Delivery(rasa, wechat=None).seat_words(entry, shown, {"seat": "0123", "seat_text": "您好，请问路灯在哪条路上？"}, 1.0)

    [(sender, [event], push)] = rasa.appended
    assert sender == entry.sender_id and push is True
    assert event["event"] == "bot" and event["text"] == shown and event["metadata"]["seat"] == "0123"
    # What socket.io emits for the event's custom payload is exactly what the page reads.
    assert channel_events.read([event["data"]["custom"]]) == [channel_events.seat_message("0123", "您好，请问路灯在哪条路上？")]
