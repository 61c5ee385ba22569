"""The 热点 panel of the staff portal in headless Chromium at 1366×768, against the staff server on its
own SQLite database holding the written history of tests/unit/bot/office/test_hotspots_fixture.py:
the ranked list with heat, place, period and counts, the alert, a hotspot's tickets on click, and
who sees the panel. Screenshot: reports/screenshots/portal-hotspots.png.
"""
from __future__ import annotations

import pytest

from bot.tickets.store import TicketStore
from tests.support.browser import SCREENSHOTS, browser_factory  # noqa: F401 - fixture
from tests.support.portal import PORTAL_TOKENS, PortalPage, portal_server  # noqa: F401 - fixture
from tests.support.tickets import POLICY, Clock
from tests.unit.bot.office import test_hotspots_fixture as history

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """The staff server inherits this: its embedding cache stays in the test's folder."""
    monkeypatch.setenv("HOTLINE_HOTSPOTS_CACHE", str(tmp_path / "hotspot-cache"))


@pytest.fixture
def numbers(portal_server):
    _, store = portal_server
    clock = Clock(2026, 10, 1, 9, 0)
    return history.load_history(TicketStore(store.engine, policy=POLICY, timezone="Asia/Shanghai", clock=clock),
                                clock)


def ask(page: PortalPage, start: str, end: str) -> list:
    page.wait(lambda: page.find("hotspots-submit").is_enabled(), 90, "the first query never finished")
    page.driver.execute_script(
        "document.getElementById('hotspots-from').value = arguments[0];"
        "document.getElementById('hotspots-to').value = arguments[1];", start, end)
    page.find("hotspots-submit").click()
    page.wait(lambda: page.text("hotspots-summary").startswith(f"{start} 至 {end}："), 90,
              lambda: f"no hotspots shown: {page.text('hotspots-summary')!r} {page.banner()!r}")
    return page.driver.find_elements("css selector", "#hotspots-list li.hotspot")


def test_the_office_sees_the_ranked_hotspots_the_alert_and_a_hotspots_tickets(portal_server, numbers,
                                                                             browser_factory):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["office"])
    assert "热点" in page.nav()
    page.choose("hotspots")
    items = ask(page, "2026-10-01", "2026-11-22")
    assert len(items) == 6
    assert page.text("hotspots-summary") == "2026-10-01 至 2026-11-22：热点 6 个，其中预警 1 个"
    first = items[0].text
    assert "幸福里小区" in first and "烧烤" in first and "8 件 · 7 位市民" in first and "10月27日 至 11月21日" in first
    alerted = [i for i in items if "预警" in i.text]
    assert len(alerted) == 1 and "红旗家园" in alerted[0].text
    assert "近48小时新增5件" in page.text("hotspots-alerts-box")

    page.find("hotspot-1").click()
    rows = page.wait(lambda: [r for r in page.driver.find_elements("css selector", "#hotspot-detail-1 tbody tr")
                              if "读取中" not in r.text and r.text.strip()], 20, "tickets of the hotspot not shown")
    page.wait(lambda: len([r for r in page.driver.find_elements("css selector", "#hotspot-detail-1 tbody tr")
                           if "读取中" not in r.text]) == 8, 20, "not all eight tickets shown")
    shown = page.text("hotspot-detail-1")
    assert all(n in shown for n in history.numbers_of(numbers, history.BARBECUE)) and "烧烤" in shown
    assert rows
    page.driver.execute_script("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-hotspots.png"))

    page.find("hotspots-alerts").click()
    items = ask(page, "2026-10-01", "2026-11-22")
    assert len(items) == 1 and "红旗家园" in items[0].text


def test_leaders_see_the_panel_and_department_handlers_do_not(portal_server, numbers, browser_factory):
    server, _ = portal_server
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["readonly"])
    page.choose("hotspots")
    assert len(ask(page, "2026-10-01", "2026-11-22")) == 6
    page.find("hotspots-from").clear()
    page.driver.execute_script("document.getElementById('hotspots-from').value = '2026-11-30';"
                               "document.getElementById('hotspots-to').value = '2026-11-01';")
    page.find("hotspots-submit").click()
    page.wait(lambda: page.banner() == "开始日期不能晚于结束日期", 10, "reversed dates not refused")
    handler = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["handler"])
    assert "热点" not in handler.nav()
