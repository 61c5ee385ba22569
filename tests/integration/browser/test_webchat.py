"""The citizens' web chat page, driven in headless Chromium against the running stack.

Each test gets a fresh browser profile, so a fresh localStorage and a fresh Rasa session.
Screenshots of the key states go to reports/screenshots/.
"""
from __future__ import annotations

import re
import time
from typing import List, Optional

import pytest

from tests.support.conversation import unique_phone

pytestmark = pytest.mark.browser

PHONE = unique_phone()   # this run's citizen: the same phone would make it a duplicate of other tests' tickets
TICKET_NUMBER = re.compile(r"工单编号[：:]\s*(\d{12})(?!\d)")
REPLY_TIMEOUT = 45          # seconds for the first bot message of a turn
SETTLE = 1.2                # a turn is over when no bot message arrived for this long


class ChatPage:
    """What a citizen sees and does on the page, in test terms."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url.rstrip("/")

    # --- navigation ---
    def open(self) -> "ChatPage":
        self.driver.get(self.base_url + "/")
        self.wait_connected()
        return self

    def reload(self) -> "ChatPage":
        self.driver.refresh()
        self.wait_connected()
        return self

    def wait_connected(self, timeout: float = 30) -> None:
        self._wait(lambda: self.status() == "已连接", timeout,
                   lambda: f"page never connected to Rasa; status={self.status()!r} error={self.error()!r}")

    # --- reading ---
    def status(self) -> str:
        return self.driver.find_element("id", "status").text.strip()

    def error(self) -> str:
        el = self.driver.find_element("id", "error")
        return el.text.strip() if el.is_displayed() else ""

    def texts(self, role: str) -> List[str]:
        return [e.text for e in self.driver.find_elements("css selector", f"#messages .msg.{role} .msg-text")]

    def bot_texts(self) -> List[str]:
        return self.texts("bot")

    def seat_texts(self) -> List[str]:
        """A seat's words (the seat_message event): "<label>|<text>", e.g. "人工客服 · 王芳|您好"."""
        return [f"{e.find_element('css selector', '.seat-label').text}|{e.find_element('css selector', '.msg-text').text}"
                for e in self.driver.find_elements("css selector", "#messages .msg.seat")]

    def transcript(self) -> List[str]:
        lines = []
        for e in self.driver.find_elements("css selector", "#messages .msg"):
            classes = e.get_attribute("class").split()
            role = next((r for r in ("bot", "seat") if r in classes), "user")
            texts = e.find_elements("css selector", ".msg-text")
            lines.append(f"{role}: {texts[0].text if texts else '[照片或视频]'}")
        return lines

    def quick_replies(self) -> List:
        return [b for b in self.driver.find_elements("css selector", "#messages button.quick-reply")
                if b.is_displayed() and b.is_enabled()]

    def local(self, key: str) -> Optional[str]:
        return self.driver.execute_script("return window.localStorage.getItem(arguments[0]);", key)

    # --- acting ---
    def send(self, text: str) -> List[str]:
        from selenium.webdriver.common.keys import Keys

        before = len(self.bot_texts())
        box = self.driver.find_element("id", "input")
        box.click()
        box.send_keys(text, Keys.ENTER)   # Enter sends
        return self.wait_reply(before, f"after sending {text!r}")

    def click_quick_reply(self, title: str) -> List[str]:
        before = len(self.bot_texts())
        buttons = [b for b in self.quick_replies() if b.text.strip() == title]
        assert buttons, f"no quick reply {title!r}; have {[b.text for b in self.quick_replies()]}"
        buttons[-1].click()
        return self.wait_reply(before, f"after clicking {title!r}")

    def wait_reply(self, before: int, what: str) -> List[str]:
        """Wait for the bot's next message(s); returns the new ones once the turn has settled."""
        self._wait(lambda: len(self.bot_texts()) > before, REPLY_TIMEOUT,
                   lambda: f"no bot reply {what}; status={self.status()!r} error={self.error()!r}\n"
                           + "\n".join(self.transcript()))
        count, since = len(self.bot_texts()), time.monotonic()
        while time.monotonic() - since < SETTLE:
            time.sleep(0.2)
            now = len(self.bot_texts())
            if now != count:
                count, since = now, time.monotonic()
        return self.bot_texts()[before:]

    @staticmethod
    def _wait(condition, timeout: float, message) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except Exception:  # element replaced while reading: try again
                pass
            time.sleep(0.2)
        pytest.fail(message() if callable(message) else message, pytrace=False)


