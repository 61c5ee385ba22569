"""From the assistant's replies to WeChat text, and from a citizen's "1" back to a button payload.

Passive replies and customer-service messages carry text only: buttons become numbered options
("回复1：同意"), which the gateway remembers per user so that a reply "1" is sent to the assistant
as the button's payload. Text longer than WeChat's limit (2048 bytes of UTF-8) is split at line
breaks where possible.

What the gateway must act on — a new ticket (its images are attached) and a cancelled draft (its
images are dropped) — comes from the assistant's events (bot/channel_events.py), never from the
reply's wording.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from bot import channel_events

TEXT_LIMIT_BYTES = 2048

_CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Option:
    title: str
    payload: str

    def as_dict(self) -> dict:
        return {"title": self.title, "payload": self.payload}

    @classmethod
    def from_dict(cls, data: dict) -> "Option":
        return cls(str(data.get("title", "")), str(data.get("payload", "")))


@dataclass
class Rendered:
    text: str
    options: List[Option] = field(default_factory=list)
    events: List[dict] = field(default_factory=list)

    def opened_ticket(self) -> Optional[str]:
        numbers = channel_events.opened_tickets(self.events)
        return numbers[0] if numbers else None

    def cancelled_draft(self) -> bool:
        return channel_events.has(self.events, channel_events.DRAFT_CANCELLED)


def render(messages: Iterable[dict]) -> Rendered:
    """Join the assistant's messages; list the buttons as numbered options after the text."""
    texts: List[str] = []
    options: List[Option] = []
    messages = list(messages or [])
    events = channel_events.read(messages)
    for message in messages:
        text = (message.get("text") or "").strip()
        if text:
            texts.append(text)
        if message.get("image"):
            texts.append(f"图片：{message['image']}")
        for button in message.get("buttons") or []:
            title = str(button.get("title") or "").strip()
            payload = str(button.get("payload") or title).strip()
            if title and payload:
                options.append(Option(title, payload))
    body = "\n".join(texts)
    if options:
        # The web page says "请点“确认提交”"; on WeChat the citizen replies with the number.
        for number, option in enumerate(options, 1):
            body = body.replace(f"点“{option.title}”", f"回复“{number}”")
        listing = "\n".join(f"回复{number}：{option.title}" for number, option in enumerate(options, 1))
        body = f"{body}\n{listing}" if body else listing
    return Rendered(body, options, events)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return text.rstrip("。.!！,，、 ")


def choose(text: str, options: List[Option]) -> Optional[str]:
    """The payload a reply picks: its number ("1", "１", "一") or the option's exact title."""
    if not options:
        return None
    reply = _normalise(text)
    number = int(reply) if reply.isdigit() and len(reply) <= 2 else _CHINESE_NUMERALS.get(reply)
    if number is not None:
        return options[number - 1].payload if 1 <= number <= len(options) else None
    for option in options:
        if reply == _normalise(option.title):
            return option.payload
    return None


def split(text: str, limit: int = TEXT_LIMIT_BYTES) -> List[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line breaks, else between characters."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text.encode("utf-8")) <= limit:
        return [text]
    pieces: List[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode("utf-8")) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while len(line.encode("utf-8")) > limit:
            head = _cut(line, limit)
            pieces.append(head)
            line = line[len(head):]
        current = line
    if current:
        pieces.append(current)
    return [p for p in (piece.strip() for piece in pieces) if p]


def _cut(line: str, limit: int) -> str:
    """The longest prefix of line within limit bytes (never splits a character)."""
    size = 0
    for index, char in enumerate(line):
        size += len(char.encode("utf-8"))
        if size > limit:
            return line[:index]
    return line
