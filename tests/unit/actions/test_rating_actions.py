"""Rating a ticket someone proves is theirs with the phone's last four digits: the code is checked
as soon as it is given, a wrong one asked again (three tries in all), never handed to a person."""
from rasa_sdk.executor import CollectingDispatcher

from actions.follow_up import ValidateSatisfactionForm
from bot.tickets.store import TicketDraft
from tests.support.actions import tracker


def open_ticket(store) -> str:
    draft = TicketDraft("complain", "楼下烧烤摊太吵", "wechat", "wechat:someone", {"location": "人民路"},
                        "张先生", "13812345678", True)
    return store.open_ticket(draft, request_key="wechat:someone:1").number


def code(number, digits, tries):
    """The form's check of `digits`, as the `tries`-th message since the rating started."""
    dispatcher = CollectingDispatcher()
    events = [{"event": "action", "name": "action_start_rating"}] + [
        {"event": "user", "text": "0000", "parse_data": {}}] * tries
    slots = ValidateSatisfactionForm().validate_rating_phone_last4(
        digits, dispatcher, tracker(digits, "inform", sender="web-stranger", events=events,
                                    slots={"rating_ticket": number}), {})
    return slots, dispatcher.messages[0]["text"] if dispatcher.messages else ""


def test_a_wrong_code_is_asked_again_then_the_rating_ends(store, monkeypatch):
    monkeypatch.setattr("actions.follow_up.ticket_store", lambda: store)
    number = open_ticket(store)
    slots, said = code(number, "0000", tries=1)
    assert slots == {"rating_phone_last4": None} and "还可以再试2次" in said
    slots, said = code(number, "0000", tries=3)
    assert slots == {"rating_phone_last4": None, "rating_ticket": None} and "没有找到" in said


def test_the_right_code_proves_the_ticket_at_once(store, monkeypatch):
    monkeypatch.setattr("actions.follow_up.ticket_store", lambda: store)
    number = open_ticket(store)
    slots, said = code(number, "5678", tries=2)
    assert slots == {"rating_phone_last4": "5678", "rating_proven": True} and said == ""
