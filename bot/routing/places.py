"""The place index: every place name of the city and the office (属地) it belongs to.

Names come from two sources, merged here: the `territory:` section of settings/departments.yml
(districts, streets and their hand-listed places) and the administrative-division list
(settings/divisions.csv and settings/places.csv, see divisions.py).

A name belongs to one office, or the 属地 of a request would be a coin toss. The one exception is a
road whose house numbers are split between offices (a "place rule": 人民路 1–199号 → 人民街道,
200号起 → 解放街道): it may have several rows, each with a number range, plus at most one row
without a range, the office of a mention that gives no number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

_RANGE = re.compile(r"^\s*(\d+)\s*[-–~至]\s*(\d*)\s*$")


@dataclass(frozen=True)
class NumberRule:
    low: int
    high: Optional[int]     # None: open-ended (200号起)
    office_id: str

    def covers(self, number: int) -> bool:
        return number >= self.low and (self.high is None or number <= self.high)

    def label(self) -> str:
        return f"{self.low}–{self.high}号" if self.high is not None else f"{self.low}号起"


class PlaceIndex(dict):
    """name -> office id, as Catalogue.places always was (a plain dict for every reader), plus:
    rules: name -> number ranges with their offices; kinds: name -> 道路/小区/社区/村/…;
    derived: names the loader added itself (幸福里 for 幸福里小区), matched only at a word edge."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules: Dict[str, Tuple[NumberRule, ...]] = {}
        self.kinds: Dict[str, str] = {}
        self.derived: set = set()
        self.villages: Dict[str, str] = {}      # 沙洲 -> 沙洲村, matched only before a 组


def parse_range(text: str) -> Optional[Tuple[int, Optional[int]]]:
    """「1-199」 -> (1, 199); 「200-」 -> (200, None); anything else -> None."""
    match = _RANGE.match(text or "")
    if not match:
        return None
    low, high = int(match.group(1)), int(match.group(2)) if match.group(2) else None
    if high is not None and high < low:
        return None
    return low, high


@dataclass
class _Row:
    office_id: str
    where: str                              # 「departments.yml 解放街道」, 「places.csv 第12行」
    numbers: Optional[Tuple[int, Optional[int]]]


class PlaceBuilder:
    """Collects names from every source, then checks them all at once (finish)."""

    def __init__(self, district_of: Optional[Dict[str, str]] = None):
        self.district_of = dict(district_of or {})   # office id -> district id, for rules without a default
        self._rows: Dict[str, List[_Row]] = {}
        self._kinds: Dict[str, str] = {}

    def add(self, name: str, office_id: str, where: str, kind: str = "地名",
            numbers: Optional[Tuple[int, Optional[int]]] = None) -> None:
        self._rows.setdefault(name, []).append(_Row(office_id, where, numbers))
        self._kinds.setdefault(name, kind)

    def finish(self, problems: List[str]) -> PlaceIndex:
        index = PlaceIndex()
        for name, rows in self._rows.items():
            office_id = self._resolve(name, rows, problems)
            if office_id is not None:
                index[name] = office_id
                index.kinds[name] = self._kinds[name]
                rules = tuple(NumberRule(r.numbers[0], r.numbers[1], r.office_id) for r in rows if r.numbers)
                if rules:
                    index.rules[name] = rules
        _derive(index)
        return index

    def _resolve(self, name: str, rows: List[_Row], problems: List[str]) -> Optional[str]:
        """The office of a mention without a house number, or None after reporting a problem."""
        plain = {r.office_id: r for r in rows if r.numbers is None}
        ranged = [r for r in rows if r.numbers is not None]
        if len(plain) > 1:
            first, second = list(plain.values())[:2]
            problems.append(f"地名“{name}”同时属于 {first.office_id} 和 {second.office_id}"
                            f"（{first.where}；{second.where}）；同名道路分段请写门牌范围")
            return None
        before = len(problems)
        for i, a in enumerate(ranged):
            for b in ranged[i + 1:]:
                if _overlap(a.numbers, b.numbers):
                    problems.append(f"道路“{name}”的门牌范围重叠：{_label(a)}（{a.where}）和 {_label(b)}（{b.where}）")
        if len(problems) > before:
            return None
        if plain:
            return next(iter(plain))
        # Only ranges: a mention without a number is known down to the district if they all agree.
        districts = {self.district_of.get(r.office_id) for r in ranged}
        if len(districts) == 1 and None not in districts:
            return districts.pop()
        problems.append(f"道路“{name}”分段跨区县，需要一行不写门牌范围的默认属地（{ranged[0].where}）")
        return None


# Citizens drop the suffix of a compound or community (幸福里小区 → 幸福里); a core of two
# characters (东风小区 → 东风) is a common word, so only cores of three or more are added.
_DROPPED_SUFFIX = re.compile(r"^(?P<core>.{3,})(?:小区|社区)$")
# 沙洲村三组 is also said 沙洲三组: a village's core counts when a 组 follows it (see territory.py).
_VILLAGE = re.compile(r"^(?P<core>.{2,}(?<!新))村$")     # not 工人新村, a compound


def _derive(index: PlaceIndex) -> None:
    """Short forms of the listed names. A short form that is a name itself, or that two names of
    different offices would share, is not added: it would be a guess."""
    cores: Dict[str, set] = {}
    for name, office_id in index.items():
        match = _DROPPED_SUFFIX.match(name)
        if match and match.group("core") not in index:
            cores.setdefault(match.group("core"), set()).add((office_id, index.kinds[name]))
        village = _VILLAGE.match(name)
        if village and village.group("core") not in index:
            index.villages[village.group("core")] = name
    for core, owners in cores.items():
        if len({office for office, _ in owners}) == 1:
            office_id, kind = next(iter(owners))
            index[core] = office_id
            index.kinds[core] = kind
            index.derived.add(core)


def _overlap(a: Tuple[int, Optional[int]], b: Tuple[int, Optional[int]]) -> bool:
    a_high = a[1] if a[1] is not None else float("inf")
    b_high = b[1] if b[1] is not None else float("inf")
    return a[0] <= b_high and b[0] <= a_high


def _label(row: _Row) -> str:
    low, high = row.numbers
    return f"{low}–{high}号" if high is not None else f"{low}号起"


def territory_summary(offices, places: Dict[str, str]) -> str:
    """「4 个区县，16 个街道/乡镇，390 个地名（社区 47、村 16、道路 47…）；门牌分段规则 2 条」,
    as `hotline route --check` and `hotline places check` print it."""
    streets = sum(1 for o in offices if o.street)
    kinds: Dict[str, int] = {}
    for name in places:
        kind = getattr(places, "kinds", {}).get(name, "未分类")
        kinds[kind] = kinds.get(kind, 0) + 1
    listed = "、".join(f"{kind} {count}" for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1])
                      if kind != "地名") + (f"、未分类 {kinds['地名']}" if "地名" in kinds else "")
    rules = sum(len(r) for r in getattr(places, "rules", {}).values())
    return (f"{len(offices) - streets} 个区县，{streets} 个街道/乡镇，{len(places)} 个地名"
            f"{f'（{listed}）' if listed else ''}；门牌分段规则 {rules} 条")
