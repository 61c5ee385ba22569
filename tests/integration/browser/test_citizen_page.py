"""The citizen's page (issue 15) in headless Chromium on a 390×844 phone, against the running stack:
evidence photos, the place from the device, 「我的工单」 with ratings, the emergency card, tappable
numbers, waiting for a person, day separators, the menu, the privacy notice, the microphone error,
the message counter; and the layout at 1440×900. Screenshots go to reports/screenshots/.
"""
from __future__ import annotations

import json
import os
import struct
import tempfile
import time
import uuid
import zlib
from pathlib import Path

import pytest

from tests.integration.browser.test_webchat import TICKET_NUMBER, ChatPage
from tests.support.conversation import unique_phone
from tests.support.tickets import HANDLER, SEAT

pytestmark = pytest.mark.browser

# The stack's web server keeps this run's evidence here (it inherits this process's environment
# when the session starts it), not in the project's var/.
EVIDENCE_DIR = Path(os.environ.setdefault("HOTLINE_EVIDENCE_DIR", tempfile.mkdtemp(prefix="evidence-")))
PHONE_SIZE = (390, 844)
PLACE = {"latitude": 41.268, "longitude": 123.237, "accuracy": 20}   # Liaoyang


def wait(condition, timeout=20, message="timed out"):
    ChatPage._wait(condition, timeout, message)


