"""The department catalogue and territory of settings/departments.yml, loaded and validated.

Validation collects every problem before raising, so an operator fixes the file in one pass.
Where the file lives: HOTLINE_DEPARTMENTS_FILE, else departments.yml in the settings folder
(HOTLINE_SETTINGS_DIR, see bot/settings.py).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.settings import settings_dir

from .config import RouterConfig, read_router_config
from .divisions import add_divisions
from .errors import CatalogueError
from .places import PlaceBuilder, PlaceIndex

FILE_NAME = "departments.yml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_HOTLINE = re.compile(r"^\d{3,8}$")


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    kind: str
    hotline: Optional[str]
    duties: Tuple[str, ...]
    keywords: Tuple[str, ...]
    examples: Tuple[str, ...]


@dataclass(frozen=True)
class Office:
    """A territorial office (属地): a street/town office, or a district/county government."""
    id: str                 # "zhongshan/jiefang" for a street, "zhongshan" for a district
    name: str               # 解放街道 / 中山区
    office: str             # 解放街道办事处 / 中山区人民政府
    district: str           # 中山区
    district_office: str    # 中山区人民政府
    street: Optional[str]   # 解放街道, None for a district


@dataclass(frozen=True)
class Catalogue:
    source: str
    departments: Tuple[Department, ...]
    offices: Tuple[Office, ...]
    places: PlaceIndex              # place name (incl. office names and aliases) -> office id, a dict
    router: RouterConfig

    def department(self, dept_id: str) -> Department:
        return next(d for d in self.departments if d.id == dept_id)

    def office(self, office_id: str) -> Office:
        return next(o for o in self.offices if o.id == office_id)


def catalogue_path() -> Path:
    env = os.environ.get("HOTLINE_DEPARTMENTS_FILE")
    return Path(env) if env else settings_dir() / FILE_NAME


def load_catalogue(path: Optional[Path] = None) -> Catalogue:
    path = Path(path) if path else catalogue_path()
    raw = _read(path)
    problems: List[str] = []
    departments = _departments(raw.get("departments"), problems)
    offices, places = _territory(raw.get("territory"), problems, path.parent)
    router = read_router_config(raw.get("router") or {}, problems)
    if problems:
        raise CatalogueError(str(path), problems)
    return Catalogue(str(path), departments, offices, places, router)


def _read(path: Path) -> Dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise CatalogueError(str(path), ["文件不存在"]) from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(str(path), [f"不是合法的 YAML：{exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogueError(str(path), ["顶层应为键值表（departments、territory、router）"])
    return data


# ------------------------------------------------------------------------------------ departments

def _departments(items: Any, problems: List[str]) -> Tuple[Department, ...]:
    if not isinstance(items, list) or not items:
        problems.append("缺少 departments（部门列表），或列表为空")
        return ()
    seen: Dict[str, int] = {}
    result = []
    for number, item in enumerate(items, 1):
        dept = _department(number, item, problems)
        # Ids are checked even on a department with other errors, so one pass reports everything.
        dept_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(dept_id, str) and dept_id in seen:
            problems.append(f"部门 id 重复：{dept_id}（第{seen[dept_id]}个和第{number}个部门）")
            continue
        if isinstance(dept_id, str):
            seen[dept_id] = number
        if dept is not None:
            result.append(dept)
    return tuple(result)


def _department(number: int, item: Any, problems: List[str]) -> Optional[Department]:
    if not isinstance(item, dict):
        problems.append(f"第{number}个部门应为键值表")
        return None
    label = f"第{number}个部门（id={item.get('id', '?')}）"
    before = len(problems)
    dept_id = item.get("id")
    if not isinstance(dept_id, str) or not _ID.match(dept_id):
        problems.append(f"{label}缺少 id，或 id 不是小写字母、数字和下划线")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{label}缺少 name（部门名称）")
    hotline = item.get("hotline")
    if hotline is not None and not _HOTLINE.match(str(hotline)):
        problems.append(f"{label}的 hotline 应为热线号码（纯数字）或 null：{hotline!r}")
    duties = _phrases(item.get("duties"), f"{label}的 duties（权责清单）", problems, required=True)
    keywords = _phrases(item.get("keywords"), f"{label}的 keywords", problems)
    examples = _phrases(item.get("examples"), f"{label}的 examples", problems)
    if len(problems) > before:
        return None
    return Department(dept_id, name.strip(), str(item.get("kind") or "职能部门"),
                      None if hotline is None else str(hotline), duties, keywords, examples)


def _phrases(value: Any, label: str, problems: List[str], required: bool = False) -> Tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or (required and not value):
        problems.append(f"{label}应为非空的文字列表")
        return ()
    bad = [v for v in value if not isinstance(v, str) or not v.strip()]
    if bad:
        problems.append(f"{label}里有空项或非文字项：{bad[:3]}")
    return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())


# -------------------------------------------------------------------------------------- territory

def _territory(items: Any, problems: List[str], folder: Optional[Path] = None) -> Tuple[Tuple[Office, ...], PlaceIndex]:
    """The offices of the `territory:` section, and every place name: that section's and those of
    the division list beside the file (divisions.py); every conflict is reported, none settled."""
    if items is None:
        items = []
    if not isinstance(items, list):
        problems.append("territory 应为区县列表")
        return (), PlaceIndex()
    offices: List[Office] = []
    builder = PlaceBuilder()
    for number, district in enumerate(items, 1):
        if not isinstance(district, dict) or not _named(district):
            problems.append(f"属地第{number}个区县缺少 id、name 或 office")
            continue
        d_office = Office(district["id"], district["name"], district["office"], district["name"],
                          district["office"], None)
        offices.append(d_office)
        _add_places(district, d_office, builder, problems)
        for street in district.get("streets") or []:
            if not isinstance(street, dict) or not _named(street):
                problems.append(f"{district['name']}有街道/乡镇缺少 id、name 或 office")
                continue
            s_office = Office(f"{district['id']}/{street['id']}", street["name"], street["office"],
                              district["name"], district["office"], street["name"])
            offices.append(s_office)
            _add_places(street, s_office, builder, problems)
    ids = [o.id for o in offices]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"属地 id 重复：{dup}")
    if folder is not None:
        add_divisions(folder, {o.id: o for o in offices}, builder, problems)
    builder.district_of.update({o.id: o.id.split("/")[0] for o in offices})
    return tuple(offices), builder.finish(problems)


def _named(item: Dict[str, Any]) -> bool:
    return all(isinstance(item.get(k), str) and item[k].strip() for k in ("id", "name", "office"))


def _add_places(item: Dict[str, Any], office: Office, builder: PlaceBuilder, problems: List[str]) -> None:
    """Names are only collected here: a name given to two offices is reported by builder.finish."""
    names = [item["name"], item["office"], *(item.get("aliases") or []), *(item.get("places") or [])]
    for name in names:
        if not isinstance(name, str) or len(name.strip()) < 2:
            problems.append(f"{office.name}的地名过短或不是文字：{name!r}")
            continue
        builder.add(name.strip(), office.id, f"departments.yml 的{office.name}")
