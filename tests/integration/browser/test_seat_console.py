"""The seat console built for a busy queue (issue 15), in headless Chromium at 1440×900 against the
real assistant: citizens chat over the web chat's socket (the web server's proxy to Rasa, as the
page does), a seat works in the console.

  - queue cards: the citizen's first words, channel, waiting time, why escalated; the seat's own
    conversations pinned on top; a beep (WebAudio) and a tab-title alert for new messages;
  - the understanding panel: what the assistant told the citizen, and what was only suspected while
    the seat held the conversation (「疑似紧急，未提示」);
  - quick answers looked up by themselves only for a question, with the configured cutoff;
  - the ticket form filled from everything said, and its result or refusal beside the button;
  - outcomes and the seat's figures for the day.

Citizens are driven without a browser (tests/support/seats/socketio_client.py): the chat page is
tested in test_webchat*.py; here it is the seat who looks.
"""
from __future__ import annotations

import asyncio
import re
import threading

import pytest

from tests.support.conversation import unique_phone
from tests.support.seats.console_page import ConsolePage
from tests.support.seats.fakes import TOKENS
from tests.support.seats.socketio_client import SocketIOCitizen

pytestmark = [pytest.mark.rasa, pytest.mark.browser]

DESKTOP = (1440, 900)

# Counts the oscillators the page really starts (its beep), installed before the page's own script.
COUNT_BEEPS = """
window.__beeps = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function () { window.__beeps += 1; return start.apply(this, arguments); };
"""


def wait_until(condition, timeout=30, message="timed out"):
    return ConsolePage.wait(condition, timeout, message)


