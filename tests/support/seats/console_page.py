"""The seat console (/seats) as a seat sees and uses it, in test terms."""
from __future__ import annotations

from typing import List

from tests.support.staff_page import StaffPage


class ConsolePage(StaffPage):
    def open(self, token: str) -> "ConsolePage":
        from selenium.webdriver.common.keys import Keys
        self.driver.get(self.base_url + "/seats")
        self.wait(lambda: self.find("token").is_displayed(), 20, "login form not shown")
        self.find("token").send_keys(token, Keys.ENTER)
        self.wait(lambda: self.find("desk").is_displayed(), 20, lambda: f"not signed in: {self.text('login-error')!r}")
        return self

    # --- reading ---
    def cards(self, list_id: str) -> List:
        return self.driver.find_elements("css selector", f"#{list_id} .card")

    def card_for(self, sender_id: str, list_id: str = "waiting-list"):
        for card in self.cards(list_id):
            if card.get_attribute("data-sender") == sender_id:
                return card
        return None

    def transcript(self) -> List[str]:
        return [e.text for e in self.driver.find_elements("css selector", "#transcript .line .bubble")]

    def status(self) -> str:
        return self.text("conv-status")

    def banner(self) -> str:
        element = self.find("banner")
        return element.text.strip() if element.is_displayed() else ""

    # --- acting ---
    def take(self, sender_id: str) -> None:
        card = self.wait(lambda: self.card_for(sender_id), 30, f"{sender_id} never appeared in the queue")
        card.find_element("css selector", "button").click()
        self.wait(lambda: "您正在接待" in self.status(), 20, lambda: f"not taken: {self.status()!r} {self.banner()!r}")

    def reply(self, text: str) -> None:
        from selenium.webdriver.common.keys import Keys
        box = self.find("reply-text")
        box.click()
        box.send_keys(text, Keys.ENTER)
        self.wait(lambda: "已发送" in self.text("reply-state"), 20, lambda: f"not sent: {self.text('reply-state')!r}")

    def fill(self, element_id: str, value: str) -> None:
        element = self.find(element_id)
        element.clear()
        element.send_keys(value)