@pytest.fixture
def chat(browser, web_url) -> ChatPage:
    return ChatPage(browser, web_url).open()


def test_emergency_is_referred_to_119(chat, screenshot):
    screenshot(chat.driver, "01-empty")
    header = chat.driver.find_element("css selector", "header").text
    assert "12345" in header
    banner = chat.driver.find_element("id", "emergency-banner").text
    assert "紧急情况请直接拨打" in banner and "110" in banner and "119" in banner

    replies = chat.send("救命，我家厨房着火了")

    assert any("119" in text for text in replies), "\n".join(chat.transcript())
    assert chat.texts("user")[-1] == "救命，我家厨房着火了"
    assert chat.driver.find_element("id", "typing").is_displayed() is False
    screenshot(chat.driver, "02-emergency")


def _answer_for(question: str) -> Optional[str]:
    answers = [
        (("地点", "地方", "位置"), "人民路88号"),
        (("时间",), "每天晚上十一点以后"),
        (("涉及", "对象"), "老王烧烤店"),
        (("称呼", "姓名"), "张先生"),
        (("手机", "电话号码"), PHONE),
        (("具体说说", "什么事情"), "楼下烧烤摊每天半夜太吵了，吵得睡不着"),
    ]
    for keys, answer in answers:
        if any(k in question for k in keys):
            return answer
    return None


def test_complaint_gets_a_ticket_number(chat, screenshot):
    replies = chat.send("我要投诉楼下烧烤摊每天半夜太吵了")
    asked: dict = {}
    ticket = None
    for _turn in range(20):
        joined = "\n".join(replies)
        found = TICKET_NUMBER.search(joined)
        if found:
            ticket = found.group(1)
            break
        latest = replies[-1]
        asked[latest] = asked.get(latest, 0) + 1
        assert asked[latest] <= 3, "the bot keeps asking the same thing:\n" + "\n".join(chat.transcript())

        titles = [b.text.strip() for b in chat.quick_replies()]
        button = next((t for t in ("确认提交", "同意", "投诉", "留下联系方式") if t in titles), None)
        if button == "确认提交":
            summary = latest
            assert "\n" in summary, f"the summary's line breaks were not rendered: {summary!r}"
            assert PHONE in summary or "人民路88号" in summary, summary
            screenshot(chat.driver, "03-summary")
        if button:
            replies = chat.click_quick_reply(button)
            continue
        answer = _answer_for(latest)
        assert answer, f"do not know how to answer {latest!r}:\n" + "\n".join(chat.transcript())
        replies = chat.send(answer)

    assert ticket, "no ticket number after 20 turns:\n" + "\n".join(chat.transcript())
    # Button clicks show the title, never the payload.
    user_texts = chat.texts("user")
    assert "同意" in user_texts and "确认提交" in user_texts, user_texts
    assert not any(t.startswith("/") for t in user_texts), user_texts
    # The answered buttons are gone once the citizen has replied.
    assert not any(b.text.strip() in ("同意", "确认提交") for b in chat.quick_replies())
    # The citizen can copy the number they must keep.
    copy = chat.driver.find_elements("css selector", "#messages .msg.bot .copy-ticket")
    assert copy, "no copy button next to the ticket number"
    copy[-1].click()
    ChatPage._wait(lambda: copy[-1].text != "复制工单编号", 5, "the copy button did not react")
    screenshot(chat.driver, "04-ticket")