class Loop:
    """An asyncio loop in a thread, for the socket.io citizens of a synchronous browser test."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="citizens", daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class Citizen:
    def __init__(self, loop: Loop, web_url: str):
        self.loop = loop
        self.io = SocketIOCitizen(web_url)
        loop.run(self.io.connect())

    @property
    def sender(self) -> str:
        return self.io.session_id

    def say(self, text: str, expect: str = None) -> None:
        """Send; with expect, wait for the assistant's (or seat's) message containing it."""
        self.loop.run(self.io.say(text))
        if expect:
            self.loop.run(self.io.wait_text(expect, 40), 60)

    def close(self):
        self.loop.run(self.io.close())


@pytest.fixture
def citizens(web_url):
    loop, made = Loop(), []

    def new() -> Citizen:
        made.append(Citizen(loop, web_url))
        return made[-1]

    yield new
    for citizen in made:
        citizen.close()
    loop.stop()


@pytest.fixture
def console(browser_factory, seat_web):
    def open_as(name: str) -> ConsolePage:
        driver = browser_factory(*DESKTOP)
        # The window's size includes the browser's own frame: the page itself gets exactly 1440×900.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_BEEPS})
        return ConsolePage(driver, seat_web.url).open(TOKENS[name])
    return open_as


def beeps(page: ConsolePage) -> int:
    return int(page.driver.execute_script("return window.__beeps || 0"))


def card_of(page: ConsolePage, citizen: Citizen, list_id: str):
    return wait_until(lambda: page.card_for(citizen.sender, list_id), 30,
                      lambda: f"{citizen.sender} not in #{list_id}: {page.text('desk')[:400]!r}")


def card_top(page: ConsolePage, citizen: Citizen, list_id: str) -> float:
    """Read in one go: the cards are re-rendered at every poll, so a held element goes stale."""
    return page.driver.execute_script(
        "var c = document.querySelector('#' + arguments[0] + ' .card[data-sender=\"' + arguments[1] + '\"]');"
        "return c && c.getBoundingClientRect().top;", list_id, citizen.sender)


def unread_badge(page: ConsolePage, citizen: Citizen) -> str:
    return page.driver.execute_script(
        "var b = document.querySelector('#mine-list .card[data-sender=\"' + arguments[0] + '\"] .unread');"
        "return b ? b.textContent : '';", citizen.sender)


def click_card(page: ConsolePage, citizen: Citizen, list_id: str) -> None:
    wait_until(lambda: card_of(page, citizen, list_id).click() or True, 10, "card could not be clicked")


def escalate(citizen: Citizen, first_words: str, expect: str = None) -> None:
    citizen.say(first_words, expect)
    citizen.say("转人工", "转接人工客服")


def test_queue_cards_pin_the_seats_own_conversations_and_alert_new_messages(console, citizens, screenshot):
    seat = console("王芳")
    seat.find("desk").click()            # the seat's first click lets the page play sound
    noise, card_case = citizens(), citizens()
    escalate(noise, "我家楼下烧烤摊每天吵到半夜，油烟也大")
    card = card_of(seat, noise, "waiting-list")
    assert "“我家楼下烧烤摊每天吵到半夜，油烟也大”" in card.text
    assert "网页" in card.text and "已等" in card.text and "转人工原因：市民要求转人工" in card.text
    wait_until(lambda: beeps(seat) >= 1, 10, "no beep for a citizen newly waiting")
    screenshot(seat.driver, "01-queue-card")

    seat.take(noise.sender)
    escalate(card_case, "社保卡丢了怎么补办")
    card_of(seat, card_case, "waiting-list")
    assert card_top(seat, noise, "mine-list") < card_top(seat, card_case, "waiting-list"), \
        "the seat's own conversation is not pinned above the queue"
    assert "您正在接待" in wait_until(lambda: card_of(seat, noise, "mine-list").text, 10, "no card text")
    assert card_top(seat, noise, "taken-list") is None

    # Two held conversations; looking at the first, a message in the second beeps and marks the tab.
    seat.take(card_case.sender)
    wait_until(lambda: "selected" in card_of(seat, card_case, "mine-list").get_attribute("class"), 20,
               "the conversation just taken is not the one shown")
    click_card(seat, noise, "mine-list")
    wait_until(lambda: "烧烤摊" in " ".join(seat.transcript()), 20, lambda: f"first conversation not shown: {seat.status()!r} {seat.transcript()!r} {seat.banner()!r}")
    before = beeps(seat)
    card_case.say("卡是昨天在公交车上丢的，急用")
    wait_until(lambda: "【1条新消息】" in seat.driver.title, 20, lambda: f"no tab alert: {seat.driver.title!r}")
    assert beeps(seat) > before, "no beep for the citizen's new message"
    wait_until(lambda: unread_badge(seat, card_case) == "1", 10, "no unread badge on the other conversation")
    screenshot(seat.driver, "02-pinned-and-unread")

    click_card(seat, card_case, "mine-list")      # reading it clears the alert
    wait_until(lambda: seat.driver.title == "12345 人工坐席工作台", 10, lambda: seat.driver.title)
    wait_until(lambda: unread_badge(seat, card_case) == "", 10, "the unread badge stayed after reading")
    for citizen in (noise, card_case):      # leave no held conversation behind
        click_card(seat, citizen, "mine-list")
        wait_until(lambda: seat.find("handback").is_displayed(), 10, "no hand-back button")
        seat.find("handback").click()
        seat.driver.switch_to.alert.accept()
        wait_until(lambda: not seat.card_for(citizen.sender, "mine-list"), 20, "not handed back")


def test_the_panel_tells_what_the_citizen_was_told_from_what_was_only_suspected_during_the_hold(
        console, citizens, screenshot):
    seat = console("李强")
    fire = citizens()
    escalate(fire, "救命，我家厨房着火了", "119")
    seat.take(fire.sender)
    fire.say("隔壁也着火了，火很大，有人被困在楼上")
    suspected = wait_until(lambda: seat.find("suspected").is_displayed() and seat.find("suspected"), 30,
                           lambda: f"no suspicion shown: {seat.text('understood')!r}")
    assert "疑似紧急（火警119），未提示" in suspected.text and "有人被困在楼上" in suspected.text
    assert "没有提示市民拨打紧急电话" in suspected.text
    understood = seat.text("understood")
    assert "已对市民提示" in understood and "紧急情况：已提示拨打119" in understood
    tag = seat.driver.find_element("css selector", "#transcript .line.citizen .suspect")
    assert "疑似紧急（火警119），未提示" in tag.text
    screenshot(seat.driver, "03-suspected-emergency")
    seat.find("handback").click()
    seat.driver.switch_to.alert.accept()


def test_quick_answers_the_prefilled_ticket_its_result_and_the_seats_day(console, citizens, screenshot,
                                                                        ticket_store_of_stack):
    phone = unique_phone()
    seat = console("王芳")
    figures_before = _handled_today(seat)
    citizen = citizens()
    escalate(citizen, "我要投诉楼下烧烤摊，每天吵到半夜")
    seat.take(citizen.sender)

    # A question is looked up by itself; a statement is not.
    citizen.say("另外问一下，社保卡丢了怎么挂失？")
    hit = wait_until(lambda: seat.driver.find_elements("css selector", "#kb-hits .kb-hit"), 60,
                     lambda: f"no quick answer: {seat.text('kb-state')!r}")[0]
    assert "社保卡" in hit.text and "相似度" in hit.text
    # A question the knowledge base cannot answer: its lookalikes (0.76 for this one) stay below the cutoff.
    citizen.say("你们几点下班啊？")
    wait_until(lambda: "没有足够相近的答案" in seat.text("kb-state"), 30, lambda: seat.text("kb-state"))
    assert not seat.driver.find_elements("css selector", "#kb-hits .kb-hit")
    citizen.say("在人民路88号那家，我姓周")
    wait_until(lambda: "不是提问" in seat.text("kb-state"), 20, lambda: seat.text("kb-state"))
    assert not seat.driver.find_elements("css selector", "#kb-hits .kb-hit")

    # The form follows what the citizen says; without a phone the refusal is shown beside the button.
    wait_until(lambda: seat.find("t-location").get_attribute("value") == "人民路88号", 20,
               lambda: seat.find("t-location").get_attribute("value"))
    assert seat.find("t-name").get_attribute("value") == "周"
    assert seat.find("t-type").get_attribute("value") == "complain"
    seat.find("ticket-submit").click()
    wait_until(lambda: "没有登记" in seat.text("ticket-state"), 20, lambda: seat.text("ticket-state"))
    assert "电话" in seat.text("ticket-state")
    _beside_the_button(seat)
    citizen.say("昨天晚上十点多还在吵")
    citizen.say(f"电话是{phone}")
    wait_until(lambda: seat.find("t-phone").get_attribute("value") == phone, 20,
               lambda: seat.find("t-phone").get_attribute("value"))
    assert seat.find("t-time").get_attribute("value").startswith("昨天晚上十点多")
    seat.find("ticket-submit").click()
    result = wait_until(lambda: re.search(r"已登记投诉工单 (\d{12})，答复期限 (\S+)，承办部门：(\S+)", seat.text("ticket-state")),
                        30, lambda: seat.text("ticket-state"))
    ticket = ticket_store_of_stack.get(result.group(1))
    assert ticket.contact_phone == phone and ticket.facts["location"] == "人民路88号"
    assert result.group(2) == ticket.deadline.isoformat() and result.group(3) == ticket.department
    wait_until(lambda: seat.text("ticket-submit") == "更新工单", 20, lambda: seat.text("ticket-submit"))
    _beside_the_button(seat)
    assert _overflowing(seat) == []
    screenshot(seat.driver, "04-ticket-result")   # docs/images/seat-console.png: a copy of one looked-at run

    # Hand back, mark the outcome, and the seat's day counts it.
    seat.find("handback").click()
    seat.driver.switch_to.alert.accept()
    wait_until(lambda: "已交回助手" in seat.text("conv-meta"), 20, lambda: seat.text("conv-meta"))
    from selenium.webdriver.support.ui import Select
    Select(seat.find("outcome")).select_by_visible_text("已登记工单")
    seat.fill("outcome-note", "烧烤摊噪音，已登记")
    seat.find("outcome-save").click()
    wait_until(lambda: seat.text("outcome-state") == "已标记：已登记工单", 20, lambda: seat.text("outcome-state"))
    wait_until(lambda: _handled_today(seat) == figures_before + 1, 20, lambda: seat.text("today"))
    assert re.search(r"平均用时 \d", seat.text("today")) and "已登记工单" in seat.text("today")
    screenshot(seat.driver, "05-outcome-and-day")


def _handled_today(seat: ConsolePage) -> int:
    text = wait_until(lambda: seat.find("today").is_displayed() and seat.text("today"), 20, "no figures shown")
    return int(re.search(r"已处理 (\d+) 个", text).group(1))


def _overflowing(seat: ConsolePage) -> list:
    """Elements that stick out of the side panel (a horizontal scrollbar a seat would have to use)."""
    return seat.driver.execute_script("""
        var side = document.getElementById('side'), box = side.getBoundingClientRect(), out = [];
        if (side.scrollWidth <= side.clientWidth + 1) return out;
        out.push('side ' + side.scrollWidth + ' > ' + side.clientWidth);
        side.querySelectorAll('*').forEach(function (n) {
          var r = n.getBoundingClientRect();
          if (r.right > box.right + 1) out.push(n.tagName + '#' + n.id + '.' + n.className + ' +' + Math.round(r.right - box.right));
        });
        return out.slice(0, 8);""")


def _beside_the_button(seat: ConsolePage) -> None:
    button, state = seat.find("ticket-submit").rect, seat.find("ticket-state").rect
    assert state["x"] >= button["x"] + button["width"], (button, state)
    assert state["y"] < button["y"] + button["height"] and button["y"] < state["y"] + state["height"], (button, state)
