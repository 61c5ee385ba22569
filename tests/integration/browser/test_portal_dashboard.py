"""数据看板 in the staff portal, headless Chromium at 1366×768 against the staff server on its own
SQLite database holding a generated month of hotline work ending today (tests/support/
office_history.py; the server uses the real clock).

A leader (read-only) sees the key figures, the daily volume and the breakdowns as charts, and the
per-department table, for the last 30 days by default; the figures are the API's; the Excel export
and the monthly report download with the token. A handler sees its own department only. A bad
period is refused in the banner. Screenshot: reports/screenshots/portal-dashboard.png.
"""
from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from bot.tickets.store import TicketStore
from tests.support.browser import SCREENSHOTS, browser_factory  # noqa: F401 - fixture
from tests.support.office_history import build_history
from tests.support.portal import PORTAL_TOKENS, PortalPage, portal_server  # noqa: F401 - fixture
from tests.support.tickets import SHANGHAI, Clock

pytestmark = [pytest.mark.browser]


@pytest.fixture
def history(portal_server):
    """A month of work ending now, written through the real workflow with a clock of its own."""
    server, store = portal_server
    now = dt.datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    clock = Clock(now.year, now.month, now.day, now.hour, now.minute)
    writer = TicketStore(store.engine, timezone="Asia/Shanghai", clock=clock)
    start = now.date() - dt.timedelta(days=29)
    build_history(writer, clock, seed=2026, tickets=260, start=start, days=30, now=now)
    return server, store, start, now.date()


def api_stats(server, start, end):
    request = urllib.request.Request(f"{server.url}/api/stats?from={start}&to={end}",
                                     headers={"Authorization": f"Bearer {PORTAL_TOKENS['readonly']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def shown(page: PortalPage) -> str:
    return page.wait(lambda: page.driver.find_elements("id", "dash-kpis") and page.text("dash-body"), 30,
                     lambda: f"dashboard not shown: {page.banner()!r}")


def test_a_leader_reads_the_dashboard(browser_factory, history):
    server, store, start, end = history
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["readonly"])
    assert "数据看板" in page.nav()
    page.choose("dashboard")
    body = shown(page)
    figures = api_stats(server, start, end)
    assert f"{start.isoformat()} 至 {end.isoformat()}" in page.text("dash-scope")
    assert page.text("kpi-tickets").splitlines()[1] == f"{figures['totals']['tickets']:,}"
    rate = figures["totals"]["on_time_rate"]
    assert f"{rate * 100:.1f}%" in page.text("kpi-on-time")
    for title in ("每日受理量", "按诉求类型", "按受理渠道", "按承办单位（牵头）", "按属地（区县）", "紧急转介（按号码）",
                  "不予受理（按原因）", "转人工原因", "承办单位办理情况（考核指标）"):
        assert title in body, title
    assert len(page.driver.find_elements("css selector", "#dash-charts svg")) == 4
    assert "110" in page.text("dash-emergency") and "知识库直接解答" in page.text("dash-assistant")
    assert len(page.driver.find_elements("css selector", "#dash-daily polyline")) == 1
    departments = page.text("dash-departments")
    assert "市城市管理综合执法局" in departments and "按时办理率" in departments
    page.driver.execute_script("document.querySelector('.panel-area').scrollTop = 0")
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-dashboard.png"))
    page.driver.execute_script("document.getElementById('dash-departments').scrollIntoView()")
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-dashboard-departments.png"))

    # The downloads go through fetch with the token: a blob link is made and clicked.
    page.driver.execute_script("""
        window.__saved = [];
        var click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function () { window.__saved.push(this.download); };""")
    page.find("dash-xlsx").click()
    page.wait(lambda: "已下载" in page.banner(), 20, lambda: page.banner())
    page.find("dash-report").click()
    saved = page.wait(lambda: len(page.driver.execute_script("return window.__saved")) == 2
                      and page.driver.execute_script("return window.__saved"), 20, lambda: page.banner())
    assert saved[0].endswith(".xlsx") and saved[1].startswith("热线月度报告_")

    # A period the server refuses is said in the banner.
    page.driver.execute_script("document.getElementById('dash-from').value = '2020-01-01'")
    page.find("dash-show").click()
    page.wait(lambda: "最长366天" in page.banner(), 15, lambda: page.banner())


def test_a_handler_sees_its_own_department_only(browser_factory, history):
    server, _, _, _ = history
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["police"])
    page.choose("dashboard")
    shown(page)
    assert "市公安局" in page.text("dash-scope")
    assert not page.driver.find_elements("id", "dash-department")
    assert not page.driver.find_elements("id", "dash-emergency")      # office-wide figures are not a department's
    rows = page.text("dash-departments")
    assert "市公安局" in rows and "市城市管理综合执法局" not in rows
