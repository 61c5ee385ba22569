import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.ticket_lookup import ActionTicketStatus, ValidateTicketLookupForm
from bot.tickets.store import TicketDraft
from tests.support.actions import tracker


def open_ticket(store, sender="web-owner"):
    draft = TicketDraft("complain", "楼下烧烤摊太吵", "socketio", sender, {"location": "人民路"},
                        "张先生", "13812345678", True)
    return store.open_ticket(draft, request_key=f"{sender}:1").number


def status(number, sender, last4=None):
    dispatcher = CollectingDispatcher()
    ActionTicketStatus().run(dispatcher, tracker(sender=sender, slots={"ticket_number": number, "phone_last4": last4}), {})
    return dispatcher.messages[0]["text"]


def test_the_owner_sees_status_department_and_deadline(store):
    number = open_ticket(store)
    text = status(number, "web-owner")
    assert number in text and "已受理" in text and "答复期限" in text


def test_someone_else_needs_the_phone_digits(store):
    number = open_ticket(store)
    asked = asyncio.run(ValidateTicketLookupForm().required_slots(
        [], CollectingDispatcher(), tracker(sender="stranger", slots={"ticket_number": number}), {}))
    assert asked == ["ticket_number", "phone_last4"]
    assert "没有找到" in status(number, "stranger", "0000")
    assert number in status(number, "stranger", "5678")


def test_a_missing_ticket_reveals_nothing(store):
    open_ticket(store)
    assert status("209901010001", "stranger", "5678") == status(open_ticket(store, "x"), "stranger", "0000")
