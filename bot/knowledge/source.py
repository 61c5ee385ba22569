"""Loading and validating the knowledge-base source folder.

Departments maintain one YAML file per department or topic (format: knowledge/README.md).
Loading is all-or-nothing: every file is parsed and every entry checked first, and any
problem raises SourceError listing all of them with file and line. A caller therefore
never gets half a file, and a seat is never shown an entry that failed validation.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import SourceError, SourceProblem

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
# Service numbers: 12333, 0371-12345678, 95598; several may be joined by "/" or "、".
PHONE_RE = re.compile(r"^[0-9][0-9-]{2,19}([/、][0-9][0-9-]{2,19})*$")
REQUIRED = ("id", "question", "answer", "department", "phone", "source", "updated")
OPTIONAL = ("alternatives", "valid_until", "review_by")  # review_by: see knowledge/README.md (upkeep)
FILE_DEFAULTS = ("department", "phone", "source")  # a file may set these once for all entries
MAX_ALTERNATIVES = 200  # an entry's vectors are numbered within 256 slots (see index.py)
# Whitespace next to a Chinese character or full-width punctuation mark. YAML's folded style
# (answer: >-) joins lines with a space, which reads as a stray gap in Chinese text.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    alternatives: tuple[str, ...]
    answer: str
    department: str
    phone: str
    source: str
    updated: dt.date
    valid_until: dt.date | None
    file: Path
    line: int
    review_by: dt.date | None = None   # optional: when its owner must next confirm it (bot/knowledge/editorial)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True)
class KnowledgeSource:
    """A fully validated source folder."""

    entries: tuple[Entry, ...]
    checksum: str
    files: tuple[Path, ...]
    warnings: tuple[SourceProblem, ...] = field(default=())

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


# --- YAML with line numbers -------------------------------------------------------------

class _Located(dict):
    """A mapping that remembers where it and each of its keys came from."""

    line: int = 0
    key_lines: dict[Any, int]
    raw: dict[Any, str]          # the scalar text as written (phones: "0371…" must stay a string)
    duplicates: list[tuple[Any, int]]


class _LocatedList(list):
    """A sequence that remembers each item's line and, for scalars, the text as written."""

    lines: list[int]
    raw: list[str | None]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _LocatedList:
    seq = _LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    seq.raw = [child.value if isinstance(child, yaml.ScalarNode) else None for child in node.value]
    return seq


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Located:
    loader.flatten_mapping(node)
    m = _Located()
    m.line, m.key_lines, m.raw, m.duplicates = node.start_mark.line + 1, {}, {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in m:
            m.duplicates.append((key, line))
        m[key] = loader.construct_object(value_node, deep=True)
        m.key_lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            m.raw[key] = value_node.value
    return m


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """An impossible date such as 2025-13-01 stays text, so validation reports it at its line
    (PyYAML itself would raise a bare ValueError with no position)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


# --- public functions -------------------------------------------------------------------

def source_files(folder: Path) -> list[Path]:
    """The YAML files of a source folder, recursively, in a stable order; hidden files skipped."""
    folder = Path(folder)
    files = [p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()]
    return sorted(p for p in files if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def checksum(folder: Path) -> str:
    """sha256 over every source file's relative name and bytes: any edit changes it."""
    folder = Path(folder)
    h = hashlib.sha256()
    for path in source_files(folder):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def load_source(folder: Path, today: dt.date | None = None) -> KnowledgeSource:
    """Load and validate every file of the folder; raise SourceError on any problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError([SourceProblem(folder, 0, "知识库源目录不存在 (source folder does not exist)")])
    files = source_files(folder)
    if not files:
        raise SourceError([SourceProblem(folder, 0, "源目录中没有 .yml 文件 (no .yml files in source folder)")])
    problems: list[SourceProblem] = []
    entries: list[Entry] = []
    for path in files:
        entries.extend(_load_file(path, problems))
    _check_unique_ids(entries, problems)
    if problems:
        raise SourceError(problems)
    return KnowledgeSource(tuple(entries), checksum(folder), tuple(files),
                           tuple(_warnings(entries, today or dt.date.today())))


def load_file(path: Path) -> list[Entry]:
    """Load one file on its own (for `kb check FILE`); raises SourceError like load_source."""
    problems: list[SourceProblem] = []
    entries = _load_file(Path(path), problems)
    _check_unique_ids(entries, problems)
    if problems:
        raise SourceError(problems)
    return entries


# --- file and entry validation ----------------------------------------------------------

def _load_file(path: Path, problems: list[SourceProblem]) -> list[Entry]:
    data = _parse(path, problems)
    if data is None:
        return []
    if not isinstance(data, _Located) or not isinstance(data.get("entries"), list):
        problems.append(SourceProblem(path, getattr(data, "line", 1),
                                      "文件顶层须为含 entries 列表的映射 (top level must be a mapping with an 'entries' list)"))
        return []
    _report_duplicates(path, data, problems)
    defaults = {k: data[k] for k in FILE_DEFAULTS if k in data}
    raw_defaults = {k: data.raw[k] for k in FILE_DEFAULTS if k in data.raw}
    unknown = set(data) - set(FILE_DEFAULTS) - {"entries"}
    for key in sorted(unknown, key=str):
        problems.append(SourceProblem(path, data.key_lines[key], f"未知的文件级字段 {key!r} (unknown file-level field)"))
    items = data["entries"]
    out = []
    for item, line in zip(items, getattr(items, "lines", [data.line] * len(items))):
        entry = _entry(path, item, defaults, raw_defaults, line, problems)
        if entry is not None:
            out.append(entry)
    return out


def _parse(path: Path, problems: list[SourceProblem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(SourceProblem(path, 0, f"无法读取文件（须为 UTF-8）(cannot read file, must be UTF-8): {exc}"))
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(SourceProblem(path, line, f"YAML 语法错误 (YAML syntax error): {exc.problem}"))
    except yaml.YAMLError as exc:
        problems.append(SourceProblem(path, 0, f"YAML 语法错误 (YAML syntax error): {exc}"))
    return None


def _report_duplicates(path: Path, m: _Located, problems: list[SourceProblem]) -> None:
    for key, line in m.duplicates:
        problems.append(SourceProblem(path, line, f"字段 {key!r} 重复出现 (duplicate key)"))


def _entry(path: Path, item: Any, defaults: dict, raw_defaults: dict, item_line: int,
           problems: list[SourceProblem]) -> Entry | None:
    if not isinstance(item, _Located):
        problems.append(SourceProblem(path, item_line, "entries 中的每一项都必须是映射 (each entry must be a mapping)"))
        return None
    before = len(problems)
    _report_duplicates(path, item, problems)

    def bad(key: str | tuple[str, int], message: str) -> None:
        """Report at the key's line, or at an explicit (key, line) such as a list item's."""
        line = key[1] if isinstance(key, tuple) else item.key_lines.get(key, item.line)
        problems.append(SourceProblem(path, line, message))

    for key in sorted(set(item) - set(REQUIRED) - set(OPTIONAL), key=str):
        bad(key, f"未知字段 {key!r}（拼写错误？）(unknown field, a typo?)")
    values = {**defaults, **item}
    raw = {**raw_defaults, **item.raw}
    missing = [key for key in REQUIRED if values.get(key) in (None, "")]
    for key in missing:
        bad(key, f"缺少必填字段 {key!r} (missing required field)")
    if missing:  # the field checks below need every required field
        return None
    fields_ = _check_fields(values, raw, bad)
    if len(problems) > before:
        return None
    return Entry(file=path, line=item.line, **fields_)


def _check_fields(values: dict, raw: dict, bad) -> dict:
    eid = str(values["id"])
    if not ID_RE.match(eid):
        bad("id", f"id {eid!r} 只能用小写字母、数字和连字符，2–64 位 (id must be 2-64 chars of a-z, 0-9, '-')")
    texts = {k: values[k] for k in ("question", "answer", "department", "source")}
    for key, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            bad(key, f"字段 {key!r} 必须是非空文本 (must be non-empty text)")
    alternatives = _alternatives(values.get("alternatives"), bad)
    phone = str(raw.get("phone", values["phone"])).strip()
    if not PHONE_RE.match(phone):
        bad("phone", f"电话 {phone!r} 格式不对，应为数字，可含连字符，多个用 / 分隔 (phone must be digits)")
    updated = _date(values["updated"], "updated", bad)
    valid_until = _date(values["valid_until"], "valid_until", bad) if values.get("valid_until") else None
    if updated and valid_until and valid_until < updated:
        bad("valid_until", "valid_until 早于 updated (valid_until is before updated)")
    review_by = _date(values["review_by"], "review_by", bad) if values.get("review_by") else None
    return dict(review_by=review_by, id=eid, question=str(texts["question"]).strip(), alternatives=alternatives,
                answer=tidy(str(texts["answer"])), department=str(texts["department"]).strip(),
                phone=phone, source=str(texts["source"]).strip(), updated=updated,
                valid_until=valid_until)


def tidy(text: str) -> str:
    """Trim, and drop the spaces that line folding puts into Chinese text ("GB 17761" keeps its)."""
    return _CJK_GAP.sub("", text.strip())


def _alternatives(value: Any, bad) -> tuple[str, ...]:
    """A list of phrasings; scalars are taken as written, so `- 12366` stays the text "12366"."""
    if value is None:
        return ()
    if not isinstance(value, _LocatedList):
        bad("alternatives", "alternatives 必须是文本列表 (must be a list of strings)")
        return ()
    out = []
    for line, raw in zip(value.lines, value.raw):
        if raw is None or not raw.strip():
            bad(("alternatives", line), "alternatives 的每一项都必须是非空文本 (each alternative must be non-empty text)")
        else:
            out.append(raw.strip())
    if len(out) > MAX_ALTERNATIVES:
        bad("alternatives", f"alternatives 最多 {MAX_ALTERNATIVES} 条 (too many)")
    return tuple(out)


def _date(value: Any, key: str, bad) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        bad(key, f"{key} 日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD), 实际为 {value!r}")
        return None


def _check_unique_ids(entries: Iterable[Entry], problems: list[SourceProblem]) -> None:
    seen: dict[str, Entry] = {}
    for e in entries:
        if e.id in seen:
            first = seen[e.id]
            problems.append(SourceProblem(e.file, e.line,
                                          f"id {e.id!r} 重复，已在 {first.file}:{first.line} 使用 (duplicate id)"))
        else:
            seen[e.id] = e


def _warnings(entries: Iterable[Entry], today: dt.date) -> list[SourceProblem]:
    """Non-fatal findings an operator should fix (shown by `kb check`)."""
    out = []
    for e in entries:
        if not e.is_valid_on(today):
            out.append(SourceProblem(e.file, e.line, f"{e.id}: 已过有效期 {e.valid_until}，检索时不会返回 (expired, not served)"))
        if not any(p in e.answer for p in e.phone.replace("、", "/").split("/")):
            out.append(SourceProblem(e.file, e.line, f"{e.id}: 答案中没有写出电话 {e.phone} (answer does not mention the phone)"))
    return out
