from typing import Dict, List, Optional

from rasa_sdk import Tracker


def tracker(text: str = "", intent: str = "complain", ranking: Optional[List[Dict]] = None,
            slots: Optional[Dict] = None, sender: str = "web-user-1", channel: str = "socketio",
            events: Optional[List[Dict]] = None, metadata: Optional[Dict] = None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "metadata": metadata or {},
              "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}], "entities": []}
    return Tracker.from_dict({
        "sender_id": sender, "slots": slots or {}, "latest_message": latest,
        "events": events or [{"event": "user", "text": text, "parse_data": latest,
                              "input_channel": channel}],
        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
        "latest_input_channel": channel,
    })


def slot_events(events) -> Dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
