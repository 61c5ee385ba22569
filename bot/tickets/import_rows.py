"""One row of an old system's export checked and turned into a ticket to import, or refused with a
reason in Chinese. Which header means which field, and which values mean which type, status or
channel, come from settings/import_columns.yml.

    columns = ImportColumns.load()
    header = columns.header(cells)                 # ImportFileError without a text column
    record = read_row(header, cells, line, zone, now)   # ImportedRecord, or RowRejected(reason)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.privacy import mask_phone
from bot.request_types import REQUEST_TYPES
from bot.settings import SettingsError, load_yaml
from bot.tickets import departments, lifecycle, satisfaction
from bot.tickets.facts import DESCRIPTION_LIMIT
from bot.tickets.import_reading import ImportFileError, cell_text
from bot.tickets.models import Ticket

FIELDS = ("text", "title", "time", "type", "channel", "name", "phone", "place", "department", "status",
          "answer", "replied_at", "closed_at", "satisfaction", "citizen")
# Lengths of the ticket table's columns (models.py) and of a place a person would write.
NAME_LIMIT = Ticket.contact_name.property.columns[0].type.length
PLACE_LIMIT = 200
EXTRA_LIMIT = 2000
# Statuses in which some department already had the ticket: the row must name it.
NEEDS_DEPARTMENT = frozenset(lifecycle.STATUSES) - {lifecycle.ACCEPTED}
EARLIEST = dt.datetime(1990, 1, 1)


class RowRejected(Exception):
    """This row cannot be imported; str() is the reason."""


def _key(text: str) -> str:
    """Headers compared the way people write them: 「*诉求内容（必填）」 is 诉求内容."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"[(（\[【].*?[)）\]】]", "", text)
    return re.sub(r"[\s*:：_\-]", "", text)


def _values(raw: Dict[str, Any], base: Dict[str, str]) -> Dict[str, str]:
    mapping = {_key(k): v for k, v in base.items()}
    for name, code in (raw or {}).items():
        mapping[_key(str(name))] = str(code)
    return mapping


@dataclass(frozen=True)
class ImportColumns:
    synonyms: Dict[str, str]        # normalised header -> field
    types: Dict[str, str]
    statuses: Dict[str, str]
    channels: Dict[str, str]
    ratings: Dict[str, str]
    default_type: str
    default_channel: str
    max_bytes: int

    @staticmethod
    @lru_cache(maxsize=None)
    def load() -> "ImportColumns":
        raw = load_yaml("import_columns.yml")
        synonyms: Dict[str, str] = {}
        for name, headers in (raw.get("columns") or {}).items():
            if name not in FIELDS:
                raise SettingsError(f"import_columns.yml：未知的字段 {name}（可用：{', '.join(FIELDS)}）")
            for header in headers or ():
                synonyms[_key(str(header))] = name
        types = _values(raw.get("types"), {**{c: c for c in REQUEST_TYPES},
                                           **{n: c for c, n in REQUEST_TYPES.items()}})
        statuses = _values(raw.get("statuses"), {**{s: s for s in lifecycle.STATUSES},
                                                 **{n: s for s, n in lifecycle.STATUS_LABELS.items()}})
        ratings = _values(raw.get("satisfaction"), {r: r for r in satisfaction.RATINGS})
        default_type = str(raw.get("default_type", "seek_help"))
        if default_type not in REQUEST_TYPES:
            raise SettingsError(f"import_columns.yml：default_type {default_type} 不是诉求类型")
        return ImportColumns(synonyms, types, statuses, _values(raw.get("channels"), {}), ratings,
                             default_type, str(raw.get("default_channel", "import"))[:40],
                             int(float(raw.get("max_file_mb", 200)) * 1_000_000))

    def header(self, cells: List[Any]) -> "Header":
        fields: Dict[str, int] = {}
        extra: List[Tuple[int, str]] = []
        for index, cell in enumerate(cells):
            name = cell_text(cell)
            if not name:
                continue
            known = self.synonyms.get(_key(name))
            if known is None:
                extra.append((index, name))
            elif known in fields:
                raise ImportFileError(f"表头中“{cell_text(cells[fields[known]])}”和“{name}”是同一项，请删除或改名其中一列")
            else:
                fields[known] = index
        if "text" not in fields and "title" not in fields:
            raise ImportFileError("表头中没有诉求内容列（如“诉求内容”“内容”“标题”“text”）；"
                                  "列名可在 settings/import_columns.yml 中添加")
        return Header(self, fields, extra, len(cells))


