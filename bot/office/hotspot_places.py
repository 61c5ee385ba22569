"""Where a request is, as one place key, so that requests about one place meet.

The place comes from the ticket's place fact (facts["location"], the form's answer, or the place
column of an imported record), else from the text. Within each source:
  1. a place of the catalogue (settings/places.csv, divisions.csv, departments.yml) below the
     level of a street office: a compound, road, school, market, community, village…;
  2. else a place-shaped name the catalogue does not know (紫荆花园, 幸福大道188号: routing/unknown.py).
District and street names alone (中山区, 解放街道) are too wide to be "one place": such a request,
and one naming no place, has no key and can only join a citywide hotspot (hotspots.py).

Keys are normalised so that the ways people name one place agree: 幸福里小区3号楼, 幸福里小区,
幸福里 → 幸福里; an alias (邮电局宿舍) → its name (邮电宿舍); house, building, unit and room
numbers are dropped (人民路188号 → 人民路: a road is one place for a hotspot).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from bot.routing.divisions import alias_names
from bot.routing.unknown import unknown_place

logger = logging.getLogger(__name__)

PLACE_FACTS = ("location", "place", "address")   # the import may name its column either way
_NUMBERED = re.compile(r"[0-9零〇一二两三四五六七八九十百]+(?:号楼|号院|栋|幢|单元|号|室|层|楼|组|期|区)")
_TRAILING = re.compile(r"(?:[东西南北][门区侧面]|附近|旁边|对面|门口|周边|一带|这边|那边)$")
_SUFFIX = re.compile(r"^(?P<core>.{2,}?)(?:小区|社区)$")
_WIDE = ("区", "县", "街道", "镇", "乡")           # division levels too wide to be one place
# departments.yml names offices and districts with the default kind: known by their ending.
_WIDE_NAME = re.compile(r"(?:(?<![小社园片景校厂矿])区|县|街道|镇|乡|政府|办事处)$")
# Words that only say "where I live" (我们小区, 这个小区): common to requests about any matter there.
_GENERIC_PLACE = re.compile(r"(?:我们|我家|这个|那个|本)?(?:小区|社区)(?:里|内)?")
_NOTHING = {"", "不详", "不知道", "无", "未知", "全市", "本市"}


@dataclass(frozen=True)
class Place:
    key: str          # what requests at one place share: 幸福里
    name: str         # how it is shown: 幸福里小区
    spans: Tuple[Tuple[int, int], ...] = ()   # where the text names it (blanked before embedding)


def place_key(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "").strip()
    name = _NUMBERED.sub("", name)
    name = _TRAILING.sub("", name)
    match = _SUFFIX.match(name)
    return match.group("core") if match else name


def display_name(name: str) -> str:
    """The place as written, without house numbers: 幸福里小区3号楼 → 幸福里小区."""
    return _TRAILING.sub("", _NUMBERED.sub("", unicodedata.normalize("NFKC", name or "").strip())) or name


class PlaceReader:
    """Reads the place key of a ticket; catalogue names come from the routing catalogue."""

    def __init__(self, matcher=None, kinds: Optional[Dict[str, str]] = None,
                 aliases: Optional[Dict[str, str]] = None):
        self.matcher, self.kinds, self.aliases = matcher, dict(kinds or {}), dict(aliases or {})

    @classmethod
    def from_catalogue(cls) -> "PlaceReader":
        """The city's places; without a usable catalogue, place-shaped names alone (logged)."""
        try:
            from bot.routing.catalogue import catalogue_path, load_catalogue
            from bot.routing.territory import PlaceMatcher
            catalogue = load_catalogue()
        except Exception:  # noqa: BLE001 - hotspots still work on the names people write
            logger.exception("place catalogue unavailable: hotspots read place-shaped names only")
            return cls()
        folder = Path(catalogue_path()).parent
        return cls(PlaceMatcher(catalogue.places, catalogue.offices), getattr(catalogue.places, "kinds", {}),
                   alias_names(folder))

    def of_ticket(self, text: str, facts: Optional[dict]) -> Tuple[Optional[Place], List[Tuple[int, int]]]:
        """The ticket's place (None: no specific place) and every place span in its text."""
        facts = facts or {}
        given = next((str(facts[k]) for k in PLACE_FACTS if isinstance(facts.get(k), str)), "")
        text = unicodedata.normalize("NFKC", text or "")
        in_text = self.find(text)
        place = self.find(given) if given.strip() not in _NOTHING else None
        return place or in_text, list(in_text.spans if in_text else ()) + self._all_spans(text)

    def find(self, source: str) -> Optional[Place]:
        source = unicodedata.normalize("NFKC", source or "")
        matches = self.matcher.find_all(source) if self.matcher is not None else []
        for match in matches:
            kind = self.kinds.get(match.matched, "地名")
            if kind not in _WIDE and not _WIDE_NAME.search(match.matched):
                return self._place(match.matched, (match.start, match.start + len(match.matched)))
        unknown = unknown_place(source, matches)
        if unknown:
            start = source.find(unknown)
            return self._place(unknown, (start, start + len(unknown)) if start >= 0 else None)
        return None

    def _place(self, written: str, span: Optional[Tuple[int, int]]) -> Place:
        canonical = self.aliases.get(written, written)
        return Place(place_key(canonical), display_name(canonical), (span,) if span else ())

    def _all_spans(self, text: str) -> List[Tuple[int, int]]:
        if self.matcher is None:
            return []
        return [(m.start, m.start + len(m.matched)) for m in self.matcher.find_all(text)]


def blank(text: str, spans: Iterable[Tuple[int, int]]) -> str:
    """The text without its place names, so that similarity is about the matter: two
    requests naming the same compound are not thereby the same matter (and the place is compared
    on its own)."""
    text = unicodedata.normalize("NFKC", text or "")
    for start, end in sorted(set(spans), reverse=True):
        text = text[:start] + text[end:]
    return _GENERIC_PLACE.sub("", _NUMBERED.sub("", text))
