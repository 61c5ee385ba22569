"""The department's work list (承办人工作台) in the staff portal, headless Chromium at 1366×768
against the staff server on its own SQLite database.

A handler of 市城市管理综合执法局 sees only its department's tickets — the one it co-handles
too — as red, yellow and green cards, overdue first; signs for one, asks for an extension, asks to
return it with a reason, answers another, records its part on the co-handled one; each button
shows its rule, and the ones the rules forbid now are disabled with the reason (an overdue ticket
can no longer be extended nor returned). What the server refuses shows in the banner. A leader
(read-only) sees the tickets under 全部工单 without any action.

The tickets are opened and dispatched in the store as the hotline office would (the workflow);
the overdue one with a clock a month back, the one near its deadline by setting the deadline.
"""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from bot.tickets.models import Ticket
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from tests.support.browser import SCREENSHOTS, browser_factory, screenshot  # noqa: F401 - fixtures
from tests.support.portal import PORTAL_TOKENS, PortalPage, portal_server  # noqa: F401 - fixture
from tests.support.tickets import draft

pytestmark = [pytest.mark.browser]
OFFICE = "热线坐席:测试派单"


def dispatch(store: TicketStore, key: str, department: str, co=None, **changes) -> str:
    number = store.open_ticket(draft(**changes), request_key=key).number
    TicketWorkflow(store).dispatch(number, department, OFFICE, co_handlers=co)
    return number


def set_deadline(store: TicketStore, number: str, deadline: dt.date) -> None:
    with store.sessions() as session, session.begin():
        ticket = session.query(Ticket).filter_by(number=number).one()
        ticket.deadline = deadline


@pytest.fixture
def tickets(portal_server):
    """{name: number}: fresh (green), near its deadline (yellow), overdue (red), another
    department's, and one co-handled by 城管 with 公安 leading."""
    server, store = portal_server
    month_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)
    past = TicketStore(store.engine, policy=store.policy, clock=lambda: month_ago)
    found = {
        "green": dispatch(store, "g", "chengguan", text="人民路夜市油烟直排，居民家里全是油烟味"),
        "yellow": dispatch(store, "y", "chengguan", text="解放路人行道被共享单车堵满，轮椅过不去"),
        "red": dispatch(past, "r", "chengguan", text="建设路工地夜间施工噪音扰民，已经持续两周"),
        "theirs": dispatch(store, "p", "gongan", text="小区门口有人非法改装摩托车炸街"),
        "co": dispatch(store, "c", "gongan", co=["chengguan"], text="学校门口早高峰占道经营，交通拥堵"),
    }
    set_deadline(store, found["yellow"], dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date())
    return server, store, found


def card_colours(page: PortalPage) -> dict:
    return page.driver.execute_script(
        "var r = {}; document.querySelectorAll('#wl-cards .wl-card').forEach(function (c) {"
        " r[c.getAttribute('data-number')] = c.getAttribute('data-card'); }); return r;")


def card_order(page: PortalPage) -> list:
    return page.driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#wl-cards .wl-card'),"
        " function (c) { return c.getAttribute('data-number'); });")


def open_ticket(page: PortalPage, number: str) -> None:
    page.driver.find_element("css selector", f'#wl-cards .wl-card[data-number="{number}"]').click()
    page.wait(lambda: number in page.text("wl-title") and page.driver.find_elements("id", "wl-history"), 10,
              lambda: f"ticket {number} not shown: {page.text('wl-detail')[:200]!r} {page.banner()!r}")


def action(page: PortalPage, operation: str):
    return page.find(f"wl-do-{operation}")


def perform(page: PortalPage, operation: str, **fields) -> None:
    """Opens the operation's form, fills it in, confirms, and waits for the server's answer."""
    action(page, operation).click()
    for name, value in fields.items():
        box = page.find(f"wl-{operation}-{name}")
        box.clear()
        box.send_keys(str(value))
    page.find(f"wl-submit-{operation}").click()


def signed_in_handler(browser_factory, server) -> PortalPage:
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["handler"])
    assert "承办人工作台" in page.nav() and "全部工单" not in page.nav()
    page.choose("worklist")
    page.wait(lambda: page.driver.find_elements("css selector", "#wl-cards .wl-card"), 20,
              lambda: f"no cards: {page.text('panel')[:300]!r} {page.banner()!r}")
    return page


def test_the_handler_sees_its_own_tickets_as_coloured_cards_overdue_first(browser_factory, tickets, screenshot):
    server, _, found = tickets
    page = signed_in_handler(browser_factory, server)
    assert card_colours(page) == {found["red"]: "red", found["yellow"]: "yellow", found["green"]: "green",
                                  found["co"]: "green"}
    assert card_order(page)[:2] == [found["red"], found["yellow"]]
    assert "红牌 1，黄牌 1，绿牌 2" in page.text("wl-summary")
    red = page.driver.find_element("css selector", f'.wl-card[data-number="{found["red"]}"]').text
    assert "红牌" in red and "已超期" in red and "建设路工地夜间施工噪音扰民" in red
    co = page.driver.find_element("css selector", f'.wl-card[data-number="{found["co"]}"]').text
    assert "协办" in co
    assert "市城市管理综合执法局" in page.text("panel")        # whose work list it is

    # The overdue ticket: no more extension nor return, each with the reason; answering is still allowed.
    open_ticket(page, found["red"])
    assert not action(page, "extend").is_enabled() and not action(page, "return").is_enabled()
    assert "现在不能申请延期：已超过办理期限" in page.text("wl-action-extend")
    assert "现在不能退单：已超过退单时限" in page.text("wl-action-return")
    assert "累计最多延期15个工作日" in page.text("wl-action-extend")       # settings/policy.yml
    assert action(page, "reply").is_enabled() and action(page, "accept").is_enabled()
    screenshot(page.driver, "list")
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-worklist.png"))


