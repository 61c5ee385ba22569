"""督办与审核, the hotline office's desk in the staff portal, in headless Chromium at 1366×768 against
the staff server on its own SQLite database.

The office sees five tabs with their counts. 待派单: a ticket with the router's suggestion and its
runner-up, dispatched to the runner-up. 退单审核: approving without a reason is refused by the
server (its message in the banner), refusing with one keeps the ticket with the department.
延期审核: approved, the deadline moves. 红牌未督办: an overdue ticket is supervised and moves to
督办中, where it is urged (the department's handler sees the urging through the API) and escalated.
Every result is checked in the store. Not for other roles: a seat has no such panel.
"""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from bot.tickets.reviews import TicketReviews
from bot.tickets.store import TicketStore
from bot.tickets.workflow import TicketWorkflow
from tests.support.browser import SCREENSHOTS, browser_factory, screenshot  # noqa: F401 - fixtures
from tests.support.portal import PORTAL_TOKENS, PortalPage, portal_server  # noqa: F401 - fixture
from tests.support.tickets import draft, routed_draft, routing

pytestmark = [pytest.mark.browser]
SEAT = "热线坐席:测试派单"
HANDLER = "承办人:市城市管理综合执法局/李强"


@pytest.fixture
def desk(portal_server):
    """(server, store, {name: number}) with one ticket in each list of the desk."""
    server, store = portal_server
    workflow = TicketWorkflow(store)
    month_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)
    past = TicketStore(store.engine, policy=store.policy, clock=lambda: month_ago)

    def dispatched(on, key, **changes):
        number = on.open_ticket(draft(**changes), request_key=key).number
        TicketWorkflow(on).dispatch(number, "chengguan", SEAT)
        return number

    found = {
        "queue": store.open_ticket(routed_draft(routing(lead="chengguan", candidates=(
            ("chengguan", 0.48), ("shichang", 0.41), ("gongan", 0.05))), text="菜市场门口流动摊贩占道卖菜，缺斤少两"),
            request_key="q").number,
        "return": dispatched(store, "r", text="小区里宠物医院噪音扰民"),
        "extend": dispatched(store, "e", text="老旧小区加装电梯施工影响通行"),
        "red": dispatched(past, "late", text="建设路工地夜间施工噪音扰民，已经持续两周"),
    }
    # Two more waiting for dispatch: the router abstained on one, the other came back by a return.
    store.open_ticket(routed_draft(routing(abstain=True, confidence=0.31, candidates=(
        ("zhujian", 0.31), ("chengguan", 0.29), ("shichang", 0.1))), text="楼顶违章搭建的阳光房漏水到我家"),
        request_key="abstained")
    came_back = dispatched(store, "back", text="公园里有人放生巴西龟，担心破坏生态")
    workflow.return_ticket(came_back, "外来物种放生属生态环境局职责", HANDLER, scope="chengguan")
    TicketReviews(workflow).decide_return(came_back, True, "同意，改派生态环境局", "热线办:孙丽")
    workflow.return_ticket(found["return"], "宠物医院经营许可属农业农村局管理，非本单位职责", HANDLER, scope="chengguan")
    workflow.extend(found["extend"], 5, "需协调住建部门联合勘察", HANDLER, scope="chengguan")
    return server, store, found


def card(page: PortalPage, number: str):
    return page.wait(lambda: page.driver.find_elements("id", f"office-{number}"), 10, f"no card for {number}")[0]


def click(page: PortalPage, number: str, action: str, index: int = 0):
    buttons = card(page, number).find_elements("css selector", f"button[data-action='{action}']")
    buttons[index].click()


def tab(page: PortalPage, name: str):
    page.find(f"office-tab-{name}").click()


