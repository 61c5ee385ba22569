"""Place, time, name and phone read from what a citizen said in free text (bot/seats/prefill.py),
as the seat's ticket form is prefilled with them."""
from __future__ import annotations

import pytest

from bot.seats.prefill import facts_from_messages, prefill


@pytest.mark.parametrize("messages, expected", [
    (["我姓周，住人民路88号", "电话13812345678"],
     {"contact_name": "周", "location": "人民路88号", "contact_phone": "13812345678"}),
    (["昨天晚上十点多", "我叫王伟，手机一三八一二三四五六七八"],
     {"event_time": "昨天晚上十点多", "contact_name": "王伟", "contact_phone": "13812345678"}),
    (["免贵姓李", "在幸福小区3号楼下"], {"contact_name": "李", "location": "幸福小区3号"}),
    # Not names, not facts: 「我是来投诉的」, a complaint without a place or number.
    (["我是来投诉的"], {}),
    (["太吵了，我要投诉"], {}),
])
def test_facts_stated_in_free_text(messages, expected):
    assert facts_from_messages(messages) == expected


def test_a_corrected_phone_wins():
    assert facts_from_messages(["电话13812345678", "不对，电话是13900001111"])["contact_phone"] == "13900001111"


def test_the_newest_statement_wins_what_was_told_to_the_seat_over_the_forms_answers():
    filled = prefill({"location": "公交302路", "contact_name": None, "contact_phone": "13812345678"},
                     earlier=["我在人民路88号", "我叫王伟"], later=["电话换成13900001111吧"])
    assert filled == {"location": "公交302路", "event_time": "", "contact_name": "王伟", "contact_phone": "13900001111"}
