"""The dispatch page (派单台, /seats/dispatch) in headless Chromium at 1440×900 against the staff
server (channels.staff) on its own SQLite ticket database: the hotline office signs in with a seat
token as on the console, sees the manual dispatch queue with an abstained ticket first and its three
candidates, confidences and why, dispatches it to a candidate with a co-handler, and the ticket then
has that lead and co-handler (read back through the staff API and the store).

No assistant is needed: the tickets are opened in the store with the router's decision given
(tests/support/tickets.routed_draft, as the dispatch API tests do); the tokens are the seat
tests' (tests/support/seats/fakes.py, staff_tokens_file).
"""
from __future__ import annotations

import re
from typing import Iterator

import pytest
import requests

from bot.tickets import co_handlers
from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.seats.console_page import ConsolePage
from tests.support.seats.fakes import TOKENS
from tests.support.seats.fixtures import start_staff
from tests.support.tickets import dept, routed_draft

pytestmark = [pytest.mark.browser]

DESKTOP = (1440, 900)
SEAT = "王芳"
WHY = {"duty": "负责住宅小区物业服务活动的监督管理",
       "similar": [{"text": "小区物业不管事，电梯坏了一个月没人修", "department": "zhujian", "source": "training",
                    "ticket": None, "similarity": 0.812},
                   {"text": "物业把消防通道租出去停车", "department": "zhujian", "source": "correction",
                    "ticket": "202611200007", "similarity": 0.774}],
       "place": "紫荆花园不在地名库，属地待定"}


def decision(lead: str, candidates, confidence: float, abstain: bool = False, co=(), unknown_place=None,
             territory=None) -> dict:
    """RoutingDecision.to_json() of the router, with why in its own shape (bot/routing/explain.py)."""
    tops = [dept(d, c) for d, c in candidates]
    return {"department": dept(lead), "confidence": confidence, "runner_up": tops[1], "candidates": tops,
            "co_handlers": [dept(d, 0.6) for d in co], "abstain": abstain, "territory": territory,
            "unknown_place": unknown_place, "why": WHY}


@pytest.fixture
def dispatch_server(seat_folder, staff_tokens_file, tmp_path) -> Iterator:
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    engine = make_engine(url)
    migrate(engine)
    store = TicketStore(engine)
    server = start_staff({"HOTLINE_DATABASE_URL": url, "HOTLINE_STAFF_TOKENS_FILE": str(staff_tokens_file)},
                         seat_folder)
    yield server, store
    server.stop()
    engine.dispose()


def api(server, method: str, path: str, body=None) -> requests.Response:
    return requests.request(method, server.url + "/api" + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {TOKENS[SEAT]}"})


def open_dispatch_page(browser_factory, server) -> ConsolePage:
    """Signed in on the seat console with the seat's token, then through its header's link: the
    dispatch page shares the console's login and token (static/seats/staff.js)."""
    driver = browser_factory(*DESKTOP)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False})
    page = ConsolePage(driver, server.url).open(TOKENS[SEAT])
    page.find("to-dispatch").click()
    page.wait(lambda: driver.current_url.endswith("/seats/dispatch") and page.find("board").is_displayed(), 20,
              lambda: f"not signed in on the dispatch page: {driver.current_url} {page.text('login-error')!r}")
    assert page.text("seat-name") == SEAT and not page.find("login").is_displayed()
    return page


def test_the_dispatch_page_signs_in_with_the_console_login_and_refuses_other_roles(browser_factory, dispatch_server):
    from selenium.webdriver.common.keys import Keys
    server, _ = dispatch_server
    page = ConsolePage(browser_factory(*DESKTOP), server.url)
    page.driver.get(server.url + "/seats/dispatch")
    page.wait(lambda: page.find("token").is_displayed(), 20, "login form not shown")
    page.find("token").send_keys("not-a-token-of-anyone", Keys.ENTER)
    page.wait(lambda: "工作令牌不正确或已停用" in page.text("login-error"), 20, lambda: page.text("login-error"))
    page.find("token").send_keys(TOKENS["赵敏"], Keys.ENTER)       # read-only: signed in, may not dispatch
    page.wait(lambda: page.find("board").is_displayed(), 20, lambda: page.text("login-error"))
    page.wait(lambda: "无权" in page.banner(), 20, lambda: page.banner())
    assert "（不能派单）" in page.text("seat-role")
    page.find("logout").click()
    page.wait(lambda: page.find("login").is_displayed(), 10, "not signed out")


def card(page: ConsolePage, number: str):
    found = page.driver.find_elements("css selector", f'#queue-list .card[data-number="{number}"]')
    return found[0] if found else None


def queue_numbers(page: ConsolePage) -> list:
    return page.driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#queue-list .card'),"
        " function (c) { return c.getAttribute('data-number'); });")


