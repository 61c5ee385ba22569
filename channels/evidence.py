"""Photos and short videos as evidence, for every channel that receives them (web page, WeChat).

A file is checked by its first bytes (never by its name or the type the sender claims), stored
under <folder>/<owner folder>/<name>.<ext> (the owner folder is a hash: no openid or session id in
a path) and listed as pending for its owner. Every message the owner sends to the assistant
carries the pending references in its metadata ("attachments"), so the action that opens the
ticket stores them with its facts (actions/intake.py). When the assistant confirms a ticket
(the ticket_opened event, bot/channel_events.py) the channel calls attach(): <folder>/tickets/
<number>.json lists the files and they stop being pending; on draft_cancelled, discard() deletes
them. Limits and the folder: settings/evidence.yml (HOTLINE_EVIDENCE_DIR overrides the folder);
how long files are kept: retention.yml.

Pending lists live in a PendingStore: the WeChat gateway's state store (memory or Redis), or
FolderPending (a JSON file in the owner's folder) for the web server.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Protocol, Tuple

from bot.settings import PROJECT_ROOT, SettingsError, load_yaml, project_path

PENDING_TTL = 3 * 24 * 3600
IMAGE_TYPES = ("jpg", "png", "gif", "webp", "bmp")
VIDEO_TYPES = ("mp4", "mov", "webm")

_SIGNATURES = [(b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"),
               (b"GIF89a", "gif"), (b"BM", "bmp"), (b"\x1a\x45\xdf\xa3", "webm")]
# ISO media files say what they are in the "ftyp" box at byte 4: the brand names the family.
_QUICKTIME_BRANDS = (b"qt  ",)


class Refused(ValueError):
    """A file that may not be kept; str() is what the citizen is told, `reason` which rule said no
    (empty, not_allowed, too_big, too_many)."""

    def __init__(self, message: str, reason: str = "not_allowed"):
        super().__init__(message)
        self.reason = reason


class NotAnImage(Refused):
    pass


def file_type(content: bytes) -> Optional[str]:
    """jpg, png, gif, bmp, webp, mp4, mov or webm by the content's signature; None otherwise."""
    for signature, extension in _SIGNATURES:
        if content.startswith(signature):
            return extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    if len(content) >= 12 and content[4:8] == b"ftyp":
        return "mov" if content[8:12] in _QUICKTIME_BRANDS else "mp4"
    return None


def image_extension(content: bytes) -> str:
    extension = file_type(content)
    if extension not in IMAGE_TYPES:
        raise NotAnImage("content is not a JPEG, PNG, GIF, BMP or WebP image")
    return extension


def kind_of(extension: str) -> str:
    return "video" if extension in VIDEO_TYPES else "image"


def user_folder(owner: str) -> str:
    """Folder name of an owner's files: a hash, so that file names never show openids or sessions."""
    return hashlib.sha256(owner.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class EvidenceSettings:
    folder: Path
    max_per_request: int
    max_image_bytes: int
    max_video_bytes: int
    types: Tuple[str, ...]
    messages: Dict[str, str]

    def refusal(self, key: str) -> str:
        return self.messages[key].format(image_mb=self.max_image_bytes // (1024 * 1024),
                                         video_mb=self.max_video_bytes // (1024 * 1024),
                                         count=self.max_per_request)

    def max_bytes(self, extension: str) -> int:
        return self.max_video_bytes if kind_of(extension) == "video" else self.max_image_bytes

    def check(self, content: bytes) -> str:
        """The file's extension, or Refused with the reason the citizen reads."""
        if not content:
            raise Refused(self.refusal("empty"), "empty")
        extension = file_type(content)
        if extension is None or extension not in self.types:
            raise Refused(self.refusal("not_allowed"), "not_allowed")
        if len(content) > self.max_bytes(extension):
            raise Refused(self.refusal("too_big"), "too_big")
        return extension


@lru_cache(maxsize=1)
def evidence_settings() -> EvidenceSettings:
    raw = load_yaml("evidence.yml")
    try:
        types = tuple(str(t) for t in raw["types"])
        unknown = set(types) - set(IMAGE_TYPES + VIDEO_TYPES)
        if unknown:
            raise ValueError(f"unknown types {sorted(unknown)}")
        messages = {k: str(raw["messages"][k]) for k in ("not_allowed", "too_big", "too_many", "empty")}
        folder = os.environ.get("HOTLINE_EVIDENCE_DIR") or str(raw["folder"])
        return EvidenceSettings(project_path(folder), int(raw["max_per_request"]),
                                int(raw["max_image_bytes"]), int(raw["max_video_bytes"]), types, messages)
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"evidence.yml 缺少或写错了：{exc}") from exc