@dataclass(frozen=True)
class ImportedRecord:
    line: int
    request_key: str
    request_type: str
    text: str
    created_at: dt.datetime            # UTC
    channel: str
    sender_id: str
    contact_name: Optional[str]
    contact_phone: Optional[str]
    anonymous: bool
    status: str
    department_id: Optional[str]
    department: Optional[str]
    answer: Optional[str]
    replied_at: Optional[dt.datetime]
    closed_at: Optional[dt.datetime]
    satisfaction: Optional[str]
    facts: Dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------ cell checks

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufffe\uffff]")
_FORMULA = re.compile(r"^[=@]")


def _clean(value: str, what: str) -> str:
    """Refuse binary junk and spreadsheet formulas (a cell that runs when someone opens an export)."""
    if _CONTROL.search(value):
        raise RowRejected(f"{what}含有无法识别的字符（乱码或二进制内容）")
    if _FORMULA.match(value):
        raise RowRejected(f"{what}以“{value[0]}”开头，疑似表格公式，不予导入")
    return value


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2})(\d{2})(\d{2})?)?$")


def parse_time(value: Any, zone: ZoneInfo) -> dt.datetime:
    """Local wall-clock time in the hotline's zone -> aware datetime. RowRejected when unreadable."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        written = cell_text(value)
        text = unicodedata.normalize("NFKC", written)
        text = re.sub(r"[年月]", "-", text).replace("日", " ").replace("号", " ")
        text = re.sub(r"[时点]", ":", text).replace("分", ":").replace("秒", "")
        text = re.sub(r"\s+", " ", text).strip().rstrip(":").replace("- ", "-").replace(" :", ":")
        moment = _from_text(text, written)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def _from_text(text: str, written: str) -> dt.datetime:
    match = _DATE.match(text) or _COMPACT.match(text)
    try:
        if match:
            parts = [int(p) if p else 0 for p in match.groups()]
            return dt.datetime(*parts)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise RowRejected(f"时间“{written[:30]}”无法识别（应如 2026-05-01 09:30）") from None


def normalise_phone(value: str) -> str:
    """Mobiles as 13812345678, landlines as 0419-2123456; anything else is refused."""
    raw = unicodedata.normalize("NFKC", value).strip()
    if not re.fullmatch(r"[\d\s\-+()]+", raw):
        raise RowRejected("联系电话格式不对（只能有数字、空格、“-”和“+”）")
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 13 and digits.startswith("86") or len(digits) == 15 and digits.startswith("0086"):
        digits = digits[-11:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    if re.fullmatch(r"0\d{9,11}", digits):
        area = digits[:3] if digits[1] in "12" else digits[:4]
        local = digits[len(area):]
        if 7 <= len(local) <= 8 and local[0] in "23456789":
            return f"{area}-{local}"
    raise RowRejected(f"联系电话格式不对（{mask_phone(digits)}）：应为11位手机号或带区号的固定电话")


# ------------------------------------------------------------------------------------ the row


@dataclass(frozen=True)
class Header:
    columns: ImportColumns
    fields: Dict[str, int]
    extra: List[Tuple[int, str]]
    width: int
    # Department names looked up once per import: a file names the same few thousands of times.
    departments: Dict[str, Tuple[Optional[str], Optional[str]]] = field(default_factory=dict)

    def cell(self, cells: List[Any], name: str) -> Any:
        index = self.fields.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def text(self, cells: List[Any], name: str) -> str:
        return cell_text(self.cell(cells, name))

    def row_key(self, cells: List[Any]) -> str:
        """The row's content, whatever the file's encoding or column order: the same record
        exported twice, or a corrected file imported again, is recognised as already imported."""
        values = {name: self.text(cells, name) for name in sorted(self.fields)}
        values.update({f"+{header}": cell_text(cells[i]) if i < len(cells) else "" for i, header in self.extra})
        canonical = json.dumps(values, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:40]


def is_blank(cells: List[Any]) -> bool:
    return all(not cell_text(c) for c in cells)


def _text(header: Header, cells: List[Any]) -> str:
    title = _clean(header.text(cells, "title"), "标题")
    body = _clean(header.text(cells, "text"), "诉求内容")
    text = f"{title}：{body}" if title and body and not body.startswith(title) else (body or title)
    if not text.strip():
        raise RowRejected("诉求内容为空")
    if len(text) > DESCRIPTION_LIMIT:
        raise RowRejected(f"诉求内容有{len(text)}字，超过工单能记录的{DESCRIPTION_LIMIT}字")
    return text.strip()


def _mapped(header: Header, cells: List[Any], name: str, mapping: Dict[str, str], what: str) -> Optional[str]:
    value = _clean(header.text(cells, name), what)
    if not value:
        return None
    code = mapping.get(_key(value))
    if code is None:
        raise RowRejected(f"{what}“{value[:20]}”无法识别")
    return code


def _department(header: Header, cells: List[Any]) -> Tuple[Optional[str], Optional[str]]:
    value = _clean(header.text(cells, "department"), "承办单位")
    if not value:
        return None, None
    if value not in header.departments:
        found = departments.find(value)
        header.departments[value] = (found.id, found.name) if found else (None, None)
    dept_id, name = header.departments[value]
    if dept_id is None:
        raise RowRejected(f"承办单位“{value[:30]}”不在部门目录中（settings/departments.yml 的 id 或名称）")
    return dept_id, name


def _when(header: Header, cells: List[Any], name: str, what: str, zone: ZoneInfo,
          now: dt.datetime) -> Optional[dt.datetime]:
    value = header.cell(cells, name)
    if not cell_text(value):
        return None
    moment = parse_time(value, zone)
    if moment > now:
        raise RowRejected(f"{what}{moment:%Y-%m-%d %H:%M}晚于现在")
    if moment.replace(tzinfo=None) < EARLIEST:
        raise RowRejected(f"{what}{moment:%Y-%m-%d}过早，疑似填写错误")
    return moment.astimezone(dt.timezone.utc)


def _limited(value: str, limit: int, what: str) -> Optional[str]:
    if len(value) > limit:
        raise RowRejected(f"{what}太长（{len(value)}字，最多{limit}字）")
    return value or None


def _extra(header: Header, cells: List[Any]) -> Dict[str, str]:
    kept = {}
    for index, name in header.extra:
        value = cell_text(cells[index]) if index < len(cells) else ""
        if value:
            kept[name] = _limited(_clean(value, f"“{name}”列"), EXTRA_LIMIT, f"“{name}”列")
    return kept


def _who(header: Header, cells: List[Any], key: str) -> Tuple[Optional[str], Optional[str], str]:
    """(name, phone, sender_id). The sender is the old system's citizen id, else one per phone, so
    that "how many different citizens" counts people, not rows; a row without either is its own."""
    name = _limited(_clean(header.text(cells, "name"), "姓名"), NAME_LIMIT, "姓名")
    phone_cell = _clean(header.text(cells, "phone"), "联系电话")
    phone = normalise_phone(phone_cell) if phone_cell else None
    citizen = _limited(_clean(header.text(cells, "citizen"), "来电人编号"), 100, "来电人编号")
    if citizen:
        sender = f"import:{citizen}"
    elif phone:
        sender = "import:phone-" + hashlib.sha256(phone.encode()).hexdigest()[:16]
    else:
        sender = f"import:row-{key[:16]}"
    return name, phone, sender


def read_row(header: Header, cells: List[Any], line: int, key: str, zone: ZoneInfo,
             now: dt.datetime) -> ImportedRecord:
    columns = header.columns
    text = _text(header, cells)
    created = _when(header, cells, "time", "受理时间", zone, now) or now
    request_type = _mapped(header, cells, "type", columns.types, "诉求类型") or columns.default_type
    status = _mapped(header, cells, "status", columns.statuses, "状态") or lifecycle.ACCEPTED
    dept_id, dept_name = _department(header, cells)
    if status in NEEDS_DEPARTMENT and dept_id is None:
        raise RowRejected(f"状态为“{lifecycle.STATUS_LABELS[status]}”，但没有填写承办单位")
    rating = _mapped(header, cells, "satisfaction", columns.ratings, "满意度")
    if rating and status != lifecycle.CLOSED:
        raise RowRejected("只有已办结的工单才能有满意度评价")
    replied = _when(header, cells, "replied_at", "答复时间", zone, now)
    closed = _when(header, cells, "closed_at", "办结时间", zone, now)
    for moment, what in ((replied, "答复时间"), (closed, "办结时间")):
        if moment and moment < created:
            raise RowRejected(f"{what}早于受理时间")
    name, phone, sender = _who(header, cells, key)
    channel_value = _clean(header.text(cells, "channel"), "渠道")
    channel = columns.channels.get(_key(channel_value)) if channel_value else None
    facts: Dict[str, Any] = {}
    place = _limited(_clean(header.text(cells, "place"), "地点"), PLACE_LIMIT, "地点")
    if place:
        facts["location"] = place
    imported = _extra(header, cells)
    if channel_value and channel is None:
        imported["渠道"] = channel_value[:100]
    if imported:
        facts["imported"] = imported
    answer = _limited(_clean(header.text(cells, "answer"), "答复"), DESCRIPTION_LIMIT, "答复")
    return ImportedRecord(
        line=line, request_key=f"import:{key}", request_type=request_type, text=text, created_at=created,
        channel=channel or columns.default_channel, sender_id=sender, contact_name=name, contact_phone=phone,
        anonymous=phone is None, status=status, department_id=dept_id, department=dept_name, answer=answer,
        replied_at=replied, closed_at=closed if status == lifecycle.CLOSED else None,
        satisfaction=rating, facts=facts)
