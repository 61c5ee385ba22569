"""The staff portal (/portal) in headless Chromium, for every panel's browser tests: a staff
server of its own on a fresh SQLite ticket database with one member of each role, and the page
as a user sees it (sign in, pick a panel, read the banner).

    def test_x(portal_server, browser_factory):
        server, store = portal_server
        page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["office"])
        page.choose("dashboard")
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.seats.fixtures import start_staff
from tests.support.staff_page import StaffPage

LAPTOP = (1366, 768)
PORTAL_TOKENS = {
    "seat": "portal-seat-token-000000001",
    "office": "portal-office-token-0000002",
    "handler": "portal-handler-chengguan-03",      # 市城市管理综合执法局
    "police": "portal-handler-gongan-00004",       # 市公安局
    "readonly": "portal-readonly-token-00005",
}
PORTAL_NAMES = {"seat": "王芳", "office": "孙丽", "handler": "李强", "police": "赵刚", "readonly": "周局长"}
PORTAL_STAFF_YAML = f"""
staff:
  - {{name: 王芳, role: seat, token: {PORTAL_TOKENS['seat']}}}
  - {{name: 孙丽, role: office, token: {PORTAL_TOKENS['office']}}}
  - {{name: 李强, role: handler, department: chengguan, token: {PORTAL_TOKENS['handler']}}}
  - {{name: 赵刚, role: handler, department: gongan, token: {PORTAL_TOKENS['police']}}}
  - {{name: 周局长, role: readonly, token: {PORTAL_TOKENS['readonly']}}}
"""


@pytest.fixture
def portal_server(tmp_path) -> Iterator:
    """(server, store): the staff server as deployed, and the store of its ticket database."""
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    engine = make_engine(url)
    migrate(engine)
    tokens = tmp_path / "staff_tokens.yml"
    tokens.write_text(PORTAL_STAFF_YAML, encoding="utf-8")
    server = start_staff({"HOTLINE_DATABASE_URL": url, "HOTLINE_STAFF_TOKENS_FILE": str(tokens)}, Path(tmp_path))
    yield server, TicketStore(engine)
    server.stop()
    engine.dispose()


class PortalPage(StaffPage):
    @classmethod
    def at(cls, browser_factory, base_url: str, size=LAPTOP, hash_: str = "") -> "PortalPage":
        driver = browser_factory(*size)
        # The window size includes the browser's frame: the page itself gets exactly this viewport.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False})
        page = cls(driver, base_url)
        driver.get(base_url.rstrip("/") + "/portal" + (("#" + hash_) if hash_ else ""))
        page.wait(lambda: page.find("token").is_displayed(), 20, "login form not shown")
        return page

    def sign_in(self, token: str, expect_ok: bool = True) -> "PortalPage":
        from selenium.webdriver.common.keys import Keys
        self.find("token").send_keys(token, Keys.ENTER)
        if expect_ok:
            self.wait(lambda: self.find("shell").is_displayed(), 20,
                      lambda: f"not signed in: {self.text('login-error')!r}")
        return self

    def choose(self, panel_id: str):
        self.find(f"nav-{panel_id}").click()
        return self.wait(lambda: self.driver.find_elements("id", f"panel-{panel_id}"), 10,
                         f"panel {panel_id} not shown")[0]

    # --- reading ---
    def nav(self) -> list:
        return [a.text for a in self.driver.find_elements("css selector", "#nav .nav-item")]

    def banner(self) -> str:
        element = self.find("banner")
        return element.text.strip() if element.is_displayed() else ""