def photo_file(folder: Path) -> Path:
    """A real 160×120 PNG with a gradient (what a phone camera would send, small)."""
    width, height = 160, 120
    rows = b"".join(b"\x00" + b"".join(bytes(((x + y) % 256, 2 * x % 256, 144)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path = folder / "street.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def phone(browser_factory, web_url) -> ChatPage:
    return ChatPage(browser_factory(*PHONE_SIZE), web_url).open()


def box(driver, element) -> dict:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,"
        " right: r.right, height: r.height, width: r.width, vw: window.innerWidth, vh: window.innerHeight};", element)


def no_sideways_scroll(driver) -> None:
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


def shown(driver, css: str):
    return [e for e in driver.find_elements("css selector", css) if e.is_displayed()]


def in_view(driver, element) -> bool:
    """Inside the message list's visible part, not under the composer."""
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(), m = document.getElementById('messages').getBoundingClientRect();"
        "return r.top >= m.top && r.bottom <= m.bottom;", element)


def session_of(chat: ChatPage) -> str:
    session = chat.local("hotline.webchat.session_id")
    assert session and session.startswith("web-"), session
    return session


# ------------------------------------------------------------------ emergencies and phone numbers

def test_an_emergency_is_a_red_card_with_big_call_buttons(browser_factory, web_url, screenshot):
    chat = phone(browser_factory, web_url)
    driver = chat.driver
    for link in driver.find_elements("css selector", "#emergency-banner a"):
        size = box(driver, link)
        assert size["height"] >= 44 and size["width"] >= 44, (link.text, size)
    assert [a.get_attribute("href") for a in driver.find_elements("css selector", "#emergency-banner a")] == \
        ["tel:110", "tel:119", "tel:120", "tel:122"]

    chat.send("救命，我家厨房着火了")
    wait(lambda: shown(driver, ".card-emergency"), 10, "no emergency card for the transfer event")
    card = shown(driver, ".card-emergency")[-1]
    main = card.find_element("css selector", "a.call-main")
    assert main.get_attribute("href") == "tel:119" and "119" in main.text
    assert box(driver, main)["height"] >= 56
    others = [a.get_attribute("href") for a in card.find_elements("css selector", ".call-others a")]
    assert others == ["tel:110", "tel:120", "tel:122"]
    assert card.value_of_css_property("border-top-color") == "rgba(168, 20, 12, 1)"     # the page's red
    # The reply's own numbers are tappable too, as links, not markup.
    links = driver.find_elements("css selector", "#messages .msg.bot a.tel")
    assert any(a.get_attribute("href") == "tel:119" for a in links), [a.text for a in links]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", card)
    screenshot(driver, "01-emergency-card")
    no_sideways_scroll(driver)


def test_the_emergency_card_comes_from_the_event_not_from_words(browser_factory, web_url):
    """A citizen quoting "拨打119" in an ordinary matter gets no red card."""
    chat = phone(browser_factory, web_url)
    chat.send("我想咨询一下，上次邻居说着火要拨打119，这个号码是免费的吗")
    time.sleep(1)
    assert not shown(chat.driver, ".card-emergency"), "\n".join(chat.transcript())


def test_the_common_questions_menu_answers_with_tappable_numbers(browser_factory, web_url, screenshot):
    chat = phone(browser_factory, web_url)
    driver = chat.driver
    menu = [b.text for b in shown(driver, ".menu .menu-item")]
    assert menu == ["常见问题", "我的工单", "转人工"]
    for item in shown(driver, ".menu .menu-item"):
        assert box(driver, item)["height"] >= 44
    driver.find_element("id", "menu-faq").click()
    wait(lambda: shown(driver, ".card-faq .faq-question"), 5, "no common questions")
    question = shown(driver, ".card-faq .faq-question")[0]
    asked = question.text
    before = len(chat.bot_texts())
    question.click()
    replies = chat.wait_reply(before, f"after the common question {asked!r}")
    assert chat.texts("user")[-1] == asked
    numbers = driver.find_elements("css selector", "#messages .msg.bot a.tel")
    assert numbers, "no tappable number in the answer:\n" + "\n".join(replies)
    for link in numbers:
        digits = "".join(c for c in link.text if c.isdigit() or c == "+")
        assert link.get_attribute("href") == "tel:" + digits
    # Tappable numbers are DOM links: the message text reads exactly as the assistant said it.
    assert any(n.text in t for n in numbers for t in replies)
    screenshot(driver, "02-faq-answer-numbers")


# ------------------------------------------------------------------ evidence and the place

def test_a_photo_and_the_place_go_with_the_ticket(browser_factory, web_url, screenshot, tmp_path,
                                                  ticket_store_of_stack):
    driver = browser_factory(*PHONE_SIZE)
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": web_url.rstrip("/"), "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", PLACE)
    chat = ChatPage(driver, web_url).open()

    # The place: asked only on a tap, with the line that says what it is for.
    assert driver.find_element("id", "location-bar").is_displayed() is False
    driver.find_element("id", "locate").click()
    consent = driver.find_element("id", "location-consent")
    assert consent.is_displayed() and "只读取这一次" in consent.text
    screenshot(driver, "03-location-consent")
    driver.find_element("id", "location-allow").click()
    wait(lambda: driver.find_element("id", "location-chip").is_displayed(), 15, "no position")
    assert "已附上当前位置" in driver.find_element("id", "location-text").text
    assert "北纬41.26800" in driver.find_element("id", "input").get_attribute("value")   # editable, in words
    driver.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'));",
                          driver.find_element("id", "input"))

    # A photo from the album.
    driver.find_element("id", "attach").click()
    driver.find_element("id", "evidence-album").send_keys(str(photo_file(tmp_path)))
    wait(lambda: shown(driver, "#messages .evidence-msg img"), 15, lambda: f"no thumbnail; error={chat.error()!r}")
    wait(lambda: driver.execute_script(
        "const i = document.querySelector('#messages .evidence-msg img'); return i && i.naturalWidth > 0;"),
        10, "the thumbnail did not load")
    assert "已附 1 / 9 个文件" in driver.find_element("id", "evidence-count").text
    screenshot(driver, "04-photo-attached")

    phone_number = unique_phone()
    answers = [(("地点", "地方", "位置"), "人民路88号路口"), (("时间",), "每天晚上十一点以后"),
               (("涉及", "对象"), "路口的烧烤摊"), (("称呼", "姓名"), "张先生"),
               (("手机", "电话号码"), phone_number), (("具体说说", "什么事情"), "烧烤摊的油烟和噪音每天到半夜")]
    replies = chat.send("我要投诉路口烧烤摊每天半夜太吵了")
    ticket = None
    for _turn in range(20):
        found = TICKET_NUMBER.search("\n".join(replies))
        if found:
            ticket = found.group(1)
            break
        titles = [b.text.strip() for b in chat.quick_replies()]
        button = next((t for t in ("确认提交", "同意", "投诉", "留下联系方式") if t in titles), None)
        if button == "确认提交":
            # The summary: the request's photo is shown beside it until it is submitted.
            assert shown(driver, "#evidence-thumbs img"), "the strip shows no attached photo"
            wait(lambda: shown(driver, "#messages .evidence-summary img"), 10,
                 "the summary message shows no photo of the request (summary_shown event)")
            screenshot(driver, "05-summary-with-photo")
        if button:
            replies = chat.click_quick_reply(button)
            continue
        answer = next((a for keys, a in answers if any(k in replies[-1] for k in keys)), None)
        assert answer, f"do not know how to answer {replies[-1]!r}:\n" + "\n".join(chat.transcript())
        replies = chat.send(answer)
    assert ticket, "no ticket:\n" + "\n".join(chat.transcript())

    stored = ticket_store_of_stack.get(ticket)
    assert stored.facts["coordinates"] == {"lat": 41.268, "lon": 123.237, "accuracy": 20}
    assert "人民路88号" in stored.facts["location"]
    [attachment] = stored.facts["attachments"]
    assert attachment["kind"] == "image"
    manifest = json.loads((EVIDENCE_DIR / "tickets" / f"{ticket}.json").read_text(encoding="utf-8"))
    assert manifest["channel"] == "web" and [a["sha256"] for a in manifest["attachments"]] == [attachment["sha256"]]
    # Submitted: the strip and the place are cleared for the next request.
    wait(lambda: not driver.find_element("id", "evidence-pending").is_displayed(), 5, "the strip stayed")
    assert not driver.find_element("id", "location-chip").is_displayed()
    screenshot(driver, "06-ticket-opened")

    # 「我的工单」 lists it, found by this browser's session, without typing the number.
    driver.find_element("id", "menu-tickets").click()
    wait(lambda: shown(driver, f'#my-tickets-list .ticket[data-number="{ticket}"]'), 10, "ticket not in 我的工单")
    item = shown(driver, f'#my-tickets-list .ticket[data-number="{ticket}"]')[0]
    assert "已受理" in item.text and "承办部门" in item.text and phone_number not in item.text


