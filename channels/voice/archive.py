"""Each call's audio and transcript, archived with the ticket it opened (seed 004: 档案管理).

var/calls/<call-id>/
    caller.wav         what the caller said (the transport's sample rate)
    assistant.wav      what the assistant played
    transcript.jsonl   one record per turn and event, the archive of record
    transcript.txt     a readable view with phone and ID numbers masked (for people browsing it)
    meta.json          call id, transport, times, masked caller number, tickets, outcome
var/calls/by-ticket/<ticket-number>.json  ->  {"call_id": ..., "path": ...}

A call is linked to a ticket when the assistant's ticket_opened event says so (bot/channel_events.py),
never from the reply's wording: a caller who dictates "工单编号：…" into a description links nothing.

The caller's number is stored masked only: the ticket holds the contact number the caller gave.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from typing import Dict, Optional

from bot.privacy import mask_phone, mask_text
from speech.audio import WavWriter

_SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")


def safe_call_id(call_id: str) -> str:
    cleaned = _SAFE_ID.sub("-", call_id or "")[:80].strip(".-")
    if not cleaned:
        raise ValueError(f"unusable call id {call_id!r}")
    return cleaned


class CallArchive:
    def __init__(self, root: Path, call_id: str, transport: str, rate: int, caller: Optional[str] = None):
        self.root = Path(root)
        self.call_id = safe_call_id(call_id)
        self.path = self.root / self.call_id
        self.path.mkdir(parents=True, exist_ok=True)
        self._started = time.monotonic()
        self.meta: Dict = {
            "call_id": self.call_id, "transport": transport, "sample_rate": rate,
            "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "caller": mask_phone(caller) if caller else None, "tickets": [], "outcome": None,
        }
        self._caller = WavWriter(self.path / "caller.wav", rate)
        self._assistant = WavWriter(self.path / "assistant.wav", rate)
        self._jsonl = open(self.path / "transcript.jsonl", "a", encoding="utf-8")
        self._text = open(self.path / "transcript.txt", "a", encoding="utf-8")
        self._closed = False
        self._write_meta()

    def set_caller(self, caller: Optional[str]) -> None:
        if caller:
            self.meta["caller"] = mask_phone(caller)
            self._write_meta()

    def caller_audio(self, pcm: bytes) -> None:
        if not self._closed:
            self._caller.write(pcm)

    def assistant_audio(self, pcm: bytes) -> None:
        if not self._closed:
            self._assistant.write(pcm)

    def record(self, speaker: str, text: str = "", **extra) -> None:
        if self._closed:
            return
        offset = round(time.monotonic() - self._started, 2)
        entry = {"t": offset, "speaker": speaker, "text": text, **extra}
        self._jsonl.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._jsonl.flush()
        shown = mask_text(text) if text else json.dumps(extra, ensure_ascii=False)
        self._text.write(f"[{offset:7.2f}] {speaker}: {shown}\n")
        self._text.flush()

    def link_ticket(self, number: str) -> None:
        if self._closed or not number.isdigit() or number in self.meta["tickets"]:
            return
        self.meta["tickets"].append(number)
        index = self.root / "by-ticket"
        index.mkdir(parents=True, exist_ok=True)
        (index / f"{number}.json").write_text(
            json.dumps({"ticket": number, "call_id": self.call_id, "path": str(self.path)}, ensure_ascii=False),
            encoding="utf-8")
        self._write_meta()

    def close(self, outcome: Optional[Dict] = None) -> None:
        if self._closed:
            return
        self.meta["outcome"] = outcome
        self.meta["ended_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.meta["duration_s"] = round(time.monotonic() - self._started, 2)
        self._caller.close()
        self._assistant.close()
        self._jsonl.close()
        self._text.close()
        self._closed = True
        self._write_meta()

    def _write_meta(self) -> None:
        tmp = self.path / "meta.json.tmp"
        tmp.write_text(json.dumps(self.meta, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.path / "meta.json")


def call_for_ticket(root: Path, number: str) -> Optional[Dict]:
    """The archived call that opened a ticket, if any."""
    link = Path(root) / "by-ticket" / f"{number}.json"
    if not link.exists():
        return None
    return json.loads(link.read_text(encoding="utf-8"))
