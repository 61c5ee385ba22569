import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.ticket_lookup import ActionTicketStatus, ValidateTicketLookupForm
from bot.tickets.store import TicketDraft
from tests.support.actions import tracker


def open_ticket(store, sender="web-owner"):
    draft = TicketDraft("complain", "楼下烧烤摊太吵", "socketio", sender, {"location": "人民路"},
                        "张先生", "13812345678", True)
    return store.open_ticket(draft, request_key=f"{sender}:1").number


def status(number, sender, last4=None, tries=2):
    """The reply after `tries` wrong codes in this lookup (the last try by default)."""
    dispatcher = CollectingDispatcher()
    earlier = [{"event": "action", "name": "action_start_ticket_lookup"}] + [
        {"event": "action", "name": "action_ticket_status"}] * tries
    ActionTicketStatus().run(dispatcher, tracker(sender=sender, events=earlier,
                                                 slots={"ticket_number": number, "phone_last4": last4}), {})
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


def test_a_wrong_code_is_asked_again_with_the_number_kept(store):
    number = open_ticket(store)
    dispatcher = CollectingDispatcher()
    events = ActionTicketStatus().run(dispatcher, tracker(
        sender="stranger", events=[{"event": "action", "name": "action_start_ticket_lookup"}],
        slots={"ticket_number": number, "phone_last4": "0000"}), {})
    assert "还可以再试2次" in dispatcher.messages[0]["text"]
    assert {"event": "followup", "name": "ticket_lookup_form", "timestamp": None} in events
    assert not any(e.get("name") == "ticket_number" for e in events if e["event"] == "slot")
    assert "还可以再试1次" in status(number, "stranger", "0000", tries=1)
    assert "没有找到" in status(number, "stranger", "0000", tries=2)


def test_a_ticket_number_given_for_the_code_is_the_number_to_look_up():
    form = ValidateTicketLookupForm()
    slots = form.validate_phone_last4("查询工单202612070001", CollectingDispatcher(),
                                      tracker(slots={"ticket_number": "202612070002"}), {})
    assert slots == {"ticket_number": "202612070001", "phone_last4": None}