def test_a_file_that_is_not_a_photo_is_refused_in_chinese(browser_factory, web_url, tmp_path, screenshot):
    chat = phone(browser_factory, web_url)
    fake = tmp_path / "invoice.jpg"
    fake.write_bytes(b"%PDF-1.4 not a photo at all" + b"\x00" * 200)
    chat.driver.find_element("id", "attach").click()
    chat.driver.find_element("id", "evidence-album").send_keys(str(fake))
    wait(lambda: "只能上传照片" in chat.error(), 10, lambda: f"no refusal; error={chat.error()!r}")
    assert not shown(chat.driver, "#messages .evidence-msg")
    screenshot(chat.driver, "07-not-a-photo")


# ------------------------------------------------------------------ 我的工单 and ratings

def test_my_tickets_shows_answers_and_a_closed_ticket_is_rated_in_the_chat(browser_factory, web_url, screenshot,
                                                                          ticket_store_of_stack):
    from bot.tickets.workflow import TicketWorkflow
    from tests.support.tickets import draft

    chat = phone(browser_factory, web_url)
    driver = chat.driver
    session = session_of(chat)
    store = ticket_store_of_stack
    workflow = TicketWorkflow(store)
    opened = store.open_ticket(draft(sender_id=session, text="小区门口路灯坏了一个月", request_type="seek_help",
                                     contact_phone=unique_phone()), request_key=f"page-{uuid.uuid4()}").number
    contact = unique_phone()
    closed = store.open_ticket(draft(sender_id=session, contact_phone=contact),
                               request_key=f"page-{uuid.uuid4()}").number
    workflow.dispatch(closed, "chengguan", SEAT)
    workflow.accept(closed, HANDLER, scope="chengguan")
    workflow.reply(closed, "已约谈店主，改为晚上十点前收摊。如仍有噪音请拨打12319。", HANDLER, scope="chengguan")
    workflow.close(closed, SEAT)
    answered = store.open_ticket(draft(sender_id=session, text="楼道灯不亮", request_type="seek_help",
                                      contact_phone=unique_phone()), request_key=f"page-{uuid.uuid4()}").number
    workflow.dispatch(answered, "chengguan", SEAT)
    workflow.accept(answered, HANDLER, scope="chengguan")
    workflow.reply(answered, "物业已于今天更换楼道灯泡。", HANDLER, scope="chengguan")
    someone_elses = store.open_ticket(draft(sender_id="web-" + "f" * 32, contact_phone=unique_phone()),
                                      request_key=f"page-{uuid.uuid4()}").number

    driver.find_element("id", "menu-tickets").click()
    wait(lambda: len(shown(driver, "#my-tickets-list .ticket")) == 3, 10,
         lambda: driver.find_element("id", "my-tickets-list").text)
    listed = driver.find_element("id", "my-tickets-list").text
    assert opened in listed and closed in listed and answered in listed and someone_elses not in listed
    closed_item = shown(driver, f'#my-tickets-list .ticket[data-number="{closed}"]')[0]
    assert "已办结" in closed_item.text and "市城市管理综合执法局" in closed_item.text and "已约谈店主" in closed_item.text
    assert closed_item.find_element("css selector", "a.tel").get_attribute("href") == "tel:12319"
    assert contact not in listed and contact[-4:] not in listed            # personal data never shown
    screenshot(driver, "08-my-tickets")
    driver.find_element("id", "my-tickets-close").click()

    # The chat tells the news (looked up on load and every minute): the answered ticket's answer,
    # and the closed ticket's rating.
    driver.execute_script("window.HotlineTickets.tellNews();")
    wait(lambda: shown(driver, ".card-rating .rating-grade"), 10, "no rating offered in the chat")
    news = [c.text for c in shown(driver, ".card-ticket")]
    assert any(answered in n and "已答复" in n and "更换楼道灯泡" in n for n in news), news
    card = shown(driver, ".card-rating")[-1]
    assert closed in card.text and "已约谈店主" in card.text
    assert [b.text for b in card.find_elements("css selector", ".rating-grade")] == ["满意", "基本满意", "不满意"]
    unsatisfied = card.find_element("css selector", '[data-rating="unsatisfied"]')
    wait(lambda: in_view(driver, unsatisfied), 5, "the rating card is out of sight")
    unsatisfied.click()
    send = card.find_element("css selector", ".rating-send")
    # The reason box opens in view, above the composer (the list scrolls smoothly to it).
    wait(lambda: in_view(driver, send), 5, "the reason box opened out of sight")
    send.click()
    assert "请写下不满意的原因" in card.find_element("css selector", ".rating-error").text
    card.find_element("css selector", ".rating-reason").send_keys("晚上十点以后还在营业，还是很吵")
    card.find_element("css selector", ".rating-send").click()
    wait(lambda: "感谢您的评价" in card.text, 10, lambda: card.text)
    assert "重新办理" in card.text
    assert store.get(closed).status == "reopened"
    screenshot(driver, "09-ticket-rated")
    # The rating is kept: a reload shows the thanks, not the buttons again.
    chat.reload()
    assert not shown(driver, ".card-rating .rating-grade")


