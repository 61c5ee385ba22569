"""属地: which territorial office a request belongs to, from the place names it mentions.

Overlapping names resolve to the longest (鼓楼巷 over 鼓楼); among separate mentions a street-level
place beats a district name (中山区解放路 → 解放街道), then the longer name, then the earlier one.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .catalogue import Office


@dataclass(frozen=True)
class PlaceMatch:
    office: Office
    matched: str      # the place name as written in the catalogue
    start: int


class PlaceMatcher:
    def __init__(self, places: Dict[str, str], offices: Tuple[Office, ...]):
        by_id = {o.id: o for o in offices}
        # Longest first, so a name inside a longer one found earlier is skipped.
        self._names: List[Tuple[str, Office]] = sorted(
            ((name, by_id[office_id]) for name, office_id in places.items()),
            key=lambda item: len(item[0]), reverse=True)

    def find(self, text: str) -> Optional[PlaceMatch]:
        matches = self.find_all(text)
        if not matches:
            return None
        return min(matches, key=lambda m: (m.office.street is None, -len(m.matched), m.start))

    def find_all(self, text: str) -> List[PlaceMatch]:
        """Every non-overlapping place name; start is a position in the NFKC form of the text."""
        text = unicodedata.normalize("NFKC", text or "")
        taken = [False] * len(text)
        found: List[PlaceMatch] = []
        for name, office in self._names:
            start = text.find(name)
            while start != -1:
                end = start + len(name)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * len(name)
                    found.append(PlaceMatch(office, name, start))
                start = text.find(name, end)
        return found
