"""Reading the citizen's latest message as Rasa hands it to an action (shared by the actions)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional


def channel_of(tracker) -> str:
    """The front end the citizen used: the gateways name it in the message metadata (wechat,
    voice, web); otherwise Rasa's input channel (socketio, rest)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return str(metadata.get("channel") or tracker.get_latest_input_channel() or "unknown")[:40]


def entity_value(message: Dict[str, Any], name: str) -> Optional[Any]:
    """The value of the first entity called `name` in a parsed message, or None."""
    return next((e.get("value") for e in message.get("entities") or [] if e.get("entity") == name), None)


def count_since(events: List[Dict[str, Any]], started_by: str, kind: str, name: Optional[str] = None) -> int:
    """How many events of `kind` (and `name`, for actions) the tracker holds since the action
    `started_by` last ran: the tries of a lookup or a rating so far."""
    count = 0
    for event in events:
        if event.get("event") == "action" and event.get("name") == started_by:
            count = 0
        elif event.get("event") == kind and (name is None or event.get("name") == name):
            count += 1
    return count