# ------------------------------------------------------------------ waiting for a person

def test_waiting_for_a_person_and_talking_to_a_seat(browser_factory, web_url, screenshot, seat_client,
                                                    ticket_store_of_stack):
    from bot.seats.queue import SeatQueue
    from bot.tickets.seat_ratings import SeatRatings

    queue = SeatQueue(ticket_store_of_stack.engine)
    ahead = queue.enqueue("web-" + uuid.uuid4().hex, "web", "requested").entry   # someone already waiting
    chat = phone(browser_factory, web_url)
    driver = chat.driver
    session = session_of(chat)
    chat.send("我要投诉楼下烧烤摊，每天吵到半夜")
    driver.find_element("id", "menu-seat").click()
    banner = driver.find_element("id", "queue-banner")
    wait(lambda: banner.is_displayed() and "排队中" in banner.text, 30, lambda: "\n".join(chat.transcript()))
    position = queue.position(queue.open_for(session))
    assert f"第{position}位" in banner.text and position >= 2, banner.text
    screenshot(driver, "10-queued")

    # A message while waiting: acknowledged on the message, no typing dots.
    driver.find_element("id", "input").send_keys("我再补充一下，烧烤摊在人民路88号")
    driver.find_element("id", "send").click()
    notes = driver.find_elements("css selector", "#messages .msg.user .msg-note")
    assert notes and "已收到，人工客服接入后会看到" in notes[-1].text
    assert not driver.find_element("id", "typing").is_displayed()

    # The one ahead is taken: the banner moves up on its own.
    queue.claim(ahead.id, "李强")
    wait(lambda: f"第{position - 1}位" in banner.text, 15, lambda: f"banner did not update: {banner.text!r}")
    screenshot(driver, "11-queue-moved")

    # A seat takes the conversation: its words in the seat's colour with its name or work number.
    seat = seat_client("王芳")
    entry = seat.waiting_for(session)
    seat.ok("POST", f"/queue/{entry['id']}/claim")
    wait(lambda: shown(driver, "#messages .msg.seat"), 20, lambda: "\n".join(chat.transcript()))
    seat.ok("POST", f"/conversations/{entry['id']}/messages", {"text": "请问烧烤摊几点收摊？有问题可拨打12345。"})
    wait(lambda: any("几点收摊" in e.text for e in shown(driver, "#messages .msg.seat")), 20,
         lambda: "\n".join(chat.transcript()))
    said = shown(driver, "#messages .msg.seat")[-1]
    assert "人工客服 · 王芳" in said.find_element("css selector", ".seat-label").text
    assert "【人工客服" not in said.text                    # the text itself, not the prefix for other channels
    assert said.find_element("css selector", "a.tel").get_attribute("href") == "tel:12345"
    colour = said.find_element("css selector", ".bubble").value_of_css_property("background-color")
    bot_colour = "rgba(255, 255, 255, 1)"
    assert colour != bot_colour, colour
    assert "人工客服已接入" in banner.text
    screenshot(driver, "12-seat-talking")

    # The seat hands back: the banner goes, and the citizen is asked to rate the seat's service.
    seat.ok("POST", f"/conversations/{entry['id']}/handback")
    wait(lambda: shown(driver, ".card-rating .rating-grade"), 20, "no seat rating offered after the hand-back")
    assert not banner.is_displayed()
    card = shown(driver, ".card-rating")[-1]
    assert "人工服务" in card.text
    satisfied = card.find_element("css selector", '[data-rating="satisfied"]')
    wait(lambda: in_view(driver, satisfied), 5, "the rating card is out of sight")
    satisfied.click()
    wait(lambda: "感谢您对人工服务的评价：满意" in card.text, 10, lambda: card.text)
    assert SeatRatings(ticket_store_of_stack.engine).unrated_handoff(session) is None
    screenshot(driver, "13-seat-rated")
    queue.hand_back(ahead.id, "李强")


