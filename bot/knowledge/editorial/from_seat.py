"""A good seat answer turned into a draft entry: the citizen's question and what the seat said.

Read from the conversation's events (Rasa's tracker JSON, fetched by the caller: the domain knows
no channel): the seat's words are bot events whose metadata names the seat; the question is what
the citizen typed last before the seat first spoke (button payloads and the console's external
events left out). Personal data is masked: a phone number or name said in one conversation must
not end up in an entry read to every citizen.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from bot.privacy import mask_text

from .drafts import MAX_ANSWER, MAX_QUESTION


def _is_citizen_text(event: Dict[str, Any]) -> bool:
    text = str(event.get("text") or "")
    external = bool((event.get("metadata") or {}).get("is_external")) or text.startswith("EXTERNAL")
    return event.get("event") == "user" and bool(text.strip()) and not text.startswith("/") and not external


def _seat_of(event: Dict[str, Any]) -> Optional[str]:
    return (event.get("metadata") or {}).get("seat") if event.get("event") == "bot" else None


def seat_answer(events: Iterable[Dict[str, Any]], seat: Optional[str] = None) -> Dict[str, Any]:
    """{"question", "answer", "alternatives", "seat"} — empty strings when the conversation has none."""
    question, asked_before_seat, said = "", [], []
    who = seat
    for event in events:
        if _is_citizen_text(event) and not said:
            asked_before_seat.append(str(event["text"]).strip())
        speaker = _seat_of(event)
        if speaker and (who is None or speaker == who):
            who = speaker
            text = str((event.get("metadata") or {}).get("seat_text") or event.get("text") or "").strip()
            if text:
                said.append(text)
    if asked_before_seat:
        question = asked_before_seat[-1]
    others = [q for q in asked_before_seat[:-1] if len(q) >= 4][-3:]
    return {"question": mask_text(question)[:MAX_QUESTION],
            "alternatives": [mask_text(q)[:MAX_QUESTION] for q in others],
            "answer": mask_text("".join(said))[:MAX_ANSWER], "seat": who}


def draft(events: List[Dict[str, Any]], seat: Optional[str], queue_id: int,
          nearest: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A proposal body for the office to edit (POST /api/kb/proposals), with where it came from."""
    found = seat_answer(events, seat)
    return {"question": found["question"], "alternatives": found["alternatives"], "answer": found["answer"],
            "phone": "12345", "source": f"热线坐席答复（{found['seat'] or '坐席'}）", "valid_until": None,
            "origin": {"seat_queue_id": queue_id}, "nearest": nearest}


def queue_conversation(engine: Any, queue_id: int) -> Optional[Dict[str, Any]]:
    """The conversation behind a seat queue entry: {"sender_id", "seat", "status"}, None if unknown."""
    from sqlalchemy.orm import Session

    from bot.seats.models import QueueEntry
    with Session(engine) as session:
        entry = session.get(QueueEntry, queue_id)
        if entry is None:
            return None
        return {"sender_id": entry.sender_id, "seat": entry.taken_by, "status": entry.status}