def test_the_office_dispatches_reviews_and_supervises_from_its_desk(browser_factory, desk, screenshot):
    server, store, found = desk
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["office"])
    assert "督办与审核" in page.nav()
    page.choose("office")
    counts = lambda: [b.text for b in page.driver.find_elements("css selector", ".office-tab")]  # noqa: E731
    page.wait(lambda: counts() == ["待派单\n3", "退单审核\n1", "延期审核\n1", "红牌未督办\n1", "督办中\n0"], 15, counts)

    # 待派单: the suggestion and its runner-up, dispatched to the runner-up.
    queued = card(page, found["queue"])
    assert "市城市管理综合执法局（48%）" in queued.text and "次选：市市场监督管理局（41%）" in queued.text
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-office.png"))
    screenshot(page.driver, "dispatch")
    click(page, found["queue"], "dispatch", 1)
    page.wait(lambda: "已派单：市市场监督管理局" in page.banner(), 10, page.banner)
    assert store.get(found["queue"]).department_id == "shichang"

    # 退单审核: no reason, the server refuses; with one, refused: the department goes on.
    tab(page, "returns")
    assert "宠物医院经营许可属农业农村局管理" in card(page, found["return"]).text
    screenshot(page.driver, "returns")
    click(page, found["return"], "return-review", 0)
    page.wait(lambda: "请填写审核意见" in page.banner(), 10, page.banner)
    card(page, found["return"]).find_element("css selector", "textarea").send_keys("宠物医院噪音扰民属城管职责，请继续办理")
    click(page, found["return"], "return-review", 1)
    page.wait(lambda: "已不同意退单" in page.banner(), 10, page.banner)
    returned = store.get(found["return"])
    assert returned.status == "dispatched" and returned.events[-1].action == "return_refused"

    # 延期审核: approved, the deadline moves by the five working days asked.
    tab(page, "extension_requests")
    before = store.get(found["extend"]).deadline
    assert "5 个工作日：需协调住建部门联合勘察" in card(page, found["extend"]).text
    screenshot(page.driver, "extensions")
    card(page, found["extend"]).find_element("css selector", "textarea").send_keys("同意延期5个工作日")
    click(page, found["extend"], "extension", 0)
    page.wait(lambda: "已同意延期" in page.banner(), 10, page.banner)
    extended = store.get(found["extend"])
    assert extended.extended_days == 5 and extended.deadline > before

    # 红牌未督办 → 督办中: supervise, urge, escalate.
    tab(page, "red_unsupervised")
    card(page, found["red"]).find_element("css selector", "textarea").send_keys("超期未办结，群众多次来电")
    click(page, found["red"], "supervise")
    page.wait(lambda: "已列入督办" in page.banner(), 10, page.banner)
    tab(page, "supervised")
    card(page, found["red"]).find_element("css selector", "textarea").send_keys("请于今日下班前答复诉求人")
    click(page, found["red"], "urge")
    page.wait(lambda: "已发出催办" in page.banner(), 10, page.banner)
    card(page, found["red"]).find_element("css selector", "textarea").send_keys("催办后仍未答复")
    click(page, found["red"], "escalate")
    page.wait(lambda: "已升级督办" in page.banner(), 10, page.banner)
    page.wait(lambda: "已升级至承办单位分管领导" in card(page, found["red"]).text, 10, lambda: card(page, found["red"]).text)
    screenshot(page.driver, "supervised")
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-office-supervised.png"))
    actions = [e.action for e in store.get(found["red"]).events]
    assert actions[-3:] == ["supervise", "urge", "escalate"]

    # The department's handler sees the urging on its ticket.
    assert [u["text"] for u in seen_by(server, "handler", found["red"])["urgings"]] == ["请于今日下班前答复诉求人"]
    assert seen_by(server, "handler", found["red"])["supervised"]

    # 改派 from the desk: the new department sees the supervision, not the urging sent to the old one.
    from selenium.webdriver.support.select import Select
    Select(card(page, found["red"]).find_element("css selector", "select")).select_by_value("gongan")
    click(page, found["red"], "reassign")
    page.wait(lambda: "请填写改派理由" in page.banner(), 10, page.banner)
    card(page, found["red"]).find_element("css selector", "textarea").send_keys("夜间施工噪声由公安机关查处")
    Select(card(page, found["red"]).find_element("css selector", "select")).select_by_value("gongan")
    click(page, found["red"], "reassign")
    page.wait(lambda: "已改派" in page.banner(), 10, page.banner)
    assert store.get(found["red"]).department_id == "gongan"
    police = seen_by(server, "police", found["red"])
    assert police["supervised"] and police["urgings"] == []


def seen_by(server, who: str, number: str) -> dict:
    """The ticket as a department's handler gets it from the API."""
    response = requests.get(f"{server.url}/api/tickets/{number}", timeout=10,
                            headers={"Authorization": f"Bearer {PORTAL_TOKENS[who]}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_desk_is_the_offices_only(browser_factory, portal_server):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["seat"])
    page.wait(lambda: page.nav(), 10, "no nav")
    assert "督办与审核" not in page.nav()
