"""The staff portal's shell (/portal) in headless Chromium at 1366×768 against the staff server on
its own SQLite database: the seat console's token login (a wrong token is refused, a kept token
signs in again on reload), the nav of the panels the role may see, a panel chosen by link, the
charts every dashboard panel draws with (PortalCharts), and signing out.

Panels here are registered from the test the way a panel script does (Portal.register), so the
shell is tested on its own contract, not on the panels the other work adds.
"""
from __future__ import annotations

import requests
import pytest

from tests.support.browser import browser_factory, screenshot  # noqa: F401 - fixtures
from tests.support.portal import PORTAL_NAMES, PORTAL_TOKENS, PortalPage, portal_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser]

# Two panels as panel scripts register them: a chart demo for the office and leaders, one for the office only.
REGISTER_TEST_PANELS = """
Portal.register({id: "charts-demo", title: "图表演示", roles: ["office", "readonly", "handler"], order: 5,
  render: function (container, ctx) {
    container.appendChild(ctx.el("h2", {id: "demo-title"}, "图表演示"));
    ctx.api("GET", "/me").then(function (me) {
      container.appendChild(ctx.el("p", {id: "demo-me"}, "接口返回：" + me.name + "（" + me.role_label + "）"));
    });
    ctx.api("GET", "/tickets?status=nonsense").catch(function (error) {
      ctx.banner(error.message);
    });
    ctx.charts.bars(container, [{label: "市城市管理综合执法局", value: 128}, {label: "市住房和城乡建设局", value: 73},
      {label: "市市场监督管理局", value: 41}, {label: "市公安局", value: 0}], {title: "各承办单位工单量", unit: "件"});
    ctx.charts.lines(container, ["12-01", "12-02", "12-03", "12-04", "12-05", "12-06", "12-07"],
      [{name: "本周", values: [120, 98, 143, 130, 160, 88, 75]}, {name: "上周", values: [110, 105, 120, 125, 140, 90, 80]}],
      {title: "每日来电量", unit: "件"});
    ctx.charts.table(container, [{key: "dept", label: "承办单位"}, {key: "rate", label: "按时办结率"}],
      [{dept: "市城市管理综合执法局", rate: "96.2%"}, {dept: "市公安局", rate: "99.1%"}], {title: "考核指标"});
    var empty = ctx.el("div", {id: "demo-empty"});
    container.appendChild(empty);
    ctx.charts.bars(empty, [], {title: "紧急转办"});
    ctx.charts.lines(empty, [], [], {title: "预测"});
    ctx.charts.table(empty, [{key: "a", label: "A"}], [], {title: "空表"});
  }});
Portal.register({id: "office-only", title: "热线办专用", roles: ["office"], order: 1,
  render: function (container, ctx) { container.appendChild(ctx.el("p", {id: "office-only-text"}, "热线办可见")); }});
"""


def register_test_panels(page: PortalPage) -> None:
    page.driver.execute_script(REGISTER_TEST_PANELS)


def test_the_portal_page_is_served_with_the_strict_content_policy(portal_server):
    server, _ = portal_server
    response = requests.get(server.url + "/portal", timeout=10)
    page = response.content.decode("utf-8")
    assert response.status_code == 200 and "热线工作门户" in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script>" not in page and "style=" not in page


def test_a_wrong_token_is_refused_and_the_right_one_shows_the_roles_panels(browser_factory, portal_server, screenshot):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url)
    page.sign_in("not-a-token-of-anyone", expect_ok=False)
    page.wait(lambda: "工作令牌不正确或已停用" in page.text("login-error"), 20, lambda: page.text("login-error"))
    assert not page.find("shell").is_displayed()

    page.sign_in(PORTAL_TOKENS["handler"])
    assert page.text("me-name") == PORTAL_NAMES["handler"]
    assert page.text("me-role") == "承办人" and page.text("me-department") == "市城市管理综合执法局"
    register_test_panels(page)           # late registration still reaches the nav
    page.wait(lambda: "图表演示" in page.nav(), 10, lambda: page.nav())
    assert "热线办专用" not in page.nav()   # not for handlers

    page.choose("charts-demo")
    page.wait(lambda: "接口返回：李强（承办人）" in page.text("panel"), 10, lambda: page.text("panel"))
    page.wait(lambda: "未知的状态：nonsense" in page.banner(), 10, lambda: page.banner())   # the server's own refusal
    assert page.driver.current_url.endswith("/portal#charts-demo")
    assert page.find("nav-charts-demo").get_attribute("aria-current") == "page"


