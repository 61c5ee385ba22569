"""Headless Chromium (Debian's chromium + chromedriver) for the web chat tests.

The running page comes from the session fixture ``web_url`` in tests/conftest.py (web page server
with Rasa and the action server behind it). Setting WEB_URL points the tests at a stack that is
already running instead (for example while developing the page).

Missing browsers fail the tests with instructions instead of skipping them: a browser test that
silently does not run is worse than one that fails.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, List

import pytest

from bot.settings import PROJECT_ROOT


SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

# Chromium stalls on network calls the sandbox refuses unless these are off (see NOTES.md).
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
    "--lang=zh-CN", "--force-device-scale-factor=1",
]

if os.environ.get("WEB_URL"):
    @pytest.fixture(scope="session")
    def web_url() -> str:
        """Overrides the stack started by tests/conftest.py with an already running one."""
        return os.environ["WEB_URL"].rstrip("/")


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) and os.access(p, os.X_OK))]
    if missing:
        pytest.fail(
            f"browser tests need Chromium and chromedriver, missing: {', '.join(missing)}. "
            "Install them with `apt-get update && apt-get install -y chromium chromium-driver` "
            "(`make test` does this), or set CHROMIUM_BINARY / CHROMEDRIVER.",
            pytrace=False)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("browser tests need selenium: install requirements (make setup)", pytrace=False)


@pytest.fixture
def browser_factory():
    """Start a fresh headless Chromium (own profile, so own localStorage) of the given window size."""
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    drivers: List = []
    profiles: List[str] = []

    def start(width: int = 1024, height: int = 900):
        """Desktop window, or a phone screen (mobile emulation) below Chromium's 500px minimum width."""
        profile = tempfile.mkdtemp(prefix="webchat-chromium-")
        profiles.append(profile)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM   # with the Service below Selenium Manager downloads nothing
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        if width < 500:
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
                "width": width, "height": height, "pixelRatio": 1, "touch": True, "mobile": True}})
            options.add_argument(f"--window-size=500,{height}")
        else:
            options.add_argument(f"--window-size={width},{height}")
        service = Service(CHROMEDRIVER, log_output=os.path.join(profile, "chromedriver.log"))
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(30)
        drivers.append(driver)
        return driver

    yield start

    for driver in drivers:
        try:
            driver.quit()
        except Exception:  # a crashed browser must not hide the test's own failure
            pass
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(browser_factory):
    return browser_factory()


@pytest.fixture
def screenshot(request) -> Callable:
    """screenshot(driver, "name") saves reports/screenshots/<test>-<name>.png and returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)

    def take(driver, name: str) -> Path:
        time.sleep(0.4)   # let smooth scrolling and the typing indicator settle
        path = SCREENSHOTS / f"{test_name}-{name}.png"
        driver.save_screenshot(str(path))
        return path

    return take
