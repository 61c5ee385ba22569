"""Where to go with a matter that is not government service at all (weather, shares, train tickets).

「超出服务范围」 is said only for these: a vague message (「那个事怎么办」) is asked what it is about
instead, and a matter the hotline may not accept (a lawsuit, a petition) has its own referral
(not_accepted.py). The table is settings/elsewhere.yml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Pattern, Tuple

from bot.settings import SettingsError, load_yaml


@dataclass(frozen=True)
class Elsewhere:
    places: Tuple[Tuple[Pattern, str], ...]
    otherwise: str

    def where_to_go(self, text: str) -> str:
        """The sentence for this matter: its own place to go, or the general one."""
        for words, go in self.places:
            if words.search(text or ""):
                return go
        return self.otherwise


@lru_cache(maxsize=None)
def elsewhere() -> Elsewhere:
    raw = load_yaml("elsewhere.yml")
    places = []
    for entry in raw.get("elsewhere") or []:
        if not isinstance(entry, dict) or not entry.get("words") or not entry.get("go"):
            raise SettingsError("settings/elsewhere.yml: every entry needs words and go")
        places.append((re.compile(str(entry["words"])), str(entry["go"])))
    otherwise = str(raw.get("otherwise") or "").strip()
    if not otherwise:
        raise SettingsError("settings/elsewhere.yml: otherwise is missing")
    return Elsewhere(tuple(places), otherwise)


def where_to_go(text: str) -> Optional[str]:
    return elsewhere().where_to_go(text)