def test_reload_keeps_transcript_and_session(chat, screenshot):
    replies = chat.send("查询工单")
    assert any("工单编号" in text for text in replies), "\n".join(chat.transcript())
    before = chat.transcript()
    session = chat.local("hotline.webchat.session_id")
    assert session, "no session id in localStorage"

    chat.reload()

    assert chat.transcript() == before, "transcript not restored after reload"
    assert chat.local("hotline.webchat.session_id") == session
    screenshot(chat.driver, "05-reloaded")
    # The same Rasa conversation goes on: the lookup form asked for the number before the reload.
    replies = chat.send("202611220007")
    assert replies, "no reply after reload"
    assert any("后四位" in text or "工单" in text for text in replies), "\n".join(chat.transcript())
    assert chat.local("hotline.webchat.session_id") == session
    screenshot(chat.driver, "06-continued")

    # 新对话 clears the transcript and starts a new session (after a confirmation).
    chat.driver.find_element("id", "new-conversation").click()
    ChatPage._wait(lambda: chat.driver.find_element("id", "confirm-new").is_displayed(), 5,
                   "no confirmation dialog for 新对话")
    screenshot(chat.driver, "07-confirm-new")
    chat.driver.find_element("id", "confirm-new-ok").click()
    chat.wait_connected()
    ChatPage._wait(lambda: chat.local("hotline.webchat.session_id") not in (None, session), 10,
                   "新对话 did not start a new session")
    assert chat.transcript() == []
    chat.reload()
    assert chat.transcript() == []


def test_markup_is_shown_as_text(chat):
    chat.send("<img src=x onerror=\"document.title='XSS'\"> <b>测试</b>")
    assert chat.texts("user")[-1].startswith("<img src=x")
    assert chat.driver.find_elements("css selector", "#messages img, #messages b") == []
    assert chat.driver.title != "XSS"


def test_narrow_phone_window(browser_factory, web_url, screenshot):
    driver = browser_factory(375, 740)
    chat = ChatPage(driver, web_url).open()
    width = driver.execute_script("return window.innerWidth;")
    assert width <= 400, f"window not narrow: {width}px"

    def assert_composer_usable():
        for element_id in ("input", "send"):
            element = driver.find_element("id", element_id)
            assert element.is_displayed(), f"#{element_id} hidden at {width}px"
            box = driver.execute_script(
                "const r = arguments[0].getBoundingClientRect();"
                "return [r.left, r.top, r.right, r.bottom, window.innerWidth, window.innerHeight];", element)
            left, top, right, bottom, inner_w, inner_h = box
            assert left >= 0 and top >= 0 and right <= inner_w and bottom <= inner_h, \
                f"#{element_id} outside the viewport: {box}"
            assert bottom - top >= 40, f"#{element_id} is too small a tap target: {box}"
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        assert overflow <= 0, f"page scrolls sideways by {overflow}px"

    assert_composer_usable()
    screenshot(driver, "08-phone-empty")
    chat.send("你好")
    assert_composer_usable()
    screenshot(driver, "09-phone-greeting")

    # 大字 scales the page, stays usable and is remembered.
    base = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize);")
    assert base >= 16
    driver.find_element("id", "font-toggle").click()
    large = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize);")
    assert large >= base * 1.2, (base, large)
    assert driver.find_element("id", "font-toggle").get_attribute("aria-pressed") == "true"
    assert_composer_usable()
    screenshot(driver, "10-phone-large-font")
    chat.reload()
    assert driver.find_element("id", "font-toggle").get_attribute("aria-pressed") == "true"


def test_unreachable_server_shows_error_and_keeps_message(browser, web_url, screenshot):
    """Rasa down: the page says so, keeps retrying, and holds the citizen's message for later."""
    import socket
    with socket.socket() as sock:   # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    # Rewrite rasa_url in /config.json before the page's own script reads it.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        const realFetch = window.fetch.bind(window);
        window.fetch = (url, opts) => realFetch(url, opts).then(async (r) => {
          if (!String(url).endsWith('/config.json')) return r;
          const cfg = await r.json();
          cfg.rasa_url = 'http://127.0.0.1:%d';
          return new Response(JSON.stringify(cfg), {headers: {'Content-Type': 'application/json'}});
        });""" % dead})
    chat = ChatPage(browser, web_url)
    browser.get(chat.base_url + "/")
    ChatPage._wait(lambda: chat.status() == "连接断开，正在重连" and chat.error(), 20,
                   lambda: f"no reconnecting status / error line: {chat.status()!r} {chat.error()!r}")
    assert "12345" in chat.error()

    box = browser.find_element("id", "input")
    box.send_keys("路灯坏了")
    browser.find_element("id", "send").click()
    pending = browser.find_elements("css selector", "#messages .msg.user.pending")
    assert len(pending) == 1 and "路灯坏了" in pending[0].text
    assert "自动发送" in chat.error()
    assert browser.find_element("id", "input").get_attribute("value") == ""
    screenshot(browser, "11-unreachable")
