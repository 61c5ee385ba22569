"""Call control: what the telephony side must do after a turn, and how a reply is read aloud.

What the assistant decided comes as events (bot/channel_events.py), never from its wording:
- Emergencies: a transfer event to 110/119/120/122 from the referral. The emergency safety net
  (bot.screening.emergency) run on the caller's transcript is the second opinion, so that a turn
  whose reply carried no transfer still gets a caller in danger to the right number.
- The human seat: the assistant's transfer event to "seat" (actions/seats.py), or 转人工 said or
  pressed (0) by the caller.
- Buttons become spoken options: 说“同意”或按1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from bot import channel_events
from bot.screening.emergency import detect
from bot.screening.referrals import emergency_referral

EMERGENCY_NUMBERS = channel_events.EMERGENCY_NUMBERS
SEAT = channel_events.SEAT
# The caller's own words (not the assistant's): a shortcut to a seat that needs no Rasa turn.
_ASKS_FOR_HUMAN = re.compile(r"(转|找|要|接)(人工|真人|客服人员|接线员)|人工(客服|服务|坐席|座席)")
_PUNCT = re.compile(r"[\s，。！？、,.!?；;：:“”\"']")


@dataclass
class BotReply:
    """The assistant's messages of one turn, as the phone uses them."""
    texts: List[str] = field(default_factory=list)
    buttons: List[Dict[str, str]] = field(default_factory=list)   # [{"title", "payload"}]
    events: List[Dict[str, Any]] = field(default_factory=list)    # bot/channel_events.py

    @classmethod
    def of(cls, messages: List[Dict[str, Any]]) -> "BotReply":
        reply = cls(events=channel_events.read(messages))
        for message in messages:
            if message.get("text"):
                reply.texts.append(str(message["text"]))
            for button in message.get("buttons") or []:
                reply.buttons.append({"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))})
        return reply

    @property
    def text(self) -> str:
        return "\n".join(t for t in self.texts if t)


@dataclass(frozen=True)
class Transfer:
    to: str                 # "110" / "119" / "120" / "122" / "seat"
    reason: str
    label: Optional[str] = None     # the assistant's reason for a seat ("reason_label"), for the seat

    def event(self) -> Dict[str, str]:
        event = {"event": "transfer", "to": self.to}
        if self.label:
            event["reason"] = self.label
        return event


def assistant_transfer(events: Iterable[Dict]) -> Optional[Transfer]:
    """The assistant's own transfer event (emergency referral or hand-off on the phone)."""
    found = channel_events.first_transfer(events)
    if found is None:
        return None
    return Transfer(found["to"], f"assistant:{found.get('reason') or ''}", found.get("reason_label"))


def screening_transfer(transcript: str) -> Optional[Transfer]:
    found = detect(transcript or "")
    if found:
        return Transfer(emergency_referral(found.kind).number, f"screening:{found.kind}")
    return None


def asked_transfer(transcript: str) -> Optional[Transfer]:
    return Transfer(SEAT, "asked") if _ASKS_FOR_HUMAN.search(transcript or "") else None


def decide(events: Iterable[Dict], transcript: str = "") -> Optional[Transfer]:
    """An emergency wins over everything else: the assistant's emergency transfer, else the
    screening of the transcript; then the assistant's transfer to a seat; then the caller's."""
    events = list(events or [])
    assistant = assistant_transfer(events)
    if assistant is not None and assistant.to in EMERGENCY_NUMBERS:
        return assistant
    return screening_transfer(transcript) or assistant or asked_transfer(transcript)


def spoken_reply(text: str, buttons: List[Dict[str, str]], option_template: str) -> str:
    """The reply followed by its buttons as spoken options, numbered for the keypad."""
    if not buttons:
        return text
    options = "，".join(option_template.format(title=b["title"], key=i) for i, b in enumerate(buttons, 1))
    return f"{text.rstrip()}\n请{options}。"


def button_for_speech(transcript: str, buttons: List[Dict[str, str]]) -> Optional[Dict[str, str]]:
    """A transcript that is exactly one option's title selects it (said 同意 -> /affirm)."""
    said = _PUNCT.sub("", transcript or "")
    for button in buttons:
        if said and said == _PUNCT.sub("", button["title"]):
            return button
    return None


def button_for_key(digit: str, buttons: List[Dict[str, str]]) -> Optional[Dict[str, str]]:
    if digit.isdigit() and 1 <= int(digit) <= len(buttons):
        return buttons[int(digit) - 1]
    return None
