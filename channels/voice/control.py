"""Call control: what the telephony side must do after a turn, and how a reply is read aloud.

- Emergencies: the bot's reply names the number first (请立即拨打119（…）); the emergency safety
  net (bot.screening.emergency) run on the transcript is the second opinion, so that a reply that
  failed to name a number still gets the caller to 110/119/120/122.
- The human seat: the assistant's own transfer request (a custom message {"event": "transfer",
  "to": "seat", "reason", "reason_label"} from actions/seats.py), 转人工 said or pressed (0), or the
  bot's hand-off message.
- Buttons become spoken options: 说“同意”或按1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from bot.screening.emergency import detect
from bot.screening.referrals import emergency_referral
from bot.settings import hotline_settings

EMERGENCY_NUMBERS = ("110", "119", "120", "122")
SEAT = "seat"
_REPLY_EMERGENCY = re.compile(r"请立即拨打(110|119|120|122)")
_ASKS_FOR_HUMAN = re.compile(r"(转|找|要|接)(人工|真人|客服人员|接线员)|人工(客服|服务|坐席|座席)")
_PUNCT = re.compile(r"[\s，。！？、,.!?；;：:“”\"']")


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


def emergency_transfer(reply_text: str, transcript: str = "") -> Optional[Transfer]:
    match = _REPLY_EMERGENCY.search(reply_text or "")
    if match:
        return Transfer(match.group(1), "reply")
    found = detect(transcript or "")
    if found:
        return Transfer(emergency_referral(found.kind).number, f"screening:{found.kind}")
    return None


def requested_transfer(custom: Iterable[Dict]) -> Optional[Transfer]:
    """The assistant asked for a transfer itself (actions/seats.py on the voice channel): a custom
    message {"event": "transfer", "to": "seat", "reason", "reason_label"}."""
    for message in custom or []:
        if isinstance(message, dict) and message.get("event") == "transfer" and message.get("to"):
            to = str(message["to"])
            if to == SEAT or to in EMERGENCY_NUMBERS:
                return Transfer(to, f"assistant:{message.get('reason') or ''}", message.get("reason_label"))
    return None


def handoff_transfer(reply_text: str, transcript: str = "") -> Optional[Transfer]:
    if _ASKS_FOR_HUMAN.search(transcript or ""):
        return Transfer(SEAT, "asked")
    handoff = hotline_settings().handoff_message.strip()
    if handoff and handoff in (reply_text or ""):
        return Transfer(SEAT, "handoff")
    return None


def decide(reply_text: str, transcript: str = "", custom: Iterable[Dict] = ()) -> Optional[Transfer]:
    """Emergencies win over everything else; then the assistant's own request; then the caller's."""
    return (emergency_transfer(reply_text, transcript) or requested_transfer(custom)
            or handoff_transfer(reply_text, transcript))


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
