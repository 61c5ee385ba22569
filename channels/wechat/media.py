"""Images as evidence, and voice messages.

Images are downloaded with the media API (media/get), checked to be images and kept under
var/wechat_media/<user folder>/<MsgId>.<ext>. Their references wait in the state store for the
ticket being filled: every message the user sends to the assistant carries them in its metadata
("attachments"), so the action that opens the ticket finds them in
tracker.latest_message["metadata"]. When the assistant confirms a new ticket, the gateway writes
var/wechat_media/tickets/<number>.json listing the images and stops sending them; when the
citizen cancels the request, the images are deleted with it.

Voice: WeChat's Recognition text is used when present (the field is being retired); otherwise a
Recognizer, when one is configured, gets the downloaded audio; without one the citizen is told
plainly that voice is not understood yet.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import List, Optional, Protocol

from bot.settings import PROJECT_ROOT
from channels.wechat.customer_service import CustomerService
from channels.wechat.state import StateStore

PENDING_TTL = 3 * 24 * 3600
MAX_IMAGES_PER_TICKET = 9

_SIGNATURES = [(b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"),
               (b"GIF89a", "gif"), (b"BM", "bmp")]


class NotAnImage(ValueError):
    pass


def image_extension(content: bytes) -> str:
    for signature, extension in _SIGNATURES:
        if content.startswith(signature):
            return extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    raise NotAnImage("content is not a JPEG, PNG, GIF, BMP or WebP image")


def user_folder(openid: str) -> str:
    """Folder name of a user's files: a hash, so that file names never show openids."""
    return hashlib.sha256(openid.encode("utf-8")).hexdigest()[:16]


class Recognizer(Protocol):
    """Speech to text for voice messages (provided by the voice channel's work)."""

    async def recognise(self, audio: bytes, audio_format: str) -> Optional[str]:
        ...


class MediaKeeper:
    def __init__(self, folder: Path, api: CustomerService, store: StateStore, max_bytes: int,
                 recognizer: Optional[Recognizer] = None):
        self.folder = Path(folder)
        self.api = api
        self.store = store
        self.max_bytes = max_bytes
        self.recognizer = recognizer

    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(PROJECT_ROOT))
        except ValueError:
            return str(path)

    async def keep_image(self, openid: str, msg_id: str, media_id: str) -> dict:
        """Download, check and store one image; add it to the user's pending attachments."""
        content, _content_type = await self.api.download(media_id, self.max_bytes)
        extension = image_extension(content)
        folder = self.folder / user_folder(openid)
        folder.mkdir(parents=True, exist_ok=True)
        safe_id = "".join(c for c in str(msg_id) if c.isalnum())[:40] or hashlib.sha256(content).hexdigest()[:16]
        path = folder / f"{safe_id}.{extension}"
        temporary = path.with_suffix(path.suffix + ".part")
        temporary.write_bytes(content)
        os.replace(temporary, path)
        reference = {"kind": "image", "path": self._relative(path), "sha256": hashlib.sha256(content).hexdigest(),
                     "bytes": len(content), "msg_id": str(msg_id), "received_at": int(time.time())}
        count = await self.store.append(f"attachments:{openid}", reference, PENDING_TTL)
        reference["count"] = count
        return reference

    async def pending(self, openid: str) -> List[dict]:
        seen, result = set(), []
        for reference in await self.store.items(f"attachments:{openid}"):
            if isinstance(reference, dict) and reference.get("path") not in seen:
                seen.add(reference.get("path"))
                result.append(reference)
        return result[:MAX_IMAGES_PER_TICKET]

    async def attach(self, openid: str, ticket_number: str, references: List[dict]) -> Path:
        """The assistant opened a ticket while these images were pending: record and release them."""
        folder = self.folder / "tickets"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{ticket_number}.json"
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"attachments": []}
        known = {a.get("path") for a in existing["attachments"]}
        existing["ticket_number"] = ticket_number
        existing["channel"] = "wechat"
        existing["attachments"] += [r for r in references if r.get("path") not in known]
        path.write_text(json.dumps(existing, ensure_ascii=False, indent=1), encoding="utf-8")
        await self.store.delete(f"attachments:{openid}")
        return path

    async def discard(self, openid: str, references: List[dict]) -> None:
        """The citizen cancelled the request: its images go too ("您填写的信息没有保存")."""
        for reference in references:
            path = Path(reference.get("path", ""))
            path = (path if path.is_absolute() else PROJECT_ROOT / path).resolve()
            if self.folder.resolve() in path.parents:
                path.unlink(missing_ok=True)
        await self.store.delete(f"attachments:{openid}")

    async def transcribe(self, media_id: str, audio_format: str) -> Optional[str]:
        if self.recognizer is None:
            return None
        audio, _ = await self.api.download(media_id, self.max_bytes)
        return await self.recognizer.recognise(audio, audio_format)
