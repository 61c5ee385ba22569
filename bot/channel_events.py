"""The contract between the assistant and its channels: machine-readable events beside the text.

Channels act on what happened (a ticket was opened, the caller must be put through to 119, the
conversation waits for a seat), never on the wording of a reply: a citizen's own words quoted in a
reply ("…工单编号：202611220007") must not move a channel, and a reworded sentence must not break one.

An action sends an event as a Rasa custom payload, always in the same envelope:

    dispatcher.utter_message(text=..., json_message=envelope(ticket_opened(...)))

Rasa's REST channel (voice and WeChat gateways) returns it as {"custom": {"data": EVENT}}; its
socket.io channel (web page) emits the bot_uttered payload EVENT itself, because it passes the
custom payload's keys to socket.io's emit() (only "data" and "room" are accepted there).

Events (every one has "event"; the other keys are the event's own):
    ticket_opened    number, deadline (ISO date), request_type, follow_up_of (or null)
    draft_cancelled  -
    transfer         to ("110" | "119" | "120" | "122" | "seat"), reason, reason_label (or null)
    handoff_queued   position (how many are ahead)
    handoff_resumed  -  (the seat gave the conversation back to the assistant)
    handoff_expired  -  (nobody took it in time)
    ticket_shown     number, rateable (a ticket's status was shown to its owner; the assistant
                     itself reads it back to let the owner rate it without proving it again)
    seat_message     seat (the seat's work number), text (a person's words, not the assistant's:
                     the web page shows them in the seat's colour with the work number)
    summary_shown    -  (the request's summary was shown for confirmation: a channel shows the
                     evidence it holds for the request with it)

`read()` is the one way a channel gets them back: it accepts only these names and shapes, so a
malformed payload is dropped rather than acted on.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, List, Optional

TICKET_OPENED = "ticket_opened"
DRAFT_CANCELLED = "draft_cancelled"
TRANSFER = "transfer"
HANDOFF_QUEUED = "handoff_queued"
HANDOFF_RESUMED = "handoff_resumed"
HANDOFF_EXPIRED = "handoff_expired"
TICKET_SHOWN = "ticket_shown"
SEAT_MESSAGE = "seat_message"
SUMMARY_SHOWN = "summary_shown"

SEAT = "seat"
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
TRANSFER_TARGETS = EMERGENCY_NUMBERS + (SEAT,)

Event = Dict[str, Any]


# ------------------------------------------------------------------ what the actions send

def ticket_opened(number: str, deadline: dt.date, request_type: str, follow_up_of: Optional[str] = None) -> Event:
    return {"event": TICKET_OPENED, "number": str(number), "deadline": deadline.isoformat(),
            "request_type": request_type, "follow_up_of": follow_up_of}


def draft_cancelled() -> Event:
    return {"event": DRAFT_CANCELLED}


def transfer(to: str, reason: str, reason_label: Optional[str] = None) -> Event:
    if to not in TRANSFER_TARGETS:
        raise ValueError(f"no transfer to {to!r}")
    return {"event": TRANSFER, "to": to, "reason": reason, "reason_label": reason_label}


def handoff_queued(position: int) -> Event:
    return {"event": HANDOFF_QUEUED, "position": int(position)}


def handoff_resumed() -> Event:
    return {"event": HANDOFF_RESUMED}


def handoff_expired() -> Event:
    return {"event": HANDOFF_EXPIRED}


def ticket_shown(number: str, rateable: bool) -> Event:
    return {"event": TICKET_SHOWN, "number": str(number), "rateable": bool(rateable)}


def seat_message(seat: str, text: str) -> Event:
    return {"event": SEAT_MESSAGE, "seat": str(seat), "text": str(text)}


def summary_shown() -> Event:
    return {"event": SUMMARY_SHOWN}


def envelope(event: Event) -> Dict[str, Event]:
    """The json_message an action sends (see the module docstring for why "data")."""
    return {"data": event}


# ------------------------------------------------------------------ what the channels read

def _valid(event: Any) -> bool:
    if not isinstance(event, dict):
        return False
    name = event.get("event")
    if name in (TICKET_OPENED, TICKET_SHOWN):
        number = event.get("number")
        return isinstance(number, str) and number.isdigit() and 8 <= len(number) <= 20
    if name == TRANSFER:
        return event.get("to") in TRANSFER_TARGETS
    if name == SEAT_MESSAGE:
        return isinstance(event.get("seat"), str) and bool(event["seat"]) and isinstance(event.get("text"), str)
    if name == HANDOFF_QUEUED:
        return isinstance(event.get("position"), int) and event["position"] >= 0
    return name in (DRAFT_CANCELLED, HANDOFF_RESUMED, HANDOFF_EXPIRED, SUMMARY_SHOWN)


def read(messages: Iterable[Any]) -> List[Event]:
    """The events in a turn's messages, in order: REST messages ({"custom": {"data": EVENT}}),
    bare custom payloads ({"data": EVENT}) or events themselves."""
    events: List[Event] = []
    for message in messages or []:
        if not isinstance(message, dict):
            continue
        payload = message.get("custom", message)
        if isinstance(payload, dict) and "data" in payload:
            payload = payload["data"]
        if _valid(payload):
            events.append(payload)
    return events


def opened_tickets(events: Iterable[Event]) -> List[str]:
    return [e["number"] for e in events if e.get("event") == TICKET_OPENED]


def first_transfer(events: Iterable[Event]) -> Optional[Event]:
    return next((e for e in events if e.get("event") == TRANSFER), None)


def has(events: Iterable[Event], name: str) -> bool:
    return any(e.get("event") == name for e in events)