def test_the_office_dispatches_an_abstained_ticket_to_a_candidate_with_a_co_handler(
        browser_factory, dispatch_server, screenshot):
    server, store = dispatch_server
    suggested = store.open_ticket(routed_draft(decision("chengguan", (("chengguan", 0.91), ("shichang", 0.05),
                                                                      ("gongan", 0.02)), 0.91, co=["shichang"])),
                                  request_key="dispatch-page-1").number
    abstained = store.open_ticket(routed_draft(
        decision("zhujian", (("zhujian", 0.38), ("chengguan", 0.31), ("shichang", 0.12)), 0.38, abstain=True,
                 unknown_place="紫荆花园"),
        text="紫荆花园的物业把楼道堆满杂物，门口还有人占道摆摊卖菜", facts={"location": "紫荆花园"}),
        request_key="dispatch-page-2").number

    page = open_dispatch_page(browser_factory, server)
    page.wait(lambda: card(page, abstained) and card(page, suggested), 20,
              lambda: f"not in the queue: {page.banner()!r} {page.text('board')[:400]!r}")
    # The router abstained on the newer one: it comes first, with what the office must decide.
    assert queue_numbers(page)[:2] == [abstained, suggested]
    text = card(page, abstained).text
    assert abstained in text and "投诉" in text and "期限" in text and "紫荆花园的物业" in text
    assert "属地待定：紫荆花园 不在地名库" in text and "智能派单未给出建议，请人工派单" in text
    assert re.search(r"建议牵头：市城市管理综合执法局（置信度 91%）", card(page, suggested).text), card(page, suggested).text
    assert "待派单 2 张" in page.text("summary")

    # The suggested one: lead and co-handler preselected.
    card(page, suggested).click()
    page.wait(lambda: page.find("detail").is_displayed(), 10, "no detail shown")
    assert page.find("lead-chengguan").is_selected() and page.find("co-shichang").is_selected()
    assert not page.find("co-chengguan").is_enabled()          # the lead does not co-handle

    # The abstained one: three candidates with their confidences, nothing preselected, and why.
    card(page, abstained).click()
    page.wait(lambda: abstained in page.text("d-title"), 10, lambda: page.text("d-title"))
    rows = page.driver.find_elements("css selector", "#choices tr")
    assert [r.get_attribute("data-department") for r in rows] == ["zhujian", "chengguan", "shichang"]
    assert ["38%", "31%", "12%"] == [r.find_element("css selector", ".bar-value").text for r in rows]
    assert not [box for box in page.driver.find_elements("css selector", "#choices input") if box.is_selected()]
    assert "智能派单未给出建议，请人工派单" in page.text("d-advice")
    why = page.text("why")
    assert "依据职责：负责住宅小区物业服务活动的监督管理" in why
    assert "相似诉求：小区物业不管事，电梯坏了一个月没人修（训练诉求" in why
    assert "相似诉求：物业把消防通道租出去停车（工单 202611200007" in why
    assert "属地依据：紫荆花园不在地名库，属地待定" in why
    screenshot(page.driver, "01-abstained-ticket")

    # Lead: the second candidate; co-handler: the market regulator; a note; dispatch.
    page.find("lead-chengguan").click()
    page.find("co-shichang").click()
    page.fill("d-note", "占道摆摊为主，楼道杂物请市场监管配合")
    page.find("dispatch-submit").click()
    page.wait(lambda: "已派单" in page.banner(), 20, lambda: f"{page.banner()!r} {page.text('dispatch-state')!r}")
    assert f"工单 {abstained} 已派单：牵头 市城市管理综合执法局，协办 市市场监督管理局" in page.banner()
    page.wait(lambda: card(page, abstained) is None, 20, "the dispatched ticket stayed in the queue")
    assert page.find("d-none").is_displayed()
    screenshot(page.driver, "02-dispatched")

    shown = api(server, "GET", f"/tickets/{abstained}").json()
    assert shown["status"] == "dispatched" and shown["lead"]["id"] == "chengguan"
    assert [d["id"] for d in shown["co_handlers"]] == ["shichang"]
    assert shown["history"][-1]["action"] == "dispatch"
    ticket = store.get(abstained)
    assert ticket.department_id == "chengguan" and ticket.status == "dispatched"
    assert co_handlers.ids(ticket) == ["shichang"]

    # An error from the API is shown as the API words it: another seat dispatched this one meanwhile.
    card(page, suggested).click()
    page.wait(lambda: suggested in page.text("d-title"), 10, lambda: page.text("d-title"))
    assert api(server, "POST", f"/tickets/{suggested}/dispatch", {"department": "gongan"}).status_code == 200
    page.find("dispatch-submit").click()
    said = page.wait(lambda: "没有派单：" in page.banner() and page.banner(), 20,
                     lambda: f"{page.banner()!r} {page.text('dispatch-state')!r}")
    assert said.startswith(f"工单 {suggested} 没有派单：") and "已不在待派单队列" in said
    assert re.search(r"[\u4e00-\u9fff]", said.split("没有派单：")[1].split("（已不在")[0]), said
    assert card(page, suggested) is None and page.find("d-none").is_displayed()
    screenshot(page.driver, "03-error")
