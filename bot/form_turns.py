"""What a citizen's message is while the ticket form waits for one of its facts.

A seat who has just asked 「事情发生在什么地方？」 takes 「人民路和解放路交叉口」 as the place, whatever a
classifier would call it out of context. So inside the form the message is the answer, unless
something stronger is true:
- the emergency rules (bot.screening.emergency) see a situation happening now: refer at once;
- the citizen clearly stops, asks for a person, corrects an earlier field, asks whether this is a
  machine, or presses a button: the dialogue's own rules take over;
- the citizen asks a question of their own that is no answer to the one asked: answer it (or note
  it) and ask again;
- the citizen only greets (「你好」, 「在吗」): greet back and ask again.
A classifier-only emergency or not-accepted guess never interrupts: it is the answer.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Optional, Pattern

from bot.intake_text import looks_like_question, plausible_answer
from bot.screening.emergency import detect, kind_of_intent

ANSWER, INTERRUPT, QUESTION, GREETING = "answer", "interrupt", "question", "greeting"

# A message that only greets or checks someone is there (after a seat hands back, after a pause):
# it answers nothing, so the form greets back and asks its question again.
_GREETING_ONLY = re.compile(r"^(你好|您好|你们好|喂+|哈喽|hello|hi|在吗|在不在|有人吗|还在吗|请问)"
                            r"[呀啊吗呢嘛哈喂?？!！。，,.~～\s]*$", re.IGNORECASE)

# The intents that may interrupt, each with the words that make it clear. A classifier's "stop" on
# 「不用了，就在小区门口」 is not enough; 「算了不办了」 is.
_CLEARLY: Mapping[str, Pattern[str]] = {
    "stop": re.compile(r"(不办了|不登记了|不用登记|不用办了|取消|算了|不要了|不想(办|登记|弄|反映|投诉|举报)了|撤销|"
                       r"不弄了|先不(办|登记|弄)|结束|退出|不说了|不反映了|不投诉了|不举报了)"),
    "request_human": re.compile(r"(人工|真人|转人|接线员|客服人员|坐席|话务员|找个人|跟人说|活人|换个人)"),
    "correct_field": re.compile(r"(改一下|改成|要改|修改|写错|说错|填错|记错|错了|不对|更正|重新填|重填|纠正)"),
    "bot_challenge": re.compile(r"(机器人|人工智能|AI|ai|是人吗|真人吗|智能客服|自动回复)"),
    "request_callback": re.compile(r"(回电|打回来|回个电话|给我回电话|打给我)"),
}
# Intents raised by the seat console, never typed by a citizen: always take over.
_SYSTEM_INTENTS = {"EXTERNAL_seat_handback", "EXTERNAL_queue_timeout"}
# An escalation trigger (distress, anger) from the NLU: a person is needed now.
ESCALATION_ENTITY = "escalation"


def read_turn(slot: str, text: str, intent: Optional[str], entity_names: Iterable[str] = ()) -> str:
    """ANSWER, INTERRUPT, QUESTION or GREETING for a message received while the form asks for `slot`."""
    text = (text or "").strip()
    if text.startswith("/") or intent in _SYSTEM_INTENTS:
        return INTERRUPT   # buttons and console events mean what they say
    if kind_of_intent(intent) and detect(text) is not None:
        return INTERRUPT
    if intent == "request_human" and ESCALATION_ENTITY in set(entity_names):
        return INTERRUPT
    clearly = _CLEARLY.get(intent or "")
    if clearly is not None and clearly.search(text):
        return INTERRUPT
    if _GREETING_ONLY.match(text):
        return GREETING
    if looks_like_question(text) and not plausible_answer(slot, text):
        return QUESTION
    return ANSWER
