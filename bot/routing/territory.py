"""属地: which territorial office a request belongs to, from the place names it mentions.

Places are read as citizens say them: with or without a suffix (幸福里 / 幸福里小区 / 幸福里那边),
a road with a house number (人民路188号, whose numbers may be split between offices: a place rule
in settings/places.csv), a village with its 组 (沙洲村三组, 沙洲三组), a district alone (→ the
district, no street), a district with a street place (中山区解放路 → 解放街道).

Overlapping names resolve to the longest (鼓楼巷 over 鼓楼); among separate mentions a street-level
place beats a district name, then one inside a district the citizen named, then the longer name,
then the earlier one. A short or common name (鼓楼, 江滩, 幸福里) counts only where a word can
start, so 长江滩涂 is not 江滩. A place-shaped name the catalogue does not know is reported in
Located.unknown_place, never guessed (unknown.py).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Tuple

from .catalogue import Office
from .numerals import house_number
from .unknown import unknown_place


@dataclass(frozen=True)
class Territory:
    id: str                   # "zhongshan/jiefang", or "zhongshan" when only the district is known
    office: str               # the office the ticket goes to: 解放街道办事处 / 中山区人民政府
    district: str
    district_office: str
    street: Optional[str]
    matched: str              # the place name found in the request (with its house number if it decided)

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Located:
    territory: Optional[Territory]
    unknown_place: Optional[str] = None   # a place the citizen named that the catalogue does not know


@dataclass(frozen=True)
class PlaceMatch:
    office: Office
    matched: str      # the place as written in the text (a catalogue name or its short form)
    start: int
    number: Optional[int] = None   # the house number that chose the office by a place rule


# A name ending in one of these is a proper place name (人民路, 红旗小区); others (鼓楼, 江滩,
# 文化宫) and names of two characters may also be plain words, so they need a word edge.
_PLACE_ENDING = re.compile(r"(?:路|街|巷|道|村|区|县|镇|乡|园|苑|城|湾|站|院|场|馆|厦|楼|庄|桥|坪|岭|库|集|心|舍|头|"
                           r"小学|中学|新村|家园|花园|社区|码头|市场)$")
# What may stand right before a weak name: a clause's start or a non-Han character (tested apart),
# these particles and verbs, or the end of a place unit (中山区鼓楼, 解放路鼓楼巷口).
_BEFORE_WEAK = set("的了是在住我你他她它们想到去来说有把被让给往向跟从对那这个座条家就也还都诉报映问近"
                   "区县镇乡市道路街巷村")
_GROUP = re.compile(r"([0-9一二三四五六七八九十]+)组")
# A place right after another city's district or city (哈尔滨南岗区学府路, 福州鼓楼区) is that
# city's, not ours: a Han name of two to four characters ending in 区/县/市 that we do not know.
_FOREIGN_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,4}[区县市])$")
_NOT_FOREIGN = re.compile(r"(?:小|社|园|城|景|校|营|厂|矿|片|街|郊|新|市)区$|[的了是在住我你他她们这那本全该此每各]")


class PlaceMatcher:
    def __init__(self, places: Dict[str, str], offices: Tuple[Office, ...]):
        self._by_id = {o.id: o for o in offices}
        self._rules = getattr(places, "rules", {})      # a PlaceIndex carries them (places.py)
        derived = getattr(places, "derived", set())
        # Longest first, so a name inside a longer one found earlier is skipped.
        self._names: List[Tuple[str, Office, bool]] = sorted(
            ((name, self._by_id[office_id], name in derived or _is_weak(name)) for name, office_id in places.items()),
            key=lambda item: len(item[0]), reverse=True)
        villages = getattr(places, "villages", {})
        self._villages = {core: self._by_id[places[name]] for core, name in villages.items()}
        self._village_re = (re.compile("(?:" + "|".join(map(re.escape, sorted(villages, key=len, reverse=True)))
                                       + r")(?=[0-9一二三四五六七八九十]+组)") if villages else None)

    def locate(self, text: str, place: Optional[str] = None) -> Located:
        """The territory of the place the citizen gave (the form's answer), else of the request text.
        The first unknown place-shaped name of either is reported with it."""
        territory, unknown = None, None
        for source in (place, text):
            source = unicodedata.normalize("NFKC", source or "")
            matches = self.find_all(source)
            unknown = unknown or unknown_place(source, matches)
            if territory is None and matches:
                territory = _territory(self._best(matches))
        return Located(territory, unknown)

    def find(self, text: str) -> Optional[PlaceMatch]:
        matches = self.find_all(text)
        return self._best(matches) if matches else None

    @staticmethod
    def _best(matches: List[PlaceMatch]) -> PlaceMatch:
        named = {m.office.district for m in matches if m.office.street is None}
        return min(matches, key=lambda m: (m.office.street is None, bool(named) and m.office.district not in named,
                                           -len(m.matched), m.start))

    def find_all(self, text: str) -> List[PlaceMatch]:
        """Every non-overlapping place mention; start is a position in the NFKC form of the text."""
        text = unicodedata.normalize("NFKC", text or "")
        taken = [False] * len(text)
        found: List[PlaceMatch] = []
        for start, name, office in self._candidates(text):
            end = start + len(name)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(name)
                found.append(self._with_number(text, PlaceMatch(office, name, start)))
        return found

    def _candidates(self, text: str):
        """(start, name, office) of every occurrence, longest first, then leftmost."""
        spans = []
        for name, office, weak in self._names:
            start = text.find(name)
            while start != -1:
                if (not weak or _word_starts(text, start)) and not self._elsewhere(text, start, name, weak):
                    spans.append((start, name, office))
                start = text.find(name, start + 1)
        if self._village_re is not None:
            for match in self._village_re.finditer(text):
                # 沙洲三组: the village core and its group, as one mention of 沙洲村.
                group = _GROUP.match(text, match.end())
                spans.append((match.start(), text[match.start():group.end()], self._villages[match.group()]))
        return sorted(spans, key=lambda s: (-len(s[1]), s[0]))

    def _elsewhere(self, text: str, start: int, name: str, weak: bool) -> bool:
        """Another city's place: after a district or city we do not know, or (a short name) itself
        the start of one (鼓楼区)."""
        after = text[start + len(name):start + len(name) + 1]
        if weak and after in ("区", "县", "市"):
            return True
        foreign = _FOREIGN_BEFORE.search(text, 0, start)
        return bool(foreign) and not _NOT_FOREIGN.search(foreign.group(1)) and not any(
            foreign.group(1).endswith(known) for known, _, _ in self._names if len(known) >= 2)

    def _with_number(self, text: str, match: PlaceMatch) -> PlaceMatch:
        """A road with a place rule goes to the office of the range its house number falls in."""
        rules = self._rules.get(match.matched)
        if not rules:
            return match
        number = house_number(text, match.start + len(match.matched))
        rule = next((r for r in rules if number is not None and r.covers(number)), None)
        if rule is None:
            return match
        return PlaceMatch(self._by_id[rule.office_id], match.matched, match.start, number)


def _is_weak(name: str) -> bool:
    return len(name) <= 2 or not _PLACE_ENDING.search(name)


def _word_starts(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    return not ("\u4e00" <= before <= "\u9fff") or before in _BEFORE_WEAK


def _territory(match: PlaceMatch) -> Territory:
    o = match.office
    matched = f"{match.matched}{match.number}号" if match.number is not None else match.matched
    return Territory(o.id, o.office, o.district, o.district_office, o.street, matched)