def test_the_handler_signs_for_asks_for_an_extension_and_a_return(browser_factory, tickets, screenshot):
    server, _, found = tickets
    page = signed_in_handler(browser_factory, server)
    open_ticket(page, found["green"])
    assert "派单后1个工作日内" in page.text("wl-action-return")            # the rule, with its day
    assert "人民路夜市油烟直排" in page.text("wl-text")

    perform(page, "accept")
    page.wait(lambda: "已签收" in page.banner(), 10, lambda: page.banner())
    page.wait(lambda: "办理中" in page.text("wl-meta"), 10, lambda: page.text("wl-meta"))
    assert not action(page, "accept").is_enabled()
    assert "不能签收" in page.text("wl-action-accept")

    perform(page, "extend", days=3, reason="需要夜间到现场检测油烟浓度")
    page.wait(lambda: "延期申请已提交" in page.banner(), 10, lambda: page.banner())
    page.wait(lambda: not action(page, "extend").is_enabled(), 10, "extension still offered")
    assert "已申请延期3个工作日，正在等待热线办审核" in page.text("wl-action-extend")
    assert "申请延期" in page.text("wl-history")

    perform(page, "return", reason="油烟直排属生态环境部门职责，依据市环保条例第十二条")
    page.wait(lambda: "退单申请已提交" in page.banner(), 10, lambda: page.banner())
    page.wait(lambda: "已申请退单，正在等待热线办审核" in page.text("wl-action-return"), 10,
              lambda: page.text("wl-action-return"))
    assert "油烟直排属生态环境部门职责" in page.text("wl-history")
    screenshot(page.driver, "requests-sent")
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-worklist-ticket.png"))

    # Only through the server: the ticket holds both requests for the office to review.
    shown = requests.get(f"{server.url}/api/tickets/{found['green']}", timeout=10,
                         headers={"Authorization": f"Bearer {PORTAL_TOKENS['office']}"}).json()
    assert [e["action"] for e in shown["history"]][-3:] == ["accept", "extend_request", "return"]


def test_the_handler_answers_and_a_co_handler_records_its_part(browser_factory, tickets):
    server, _, found = tickets
    page = signed_in_handler(browser_factory, server)
    open_ticket(page, found["yellow"])
    perform(page, "reply", answer="已安排执法队员清理人行道上的共享单车，并约谈运营企业。")
    page.wait(lambda: "已答复" in page.banner(), 10, lambda: page.banner())
    page.wait(lambda: "已答复" in page.text("wl-meta"), 10, lambda: page.text("wl-meta"))
    assert "已安排执法队员清理" in page.text("wl-facts")
    # Answered: off the to-do list.
    page.wait(lambda: found["yellow"] not in card_order(page), 10, lambda: card_order(page))

    open_ticket(page, found["co"])
    ops = [b.get_attribute("id") for b in page.driver.find_elements("css selector", "#wl-actions button[id^=wl-do-]")]
    assert ops == ["wl-do-assist"]
    assert "由牵头单位（市公安局）统一答复" in page.text("wl-action-assist")
    perform(page, "assist", opinion="城管中队早高峰安排两名队员在校门口劝离占道摊贩")
    page.wait(lambda: "协办意见已报送" in page.banner(), 10, lambda: page.banner())
    page.wait(lambda: "城管中队早高峰安排两名队员" in page.text("wl-history"), 10, lambda: page.text("wl-history"))


def test_a_refusal_of_the_server_shows_in_the_banner_and_changes_nothing(browser_factory, tickets):
    server, store, found = tickets
    page = signed_in_handler(browser_factory, server)
    open_ticket(page, found["green"])
    # Meanwhile a colleague of the same department signs for it: the page still offers 签收.
    TicketWorkflow(store).accept(found["green"], "承办人:市城市管理综合执法局/王五", "chengguan")
    perform(page, "accept")
    page.wait(lambda: "不能签收" in page.banner(), 10, lambda: page.banner())
    assert "办理中" in page.banner()           # the server says why
    assert page.find("wl-submit-accept").is_enabled()          # the form stays, to try something else
    assert [e.action for e in store.get(found["green"]).events].count("accept") == 1


def test_a_leader_reads_all_tickets_without_any_action(browser_factory, tickets, screenshot):
    server, _, found = tickets
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["readonly"])
    assert "全部工单" in page.nav() and "承办人工作台" not in page.nav()
    page.choose("tickets")
    page.wait(lambda: len(card_order(page)) == 5, 20, lambda: card_order(page))
    open_ticket(page, found["theirs"])
    assert not page.driver.find_elements("id", "wl-actions")
    assert not page.driver.find_elements("css selector", "[id^=wl-do-]")
    assert "13812345678" not in page.text("wl-facts") and "138" in page.text("wl-facts")   # masked phone
    screenshot(page.driver, "leader")
