"""What every staff page helper of the browser tests shares (the seat console's ConsolePage, the
portal's PortalPage): elements by id, their text, and waiting for a condition while the page
re-renders."""
from __future__ import annotations

import time

import pytest


class StaffPage:
    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url.rstrip("/")

    def find(self, element_id: str):
        return self.driver.find_element("id", element_id)

    def text(self, element_id: str) -> str:
        return self.find(element_id).text.strip()

    @staticmethod
    def wait(condition, timeout: float, message):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = condition()
                if value:
                    return value
            except Exception:  # an element re-rendered while reading: try again
                pass
            time.sleep(0.2)
        pytest.fail(message() if callable(message) else message, pytrace=False)
