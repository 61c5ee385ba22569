"""The administrative-division list (行政区划) and its place list, read beside departments.yml.

    divisions.csv   code,name,level,parent,aliases
                    one row per 区/县, 街道/镇/乡, 社区, 村; parent is the code of the row above it.
                    A district's or street's code is its id in the `territory:` section
                    (zhongshan, zhongshan/jiefang): that section says which office takes the tickets.
    places.csv      name,kind,division,numbers,aliases
                    roads, compounds, schools, markets, hospitals, parks…; division is the code of
                    the street, community or village they lie in; numbers a house-number range
                    (1-199, 200-) when a road's numbers are split between offices.
Aliases are separated by | or 、. Both files are optional: without them the `territory:` section
alone is the territory. A city replaces them with its own official list in the same columns.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Tuple

from .places import PlaceBuilder, parse_range

if TYPE_CHECKING:
    from .catalogue import Office

DIVISIONS_FILE = "divisions.csv"
PLACES_FILE = "places.csv"
TOP = ("区", "县")
STREET = ("街道", "镇", "乡")
LOCAL = ("社区", "村")
LEVELS = TOP + STREET + LOCAL


@dataclass(frozen=True)
class Division:
    line: int
    code: str
    name: str
    level: str
    parent: str
    aliases: Tuple[str, ...]


def add_divisions(folder: Path, offices: Dict[str, "Office"], builder: PlaceBuilder, problems: List[str]) -> None:
    """Feed the builder with the communities, villages and places of both files, reporting every
    problem found in them. offices: office id -> Office of the `territory:` section."""
    divisions = _read_divisions(folder / DIVISIONS_FILE, problems)
    office_of = _check_divisions(divisions, offices, problems)
    for d in divisions.values():
        if d.code in office_of:     # districts and streets too: their aliases are names as well
            for name in (d.name, *d.aliases):
                builder.add(name, office_of[d.code], f"{DIVISIONS_FILE} 第{d.line}行", kind=d.level)
    _add_places(folder / PLACES_FILE, {**{i: i for i in offices}, **office_of}, builder, problems)


def alias_names(folder: Path) -> Dict[str, str]:
    """alias -> name of every division and place with aliases (邮电局宿舍 -> 邮电宿舍), for readers
    that must see one place however it is written. Files with problems give what they can; the
    problems themselves are reported by the catalogue's own loading (hotline places check)."""
    aliases: Dict[str, str] = {}
    files = ((PLACES_FILE, ("name", "kind", "division")), (DIVISIONS_FILE, ("code", "name", "level", "parent")))
    for file, columns in files:
        for _, row in _rows(folder / file, columns, []):
            for alias in _aliases(row.get("aliases", "")):
                if row["name"]:
                    aliases[alias] = row["name"]
    return aliases


def _rows(path: Path, columns: Tuple[str, ...], problems: List[str]) -> List[Tuple[int, Dict[str, str]]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = [line for line in handle]
    # Comment lines (#) keep the header's licence note readable; they are skipped, not parsed.
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader([line for _, line in numbered])
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{path.name} 缺少列：{'、'.join(missing)}（应有 {','.join(columns)}）")
        return []
    return [(numbered[i + 1][0], {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(reader)]


def _aliases(text: str) -> Tuple[str, ...]:
    return tuple(a.strip() for a in text.replace("、", "|").split("|") if a.strip())


def _read_divisions(path: Path, problems: List[str]) -> Dict[str, Division]:
    divisions: Dict[str, Division] = {}
    for line, row in _rows(path, ("code", "name", "level", "parent"), problems):
        where = f"{DIVISIONS_FILE} 第{line}行"
        code, name, level = row["code"], row["name"], row["level"]
        if not code or len(name) < 2:
            problems.append(f"{where}缺少区划代码，或名称过短：{name!r}")
            continue
        if level not in LEVELS:
            problems.append(f"{where}的级别“{level}”不认识，应为 {'/'.join(LEVELS)} 之一")
            continue
        if code in divisions:
            problems.append(f"区划代码重复：{code}（{DIVISIONS_FILE} 第{divisions[code].line}行和第{line}行）")
            continue
        divisions[code] = Division(line, code, name, level, row.get("parent", ""), _aliases(row.get("aliases", "")))
    return divisions


def _check_divisions(divisions: Dict[str, Division], offices: Dict[str, "Office"],
                     problems: List[str]) -> Dict[str, str]:
    """Every division's office id (its own for districts and streets, its street's for the rest)."""
    office_of: Dict[str, str] = {}
    for d in divisions.values():
        where = f"{DIVISIONS_FILE} 第{d.line}行（{d.name}）"
        wanted = () if d.level in TOP else TOP if d.level in STREET else STREET
        parent = divisions.get(d.parent)
        if wanted and parent is None:
            problems.append(f"{where}的上级“{d.parent}”不在区划表里")
            continue
        if wanted and parent.level not in wanted:
            problems.append(f"{where}是{d.level}，上级应为{'/'.join(wanted)}，而“{parent.name}”是{parent.level}")
            continue
        if d.level in LOCAL:
            office_of[d.code] = d.parent
            continue
        office = offices.get(d.code)
        if office is None:
            problems.append(f"{where}的代码 {d.code} 在 departments.yml 的 territory 里没有对应的属地办事处")
        elif office.name != d.name:
            problems.append(f"{where}与 territory 里的名称“{office.name}”不一致")
        elif parent is not None and office.district != parent.name:
            problems.append(f"{where}在 territory 里属于{office.district}，区划表却写在{parent.name}下")
        else:
            office_of[d.code] = d.code
    # A local division's office is its parent street, known only once every street was checked.
    return {code: office for code, office in office_of.items() if office in office_of and office in offices}


def _add_places(path: Path, office_of: Dict[str, str], builder: PlaceBuilder, problems: List[str]) -> None:
    for line, row in _rows(path, ("name", "kind", "division"), problems):
        where = f"{PLACES_FILE} 第{line}行"
        name, division = row["name"], row["division"]
        if len(name) < 2:
            problems.append(f"{where}的地名过短或为空：{name!r}")
            continue
        office_id = office_of.get(division)
        if office_id is None:
            problems.append(f"{where}（{name}）所属区划“{division}”不在区划表里，也不是 territory 里的属地 id")
            continue
        numbers = _numbers(row.get("numbers", ""), where, name, problems)
        if numbers is False:
            continue
        for alias in (name, *_aliases(row.get("aliases", ""))):
            builder.add(alias, office_id, where, kind=row["kind"] or "地名", numbers=numbers or None)


def _numbers(text: str, where: str, name: str, problems: List[str]):
    """None for no range, the range, or False after reporting a malformed one."""
    if not text:
        return None
    numbers = parse_range(text)
    if numbers is None:
        problems.append(f"{where}（{name}）的门牌范围“{text}”应写成 1-199 或 200-（从小到大）")
        return False
    return numbers