# ------------------------------------------------------------------ the page's furniture

def test_days_are_separated_and_the_privacy_notice_is_a_tap_away(browser_factory, web_url, screenshot):
    chat = phone(browser_factory, web_url)
    driver = chat.driver
    day = 24 * 3600 * 1000
    now = driver.execute_script("return Date.now();")
    transcript = [{"role": "user", "text": "小区路灯坏了", "ts": now - 3 * day},
                  {"role": "bot", "text": "请问在哪个小区？", "ts": now - 3 * day + 5000},
                  {"role": "user", "text": "阳光小区", "ts": now - day},
                  {"role": "bot", "text": "好的，已记录。", "ts": now - day + 5000},
                  {"role": "user", "text": "查询工单", "ts": now}]
    driver.execute_script("localStorage.setItem('hotline.webchat.transcript', arguments[0]);", json.dumps(transcript))
    chat.reload()
    driver.execute_script("document.getElementById('messages').scrollTop = 120;")
    separators = [e.text for e in driver.find_elements("css selector", "#messages .day-separator")]
    expected = driver.execute_script(
        "const d = new Date(arguments[0]); return (d.getMonth() + 1) + '月' + d.getDate() + '日';", now - 3 * day)
    assert len(separators) == 3 and separators[0].startswith(expected) and separators[1:] == ["昨天", "今天"], separators
    screenshot(driver, "14-day-separators")

    link = driver.find_element("id", "privacy-link")
    assert link.is_displayed() and link.get_attribute("href").endswith("/privacy")
    driver.get(chat.base_url + "/privacy")
    text = driver.find_element("tag name", "main").text
    assert "收集什么" in text and "为什么收集" in text and "保存多久" in text and "对话记录：30天" in text
    screenshot(driver, "15-privacy")
    no_sideways_scroll(driver)


