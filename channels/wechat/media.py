"""Images as evidence, and voice messages.

Images are downloaded with the media API (media/get), checked to be images and kept by the
evidence keeper the web page uses too (channels/evidence.py): under <media folder>/<user folder>/
<MsgId>.<ext>, pending in the state store for the ticket being filled, sent with every message to
the assistant ("attachments" metadata), listed in <media folder>/tickets/<number>.json when the
assistant confirms a ticket, deleted when the citizen cancels the request.

Voice: WeChat's Recognition text is used when present (the field is being retired); otherwise a
Recognizer, when one is configured, gets the downloaded audio; without one the citizen is told
plainly that voice is not understood yet.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Protocol

from channels.evidence import (PENDING_TTL, EvidenceKeeper, NotAnImage, evidence_settings,  # noqa: F401 - re-exported
                               image_extension, user_folder)
from channels.wechat.customer_service import CustomerService
from channels.wechat.state import StateStore

MAX_IMAGES_PER_TICKET = evidence_settings().max_per_request


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
        self.evidence = EvidenceKeeper(self.folder, store, MAX_IMAGES_PER_TICKET)

    async def keep_image(self, openid: str, msg_id: str, media_id: str) -> dict:
        """Download, check and store one image; add it to the user's pending attachments."""
        content, _content_type = await self.api.download(media_id, self.max_bytes)
        extension = image_extension(content)
        return await self.evidence.keep(openid, str(msg_id), content, extension)

    async def pending(self, openid: str) -> List[dict]:
        return await self.evidence.pending(openid)

    async def attach(self, openid: str, ticket_number: str, references: List[dict]) -> Path:
        """The assistant opened a ticket while these images were pending: record and release them."""
        return await self.evidence.attach(openid, ticket_number, references, "wechat")

    async def discard(self, openid: str, references: List[dict]) -> None:
        """The citizen cancelled the request: its images go too ("您填写的信息没有保存")."""
        await self.evidence.discard(openid, references)

    async def transcribe(self, media_id: str, audio_format: str) -> Optional[str]:
        if self.recognizer is None:
            return None
        audio, _ = await self.api.download(media_id, self.max_bytes)
        return await self.recognizer.recognise(audio, audio_format)
