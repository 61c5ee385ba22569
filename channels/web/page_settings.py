"""The web page's own settings (settings/web.yml): limits the page and this server must agree on."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Tuple

from bot.settings import SettingsError, load_yaml
from bot.tickets.facts import DESCRIPTION_LIMIT

# A ticket's facts keep this much of the citizen's text: a longer message would be cut there,
# silently, so the page may not accept one.
FACTS_TEXT_LIMIT = DESCRIPTION_LIMIT


@dataclass(frozen=True)
class PageSettings:
    message_max_chars: int
    message_too_long: str
    queue_poll_seconds: int
    my_tickets_max: int
    faq: Tuple[str, ...]

    def too_long(self) -> str:
        return self.message_too_long.format(limit=self.message_max_chars)


@lru_cache(maxsize=1)
def page_settings() -> PageSettings:
    raw = load_yaml("web.yml")
    try:
        settings = PageSettings(int(raw["message_max_chars"]), str(raw["message_too_long"]),
                                int(raw["queue_poll_seconds"]), int(raw["my_tickets_max"]),
                                tuple(str(q) for q in raw.get("faq") or ()))
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"web.yml 缺少或写错了 {exc}") from exc
    if not 1 <= settings.message_max_chars <= FACTS_TEXT_LIMIT:
        raise SettingsError(f"web.yml 中 message_max_chars 应在 1 到 {FACTS_TEXT_LIMIT} 之间")
    return settings
