"""Hostile or broken input gets a clear answer and leaves every stored record intact."""
import pytest

pytestmark = pytest.mark.rasa

from bot.tickets.facts import DESCRIPTION_LIMIT
from tests.integration.conversation.test_ticket_dialogue import answer_until_summary


def test_empty_and_whitespace_messages_get_an_answer(chat, ticket_store_of_stack):
    before = len(ticket_store_of_stack.list(limit=10000))
    for text in ["", "   ", "\n\n"]:
        chat.say(text)
        assert chat.text.strip(), f"no answer to {text!r}"          # something the citizen can read
    assert chat.form_state() == (None, None)                          # nothing started from nothing
    assert len(ticket_store_of_stack.list(limit=10000)) == before


def test_a_huge_message_is_refused_with_its_length_and_never_cut(chat, ticket_store_of_stack):
    reply = chat.say("我要投诉楼下烧烤摊每天吵到半夜。" + "吵" * 20000)
    assert "20016字" in reply and f"{DESCRIPTION_LIMIT}字" in reply      # said, not silently cut
    chat.say("楼下烧烤摊每天吵到半夜两点")                                   # shortened: the form goes on
    answer_until_summary(chat)
    chat.say("/affirm")
    ticket = ticket_store_of_stack.get(chat.ticket_number())
    assert ticket.text == "楼下烧烤摊每天吵到半夜两点"


def test_injection_strings_are_stored_as_plain_text(chat, ticket_store_of_stack):
    before = len(ticket_store_of_stack.list(limit=10000))
    chat.say("我要投诉楼下烧烤摊每天吵到半夜")
    chat.say("人民路'); DROP TABLE tickets; --")
    answer_until_summary(chat)
    chat.say("/affirm")
    ticket = ticket_store_of_stack.get(chat.ticket_number())
    assert ticket.facts["location"] == "人民路'); DROP TABLE tickets; --"
    assert len(ticket_store_of_stack.list(limit=10000)) == before + 1


def test_control_characters_and_markup_do_not_break_the_dialogue(chat):
    reply = chat.say("<script>alert(1)</script>\x00\x07 你好")
    assert reply.strip() and "\x00" not in reply
    # the conversation goes on normally afterwards
    assert "地" in chat.say("我要投诉楼下烧烤摊每天吵到半夜") or chat.form_state()[0] == "ticket_form"
