"""End to end in real browsers against the real assistant: a citizen in the web chat asks for a
person, a seat takes the conversation in the console, they talk, the seat registers a ticket and
hands back, and the assistant answers again. A second seat can only look."""
from __future__ import annotations

import re
import time

import pytest

from tests.integration.browser.test_webchat import ChatPage
from tests.support.seats.console_page import ConsolePage
from tests.support.seats.fakes import TOKENS
from tests.support.conversation import unique_phone

pytestmark = [pytest.mark.rasa, pytest.mark.browser]

PHONE = unique_phone()   # own citizen: the same phone would make it a duplicate of other tests' tickets


def wait_until(condition, timeout=30, message="timed out"):
    return ConsolePage.wait(condition, timeout, message)


def test_web_chat_citizen_and_seat(browser_factory, screenshot, web_url, seat_web, seat_client, ticket_store_of_stack):
    citizen = ChatPage(browser_factory(900, 900), web_url).open()
    replies = citizen.send("我要投诉楼下烧烤摊，每天吵到半夜")
    assert replies, citizen.transcript()
    replies = citizen.send("转人工")
    assert any("已为您转接人工客服" in r for r in replies), citizen.transcript()
    session = citizen.local("hotline.webchat.session_id")
    screenshot(citizen.driver, "01-citizen-queued")

    seat = ConsolePage(browser_factory(1440, 900), seat_web.url).open(TOKENS["王芳"])
    card = wait_until(lambda: seat.card_for(session), 30, "the conversation never reached the queue")
    assert "市民要求转人工" in card.text and "已等" in card.text
    screenshot(seat.driver, "02-console-queue")
    seat.take(session)
    wait_until(lambda: any("烧烤摊" in t for t in seat.transcript()), 20, "the citizen's words are not in the console")
    assert "投诉" in seat.text("understood")

    # The seat's greeting and words reach the citizen's page as a person's (the seat_message
    # event: the seat's own colour and name, no prefix in the text); the assistant stays silent.
    wait_until(lambda: any(t.startswith("人工客服 · 王芳|您好") for t in citizen.seat_texts()), 20,
               lambda: "greeting not shown to the citizen:\n" + "\n".join(citizen.transcript()))
    seat.reply("请问烧烤摊具体在哪条街？")
    wait_until(lambda: any("具体在哪条街" in t for t in citizen.seat_texts()), 20,
               lambda: "seat's words not shown to the citizen:\n" + "\n".join(citizen.transcript()))
    before = len(citizen.bot_texts())
    citizen_box = citizen.driver.find_element("id", "input")
    from selenium.webdriver.common.keys import Keys
    citizen_box.send_keys("在人民路88号，老王烧烤", Keys.ENTER)
    wait_until(lambda: any("人民路88号" in t for t in seat.transcript()), 20, "citizen's answer not in the console")
    time.sleep(1.5)
    assert len(citizen.bot_texts()) == before, "the assistant spoke while a seat held the conversation"

    # A second seat sees who holds it and cannot take it.
    other = ConsolePage(browser_factory(1440, 900), seat_web.url).open(TOKENS["李强"])
    held = wait_until(lambda: other.card_for(session, "taken-list"), 20, "second seat does not see the conversation")
    assert "王芳 接待中" in held.text
    held.click()
    wait_until(lambda: "正由 王芳 接待" in other.status(), 20, lambda: other.status())
    assert not other.find("claim").is_displayed() and not other.find("send").is_enabled()
    refused = seat_client("李强").call("POST", f"/queue/{_entry_id(seat)}/claim")
    assert refused.status_code == 409 and "已由王芳接待" in refused.json()["error"]["message"]
    screenshot(other.driver, "03-second-seat")

    # The ticket, prefilled from the conversation.
    assert seat.find("t-type").get_attribute("value") == "complain"
    assert "烧烤摊" in seat.find("t-text").get_attribute("value")
    seat.fill("t-location", "人民路88号")
    seat.fill("t-name", "张先生")
    seat.fill("t-phone", PHONE)
    seat.find("t-consent").click()
    seat.find("ticket-submit").click()
    state = wait_until(lambda: re.search(r"已登记投诉工单 (\d{12})", seat.text("ticket-state")), 30,
                       lambda: f"no ticket: {seat.text('ticket-state')!r}")
    number = state.group(1)
    wait_until(lambda: any(number in t for t in citizen.bot_texts() + citizen.seat_texts()), 20,
               "ticket number not told to the citizen")
    screenshot(seat.driver, "04-console-talking")
    screenshot(citizen.driver, "05-citizen-with-seat")
    ticket = ticket_store_of_stack.get(number)
    assert ticket.facts["location"] == "人民路88号" and ticket.contact_phone == PHONE
    said = [e.detail["text"] for e in ticket.events if e.action == "seat_message"]
    assert any("具体在哪条街" in s for s in said) and all("王芳" in e.actor for e in ticket.events)

    # Hand back: the assistant speaks again where the conversation stands.
    seat.find("handback").click()
    seat.driver.switch_to.alert.accept()
    wait_until(lambda: any("智能助手继续为您服务" in t for t in citizen.bot_texts()), 20,
               lambda: "hand-back not told:\n" + "\n".join(citizen.transcript()))
    replies = citizen.send("你好")
    assert any("12345" in r for r in replies), citizen.transcript()
    wait_until(lambda: "已交回助手" in seat.text("conv-meta"), 20, lambda: seat.text("conv-meta"))
    screenshot(citizen.driver, "06-citizen-after-handback")
    screenshot(seat.driver, "07-console-handed-back")


def _entry_id(page: ConsolePage) -> int:
    return int(page.driver.execute_script(
        "var c = document.querySelector('#taken-list .card.mine') || document.querySelector('.card.selected');"
        "return c && c.getAttribute('data-entry');"))


def test_the_console_refuses_a_wrong_token_and_readonly_staff_only_look(browser_factory, screenshot, seat_web):
    from selenium.webdriver.common.keys import Keys
    page = ConsolePage(browser_factory(1280, 800), seat_web.url)
    page.driver.get(seat_web.url + "/seats")
    wait_until(lambda: page.find("token").is_displayed(), 20, "no login form")
    page.find("token").send_keys("not-a-real-token-at-all", Keys.ENTER)
    wait_until(lambda: "工作令牌不正确" in page.text("login-error"), 20, lambda: page.text("login-error"))
    screenshot(page.driver, "01-login-refused")
    page.open(TOKENS["赵敏"])
    assert "只能查看" in page.text("seat-role")
    assert not page.driver.find_elements("css selector", "#waiting-list .card button")
    screenshot(page.driver, "02-readonly")
