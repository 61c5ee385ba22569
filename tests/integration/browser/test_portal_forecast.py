"""来件预测 in the staff portal, headless Chromium at 1366×768 against the staff server on its own
SQLite database holding a generated 20-week history ending yesterday (tests/support/
forecast_history.py; the server uses the real clock).

The hotline office sees next week's forecast per request type with intervals and last week's
actual figures, the weekly volume with the forecast week appended, and the backtest beside the
naive baseline; switches to departments and to a past week, which shows its actual count; a bad
week is refused in the banner; a department's handler sees only its own department.
Screenshot: reports/screenshots/portal-forecast.png.
"""
from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.support.ui import Select

from tests.support.browser import SCREENSHOTS, browser_factory  # noqa: F401 - fixture
from tests.support.forecast_history import generate
from tests.support.portal import PORTAL_TOKENS, PortalPage, portal_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser]


@pytest.fixture
def history(portal_server):
    server, store = portal_server
    today = store.today()
    generate(store, today - dt.timedelta(weeks=20), today - dt.timedelta(days=1))
    return server, store


def loaded(page: PortalPage, needle: str) -> str:
    return page.wait(lambda: needle in page.text("forecast-body") and page.text("forecast-body"), 30,
                     lambda: f"forecast not shown: {page.text('forecast-body')!r} {page.banner()!r}")


def test_the_office_reads_the_forecast_with_actual_figures_and_its_accuracy(browser_factory, history):
    server, store = history
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["office"])
    assert "来件预测" in page.nav()
    page.choose("forecast")
    body = loaded(page, "回测")
    next_monday = store.today() - dt.timedelta(days=store.today().weekday()) + dt.timedelta(weeks=1)
    assert f"预测周：{next_monday.isoformat()}" in page.text("forecast-title")
    assert "朴素基线（同上周）" in page.text("forecast-accuracy") and "区间覆盖率" in page.text("forecast-accuracy")
    table = page.text("forecast-table")
    for label in ("投诉", "咨询", "求助", "举报", "建议", "合计", "预测区间", "上周实际", "本周至今"):
        assert label in table, table
    assert "每周来件与预测" in page.text("forecast-chart") and "为预测周" in page.text("forecast-chart")
    assert "朴素 WAPE" in page.text("forecast-accuracy-table") and "各项合并" in body
    # The chart's lines: actual, forecast, and the interval's two ends at the forecast week.
    assert len(page.driver.find_elements("css selector", "#forecast-chart polyline")) == 4
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-forecast.png"))

    Select(page.find("forecast-by")).select_by_value("department")
    loaded(page, "市城市管理综合执法局")
    assert "承办部门" in page.text("forecast-table")
    Select(page.find("forecast-series")).select_by_visible_text("市公安局")
    page.wait(lambda: "市公安局：每周来件与预测" in page.text("forecast-chart"), 10, "series not switched")
    page.driver.execute_script("document.getElementById('forecast-accuracy-table').scrollIntoView()")
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-forecast-departments.png"))

    past = store.today() - dt.timedelta(weeks=3)
    page.driver.execute_script("document.getElementById('forecast-week').value = arguments[0]", past.isoformat())
    page.find("forecast-show").click()
    loaded(page, f"预测周：{(past - dt.timedelta(days=past.weekday())).isoformat()}")
    header = page.text("forecast-table").splitlines()[1]
    assert header.split()[-1] == "实际" and "本周至今" not in header, header

    page.driver.execute_script("document.getElementById('forecast-week').value = arguments[0]",
                               (store.today() + dt.timedelta(weeks=10)).isoformat())
    page.find("forecast-show").click()
    page.wait(lambda: "只能预测到最近一个完整周之后 4 周以内" in page.banner(), 15, lambda: page.banner())


def test_a_handler_sees_its_own_department_only(browser_factory, history):
    server, _ = history
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["police"])
    page.choose("forecast")
    loaded(page, "回测")
    Select(page.find("forecast-by")).select_by_value("department")
    loaded(page, "市公安局")
    table = page.text("forecast-table")
    assert "市公安局" in table and "市城市管理综合执法局" not in table