class PendingStore(Protocol):
    async def append(self, key: str, value: Any, ttl: float) -> int: ...
    async def items(self, key: str) -> List[Any]: ...
    async def delete(self, key: str) -> None: ...


class FolderPending:
    """Pending lists as JSON files beside the owner's files (one web server process writes them;
    the lock keeps its concurrent uploads from losing each other's entries)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = asyncio.Lock()

    def _path(self, key: str) -> Path:
        return self.folder / "pending" / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".json")

    def _read(self, path: Path) -> List[Any]:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(record, dict) or record.get("expires", 0) < time.time():
            return []
        return list(record.get("items") or [])

    async def append(self, key: str, value: Any, ttl: float) -> int:
        async with self._lock:
            path = self._path(key)
            items = self._read(path) + [value]
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".part")
            temporary.write_text(json.dumps({"expires": time.time() + ttl, "items": items}), encoding="utf-8")
            os.replace(temporary, path)
            return len(items)

    async def items(self, key: str) -> List[Any]:
        return self._read(self._path(key))

    async def delete(self, key: str) -> None:
        async with self._lock:
            self._path(key).unlink(missing_ok=True)


class EvidenceKeeper:
    def __init__(self, folder: Path, store: PendingStore, max_per_request: int):
        self.folder = Path(folder)
        self.store = store
        self.max_per_request = max_per_request

    @staticmethod
    def _relative(path: Path) -> str:
        try:
            return str(path.relative_to(PROJECT_ROOT))
        except ValueError:
            return str(path)

    def owner_folder(self, owner: str) -> Path:
        return self.folder / user_folder(owner)

    async def keep(self, owner: str, name: str, content: bytes, extension: str) -> Dict[str, Any]:
        """Store one checked file and add it to the owner's pending attachments."""
        folder = self.owner_folder(owner)
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(content).hexdigest()
        safe = "".join(c for c in str(name) if c.isalnum())[:40] or digest[:16]
        path = folder / f"{safe}.{extension}"
        temporary = path.with_suffix(path.suffix + ".part")
        temporary.write_bytes(content)
        os.replace(temporary, path)
        reference = {"kind": kind_of(extension), "path": self._relative(path), "sha256": digest,
                     "bytes": len(content), "msg_id": str(name), "received_at": int(time.time())}
        reference["count"] = await self.store.append(f"attachments:{owner}", reference, PENDING_TTL)
        return reference

    async def pending(self, owner: str) -> List[Dict[str, Any]]:
        seen, result = set(), []
        for reference in await self.store.items(f"attachments:{owner}"):
            if isinstance(reference, dict) and reference.get("path") not in seen:
                seen.add(reference.get("path"))
                result.append({k: v for k, v in reference.items() if k != "count"})
        return result[:self.max_per_request]

    async def attach(self, owner: str, ticket_number: str, references: List[dict], channel: str) -> Path:
        """The assistant opened a ticket while these files were pending: record and release them."""
        folder = self.folder / "tickets"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{ticket_number}.json"
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"attachments": []}
        known = {a.get("path") for a in existing["attachments"]}
        existing["ticket_number"] = ticket_number
        existing["channel"] = channel
        existing["attachments"] += [r for r in references if r.get("path") not in known]
        path.write_text(json.dumps(existing, ensure_ascii=False, indent=1), encoding="utf-8")
        await self.store.delete(f"attachments:{owner}")
        return path

    async def discard(self, owner: str, references: List[dict]) -> None:
        """The citizen cancelled the request: its files go too ("您填写的信息没有保存")."""
        for reference in references:
            path = Path(reference.get("path", ""))
            path = (path if path.is_absolute() else PROJECT_ROOT / path).resolve()
            if self.folder.resolve() in path.parents:
                path.unlink(missing_ok=True)
        await self.store.delete(f"attachments:{owner}")

    def owned_file(self, owner: str, name: str) -> Optional[Path]:
        """One of the owner's own files by its name (for thumbnails), or None: never another's."""
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        path = self.owner_folder(owner) / name
        return path if path.is_file() and path.suffix[1:] in IMAGE_TYPES + VIDEO_TYPES else None
