"""属地: which territorial office a request belongs to, from the place names it mentions.

Overlapping names resolve to the longest (鼓楼巷 over 鼓楼); among separate mentions a street-level
place beats a district name (中山区解放路 → 解放街道), then the longer name, then the earlier one.
"""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Tuple

from .catalogue import Office


@dataclass(frozen=True)
class Territory:
    id: str                   # "zhongshan/jiefang", or "zhongshan" when only the district is known
    office: str               # the office the ticket goes to: 解放街道办事处 / 中山区人民政府
    district: str
    district_office: str
    street: Optional[str]
    matched: str              # the place name found in the request

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Located:
    territory: Optional[Territory]
    unknown_place: Optional[str] = None   # a place the citizen named that the catalogue does not know


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

    def locate(self, text: str, place: Optional[str] = None) -> Located:
        """The territory of the place the citizen gave, else of the request text."""
        for source in (place, text):
            match = self.find(source or "")
            if match is not None:
                o = match.office
                return Located(Territory(o.id, o.office, o.district, o.district_office, o.street, match.matched))
        return Located(None)

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
