"""Writing a published entry back into its department's YAML file under knowledge/.

The files stay the source of truth (knowledge/README.md, 知识库维护): reviewed in git where there is
git, edited in place by the portal on a server that has none. Only the entry's own lines are
replaced (or a new entry appended), so the other entries keep their comments and folded answers.
Nothing is written that source.py would not load: the new text is checked on its own, the file
replaced atomically, and the whole folder checked again; on any problem the old text comes back.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import yaml

from bot.knowledge.errors import SourceError
from bot.knowledge.source import Entry, load_file, load_source

FIELDS = ("id", "question", "alternatives", "answer", "department", "phone", "source", "updated",
          "valid_until", "review_by")
LOCK_FILE = ".upkeep.lock"    # hidden: source.py skips it


class WriteRefused(Exception):
    """The text would not make a valid source file (the message says why, in Chinese)."""


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One publisher at a time per source folder (two approvals must not interleave their edits)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def render(content: Dict[str, Any], indent: int = 2) -> str:
    """One entry as a block-sequence item, `indent` spaces before its dash."""
    data = {k: content[k] for k in FIELDS if content.get(k) not in (None, "", [], ())}
    for key in ("updated", "valid_until", "review_by"):
        if isinstance(data.get(key), str):
            data[key] = dt.date.fromisoformat(data[key])
    if "alternatives" in data:
        data["alternatives"] = list(data["alternatives"])
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)
    lines = dumped.splitlines()
    pad = " " * indent
    return "".join([f"{pad}- {lines[0]}\n"] + [f"{pad}  {line}\n" for line in lines[1:]])


def _entries_node(text: str) -> Optional[yaml.SequenceNode]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == "entries" and isinstance(value, yaml.SequenceNode) and not value.flow_style:
            return value
    return None


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _item_spans(lines: List[str], seq: yaml.SequenceNode) -> List[Tuple[int, int, int]]:
    """(first line, end line exclusive, dash column) of each item; trailing comments and blank
    lines belong to what follows, so they are left out."""
    starts = []
    for item in seq.value:
        line = item.start_mark.line
        while line > 0 and not lines[line].lstrip().startswith("-"):
            line -= 1     # a dash alone on the line above its mapping
        starts.append(line)
    end_of_seq = seq.end_mark.line + (1 if seq.end_mark.column else 0)
    spans = []
    for i, start in enumerate(starts):
        end = min(starts[i + 1] if i + 1 < len(starts) else end_of_seq, len(lines))
        while end > start + 1 and _is_filler(lines[end - 1]):
            end -= 1
        dash = len(lines[start]) - len(lines[start].lstrip())
        spans.append((start, end, dash))
    return spans


def replaced_text(text: str, entry_id: str, content: Dict[str, Any]) -> str:
    """The file's text with this entry's lines replaced, or the entry appended to its entries."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    seq = _entries_node(text)
    if seq is None:
        raise WriteRefused("源文件的 entries 不是逐行书写的列表，无法自动修改，请手工编辑该文件")
    spans = _item_spans(lines, seq)
    for (start, end, dash), item in zip(spans, seq.value):
        ids = [v for k, v in item.value if k.value == "id"] if isinstance(item, yaml.MappingNode) else []
        if ids and str(ids[0].value) == entry_id:
            return "".join(lines[:start]) + render(content, dash) + "".join(lines[end:])
    if not spans:
        raise WriteRefused("源文件的 entries 为空，无法追加条目")
    _, end, dash = spans[-1]
    return "".join(lines[:end]) + render(content, dash) + "".join(lines[end:])


def new_file_text(content: Dict[str, Any]) -> str:
    return ("# 由知识库维护（热线工作门户）创建。格式见 knowledge/README.md。\n"
            "entries:\n" + render(content, 2))


def _check_alone(path: Path, text: str, content: Dict[str, Any]) -> None:
    """Parse the new text on its own (a hidden temporary file source.py never lists)."""
    probe = path.with_name(f".{path.name}.check")
    try:
        probe.write_text(text, encoding="utf-8")
        entries = {e.id: e for e in load_file(probe)}
    except SourceError as exc:
        raise WriteRefused("发布后的源文件无法通过校验：" + "；".join(p.message for p in exc.problems)) from exc
    finally:
        probe.unlink(missing_ok=True)
    written = entries.get(content["id"])
    if written is None or as_content(written) != {k: content.get(k) for k in as_content(written)}:
        raise WriteRefused("写入后读回的条目与审核通过的内容不一致，未发布（请检查特殊字符）")


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_entry(folder: Path, path: Path, content: Dict[str, Any]) -> Optional[str]:
    """Write the entry into `path` (inside the folder); returns the file's previous text (None if
    the file is new) so the caller can put it back. Call under folder_lock."""
    old = path.read_text(encoding="utf-8") if path.exists() else None
    text = new_file_text(content) if old is None else replaced_text(old, content["id"], content)
    _check_alone(path, text, content)
    _atomic_write(path, text)
    try:
        load_source(folder)          # the whole folder: ids unique across files
    except SourceError as exc:
        restore(path, old)
        raise WriteRefused("发布后知识库无法通过校验：" + "；".join(p.message for p in exc.problems)) from exc
    return old


def restore(path: Path, old: Optional[str]) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    else:
        _atomic_write(path, old)


def as_content(entry: Entry) -> Dict[str, Any]:
    """An entry as the JSON the proposals, versions and the API carry."""
    return {"id": entry.id, "question": entry.question, "alternatives": list(entry.alternatives),
            "answer": entry.answer, "department": entry.department, "phone": entry.phone,
            "source": entry.source, "updated": entry.updated.isoformat(),
            "valid_until": entry.valid_until.isoformat() if entry.valid_until else None,
            "review_by": entry.review_by.isoformat() if entry.review_by else None}