def test_a_long_message_is_counted_and_never_cut(browser_factory, web_url, screenshot):
    chat = phone(browser_factory, web_url)
    driver = chat.driver
    limit = driver.execute_script("return fetch('/config.json').then(r => r.json()).then(c => c.message_max_chars);")
    box_ = driver.find_element("id", "input")
    assert box_.get_attribute("maxlength") is None, "the box would cut a pasted letter silently"
    box_.send_keys("路灯")
    assert driver.find_element("id", "counter").text == f"2 / {limit} 字"
    letter = "尊敬的市长您好，" + "我们小区的路灯坏了很久。" * (limit // 12 + 1)
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                          box_, letter)
    counter = driver.find_element("id", "counter")
    assert f"{len(letter)} / {limit} 字" in counter.text and f"超出{len(letter) - limit}字" in counter.text
    assert counter.value_of_css_property("color") == "rgba(168, 20, 12, 1)"
    users_before = len(chat.texts("user"))
    box_.send_keys("\n")                                          # Enter: refused, with the reason
    assert f"超过{limit}字" in chat.error()
    assert len(chat.texts("user")) == users_before
    assert box_.get_attribute("value") == letter, "the text was cut or lost"
    screenshot(driver, "16-too-long")
    driver.execute_script("arguments[0].value = arguments[0].value.slice(0, arguments[1]);"
                          "arguments[0].dispatchEvent(new Event('input'));", box_, limit)
    assert "超出" not in driver.find_element("id", "counter").text and not chat.error()


def _chromium_with_a_microphone(tmp_path):
    """A phone-sized Chromium with a fake microphone (the machine has none), whose permission the
    test can refuse."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from tests.support.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, _require_browser
    _require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + ["--use-fake-device-for-media-stream", f"--user-data-dir={tmp_path / 'profile'}",
                                  "--window-size=500,844"]:
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
        "width": PHONE_SIZE[0], "height": PHONE_SIZE[1], "pixelRatio": 1, "touch": True, "mobile": True}})
    return webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log")), options=options)


def test_the_microphone_errors_say_what_to_do(browser_factory, web_url, screenshot, tmp_path):
    # No microphone at all (this machine, a desktop without one).
    chat = phone(browser_factory, web_url)
    chat.driver.find_element("id", "voice-toggle").click()
    wait(lambda: "麦克风" in chat.error(), 10, lambda: f"no microphone error; error={chat.error()!r}")
    assert "没有找到麦克风" in chat.error() and "打字" in chat.error()
    assert "NotFoundError" not in chat.driver.find_element("tag name", "body").text

    # A microphone whose use the citizen refused.
    driver = _chromium_with_a_microphone(tmp_path)
    try:
        driver.execute_cdp_cmd("Browser.setPermission", {"origin": web_url.rstrip("/"),
                                                         "permission": {"name": "microphone"}, "setting": "denied"})
        chat = ChatPage(driver, web_url).open()
        driver.find_element("id", "voice-toggle").click()
        wait(lambda: "麦克风" in chat.error(), 10, lambda: f"no microphone error; error={chat.error()!r}")
        assert "权限被拒绝" in chat.error() and "允许" in chat.error() and "打字" in chat.error()
        assert "NotAllowedError" not in driver.find_element("tag name", "body").text
        button = driver.find_element("id", "voice-toggle")
        wait(lambda: button.text == "语音" and button.get_attribute("aria-pressed") == "false", 5,
             lambda: f"the call did not end: {button.text!r}")
        screenshot(driver, "17-microphone-denied")
    finally:
        driver.quit()


def test_the_layout_holds_on_a_desktop(browser_factory, web_url, screenshot):
    driver = browser_factory(1440, 900)
    chat = ChatPage(driver, web_url).open()
    chat.send("你好")
    for element_id in ("input", "send", "attach", "locate", "menu-faq", "menu-tickets", "menu-seat"):
        size = box(driver, driver.find_element("id", element_id))
        assert size["bottom"] <= size["vh"] and size["right"] <= size["vw"] and size["height"] >= 44, (element_id, size)
    no_sideways_scroll(driver)
    screenshot(driver, "18-desktop")
    driver.find_element("id", "menu-tickets").click()
    wait(lambda: "本浏览器还没有登记过工单" in driver.find_element("id", "my-tickets-list").text, 10,
         lambda: driver.find_element("id", "my-tickets-list").text)
    screenshot(driver, "19-desktop-my-tickets")