def test_charts_draw_values_and_say_when_there_is_no_data(browser_factory, portal_server, screenshot):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["office"])
    register_test_panels(page)
    page.wait(lambda: page.nav()[:1] == ["热线办专用"], 10, lambda: page.nav())   # ordered by order
    panel = page.choose("charts-demo")
    page.wait(lambda: page.driver.find_elements("css selector", ".chart-bar"), 10, "no bars")
    bars = page.driver.find_elements("css selector", "#panel-charts-demo .chart-bar")
    widths = [float(b.get_attribute("width")) for b in bars]
    assert len(widths) == 4 and widths[0] > widths[1] > widths[2] > widths[3] == 0
    values = [t.text for t in page.driver.find_elements("css selector", ".chart-value")]
    assert values == ["128件", "73件", "41件", "0件"]
    assert "各承办单位工单量（单位：件）" in panel.text and "市城市管理综合执法局" in panel.text
    assert len(page.driver.find_elements("css selector", ".chart-line")) == 2
    assert "本周" in panel.text and "上周" in panel.text and "12-01" in panel.text
    assert "96.2%" in page.text("panel")
    assert page.text("demo-empty").count("暂无数据") == 3
    # Nothing sticks out sideways at 1366×768: the panel fits the screen beside the nav.
    assert page.driver.execute_script(
        "var a = document.getElementById('panel'); return a.scrollWidth <= a.clientWidth;")
    page.driver.execute_script("document.getElementById('banner').hidden = true;")
    screenshot(page.driver, "portal-shell-charts")
    page.driver.save_screenshot(str(_shot("portal-shell.png")))


def test_a_link_opens_its_panel_and_a_reload_keeps_the_sign_in(browser_factory, portal_server):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url, hash_="tickets").sign_in(PORTAL_TOKENS["office"])
    page.wait(lambda: page.driver.find_elements("id", "panel-tickets"), 10, lambda: page.text("panel")[:200])
    assert page.find("nav-tickets").get_attribute("aria-current") == "page"
    register_test_panels(page)
    page.find("nav-charts-demo").click()
    page.wait(lambda: page.driver.current_url.endswith("#charts-demo"), 10, lambda: page.driver.current_url)
    page.find("nav-tickets").click()
    page.driver.refresh()                 # the token is kept in this window: signed in again, same panel
    page.wait(lambda: page.find("shell").is_displayed(), 20, lambda: page.text("login-error"))
    assert page.text("me-name") == PORTAL_NAMES["office"]
    page.wait(lambda: page.driver.find_elements("id", "panel-tickets"), 10, lambda: page.text("panel")[:200])
    page.find("logout").click()
    page.wait(lambda: page.find("login").is_displayed(), 10, "not signed out")
    assert not page.find("shell").is_displayed()
    page.driver.refresh()                 # signed out means the token is gone
    page.wait(lambda: page.find("token").is_displayed(), 20, "login form not shown after sign-out")


def test_a_link_to_a_panel_the_role_lacks_opens_its_own_first_panel(browser_factory, portal_server):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url, hash_="tickets").sign_in(PORTAL_TOKENS["handler"])
    page.wait(lambda: page.driver.find_elements("id", "panel-worklist"), 10, lambda: page.text("panel")[:200])
    assert not page.driver.find_elements("id", "panel-tickets")
    assert page.driver.current_url.endswith("#worklist")


def _shot(name: str):
    from tests.support.browser import SCREENSHOTS
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name
