from types import SimpleNamespace

import pytest

from bot.tickets import lookup


@pytest.mark.parametrize("said", ["查一下202611220007", "工单号 2026-1122-0007", "2026 11 22 0007进度",
                                  "二零二六一一二二零零零七"])
def test_ticket_numbers_are_found_however_they_are_written(said):
    assert lookup.find_ticket_number(said) == "202611220007"


def test_no_number_in_a_vague_question():
    assert lookup.find_ticket_number("我上周反映的事怎么样了") is None


def test_ownership_by_channel_user_or_phone_digits():
    ticket = SimpleNamespace(sender_id="wx-1", contact_phone="13812345678")
    assert lookup.ownership(ticket, "wx-1", None).owned
    assert lookup.ownership(ticket, "web-9", "5678").owned
    assert not lookup.ownership(ticket, "web-9", "0000").owned
    assert lookup.ownership(ticket, "web-9", None).needs_proof


def test_a_missing_ticket_looks_the_same_as_someone_elses():
    assert not lookup.ownership(None, "web-9", "5678").owned


@pytest.mark.parametrize("text, about", [
    ("我上周反映的事处理得怎么样了", True),
    ("帮我查一下工单进度", True),
    ("202611220007", True),
    ("问一下我们这片老旧小区改造排到哪一年了", False),
    ("半夜施工还有没有人管了", False),
])
def test_a_ticket_question_names_a_ticket(text, about):
    from bot.tickets.lookup import asks_about_a_ticket
    assert asks_about_a_ticket(text) is about
