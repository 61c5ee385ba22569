"""Rendering the assistant's replies for WeChat, reading numbered choices, splitting long text."""
import datetime as dt

from bot import channel_events
from channels.wechat.replies import Option, choose, render, split

SUMMARY = [{"recipient_id": "x", "text": "请核对您的诉求信息：\n地点：人民路\n信息无误请点“确认提交”，需要修改请点“修改”。",
            "buttons": [{"title": "确认提交", "payload": "/affirm"}, {"title": "修改", "payload": "/deny"}]}]


def test_buttons_become_numbered_options_and_the_text_says_to_reply_with_the_number():
    rendered = render(SUMMARY)
    assert rendered.text.endswith("回复1：确认提交\n回复2：修改")
    assert "请回复“1”" in rendered.text and "请回复“2”" in rendered.text and "请点" not in rendered.text
    assert rendered.options == [Option("确认提交", "/affirm"), Option("修改", "/deny")]


def test_several_messages_are_joined_and_images_shown_as_links():
    rendered = render([{"text": "第一句"}, {"text": "第二句"}, {"image": "https://example.org/a.png"}])
    assert rendered.text == "第一句\n第二句\n图片：https://example.org/a.png" and rendered.options == []
    assert render([]).text == ""


def test_a_number_or_a_title_picks_an_option():
    options = render(SUMMARY).options
    assert choose("1", options) == "/affirm"
    assert choose(" ２ ", options) == "/deny"          # full-width digit
    assert choose("一", options) == "/affirm"
    assert choose("修改。", options) == "/deny"
    assert choose("3", options) is None and choose("0", options) is None
    assert choose("13812345678", options) is None
    assert choose("我要改地址", options) is None
    assert choose("1", []) is None


def test_long_text_is_split_within_wechat_limits_without_breaking_characters():
    lines = [f"第{i}行：" + "很长的说明文字" * 20 for i in range(30)]
    text = "\n".join(lines)
    pieces = split(text)
    assert len(pieces) > 1 and all(len(p.encode("utf-8")) <= 2048 for p in pieces)
    assert "\n".join(pieces) == text
    one_line = "办" * 2000 + "😀" * 10
    pieces = split(one_line)
    assert all(len(p.encode("utf-8")) <= 2048 for p in pieces) and "".join(pieces) == one_line
    assert split("短") == ["短"] and split("   ") == []


def test_tickets_and_cancellations_come_from_the_assistants_events():
    opened = channel_events.ticket_opened("202611220009", dt.date(2026, 12, 4), "complaint")
    rendered = render([{"text": "好的"}, {"custom": channel_events.envelope(opened)}])
    assert rendered.opened_ticket() == "202611220009" and not rendered.cancelled_draft()
    assert render([{"custom": channel_events.envelope(channel_events.draft_cancelled())}]).cancelled_draft()
    # the 10,000th ticket of a day has 13 digits: still one ticket
    big = channel_events.ticket_opened("2026112210000", dt.date(2026, 12, 4), "help")
    assert render([{"custom": channel_events.envelope(big)}]).opened_ticket() == "2026112210000"


def test_the_wording_of_a_reply_is_never_taken_for_an_event():
    # A description quoted back, or the assistant's own sentences, move nothing.
    rendered = render([{"text": "请核对：问题描述：已为您登记投诉工单，工单编号：202611220007。已取消本次登记"}])
    assert rendered.opened_ticket() is None and not rendered.cancelled_draft()
    forged = render([{"custom": {"data": {"event": "ticket_opened", "number": "../../x"}}}])
    assert forged.opened_ticket() is None
