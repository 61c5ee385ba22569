"""What the assistant did without a ticket lands in the stack's database, once per event: the action
server (started by tests/conftest.py on stack_database_url) writes the service records this test reads."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from bot.office.service_log import (EMERGENCY_REFERRAL, KB_ANSWER, KB_OFFER, NOT_ACCEPTED, UNANSWERED, ServiceLog,
                                    citizen_digest)

pytestmark = pytest.mark.rasa

EVER = (dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc))


def records_of(store, chat, expected: int, wait: float = 10.0):
    """The citizen's records, once `expected` of them are written (a background thread writes them
    after the reply), and a little longer to be sure no more follow."""
    log, citizen = ServiceLog(store.engine), citizen_digest(chat.sender)
    deadline = time.monotonic() + wait
    while True:
        rows = [r for r in log.between(*EVER) if r.citizen == citizen]
        if len(rows) >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    return [r for r in log.between(*EVER) if r.citizen == citizen]


def test_an_emergency_leaves_one_referral_and_no_ticket(chat, ticket_store_of_stack):
    reply = chat.say("救命！我家厨房着火了，火很大")
    assert "119" in reply.splitlines()[0]
    [row] = records_of(ticket_store_of_stack, chat, 1)
    assert (row.kind, row.channel) == (EMERGENCY_REFERRAL, "test")
    assert (row.detail["to"], row.detail["evidence"]) == ("119", "rule")
    assert row.question == "救命！我家厨房着火了，火很大"


def test_a_question_the_knowledge_base_answers_leaves_one_answer(chat, ticket_store_of_stack):
    chat.say("社保卡丢了怎么补办")
    assert "解决了" in chat.buttons
    chat.say("/affirm")   # solved: nothing more to record
    [row] = records_of(ticket_store_of_stack, chat, 1)
    assert (row.kind, row.question) == (KB_ANSWER, "社保卡丢了怎么补办")
    assert row.detail["entry_id"] and 0 < row.detail["score"] <= 1


def test_a_matter_not_accepted_leaves_one_referral_with_its_reason(chat, ticket_store_of_stack):
    reply = chat.say("我想让你们帮我起诉我前老板，让法院判他赔钱")
    assert "法院" in reply and "工单编号" not in reply
    [row] = records_of(ticket_store_of_stack, chat, 1)
    assert (row.kind, row.detail["reason"]) == (NOT_ACCEPTED, "litigation")


def test_an_offer_none_of_which_fits_falls_to_a_ticket(chat, ticket_store_of_stack):
    chat.say("证件丢了咋办")
    chat.say("/deny")
    assert "称呼" in chat.text
    rows = records_of(ticket_store_of_stack, chat, 2)
    assert [r.kind for r in rows] == [KB_OFFER, UNANSWERED]
    assert len(rows[0].detail["entry_ids"]) >= 3
    assert rows[1].question == "证件丢了咋办" and rows[1].detail == {"fell_to": "ticket", "kb": "offered"}
