"""Consultations answered from the knowledge base (bot/knowledge), before any ticket."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import knowledge_base

logger = logging.getLogger(__name__)

ANSWERED, OFFERED, NONE = "answered", "offered", "none"
SOLVED_BUTTONS = [{"title": "解决了", "payload": "/affirm"}, {"title": "没解决，帮我登记", "payload": "/deny"}]


def answer_text(hit) -> str:
    contact = f"{hit.department}，电话 {hit.phone}" if hit.phone else hit.department
    return f"{hit.answer}\n（{contact}）\n这个回答解决您的问题了吗？"


def offer_buttons(hits) -> List[Dict[str, str]]:
    buttons = [{"title": hit.question, "payload": f'/consult{{"kb_entry": "{hit.id}"}}'} for hit in hits]
    return buttons + [{"title": "都不是", "payload": "/deny"}]


class ActionAnswerConsultation(Action):
    def name(self) -> Text:
        return "action_answer_consultation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        chosen: Optional[str] = tracker.get_slot("kb_entry")
        question = tracker.get_slot("kb_question") if chosen else text
        outcome = self._respond(dispatcher, text, chosen)
        return [SlotSet("kb_outcome", outcome), SlotSet("kb_question", question), SlotSet("kb_entry", None)]

    @staticmethod
    def _respond(dispatcher: CollectingDispatcher, text: str, chosen: Optional[str]) -> str:
        if not chosen and (not text or text.startswith("/")):
            return NONE   # a button such as "咨询" says nothing to look up: the form asks
        try:
            kb = knowledge_base()
            if chosen:
                hit = kb.entry(chosen)
                if hit is not None:
                    dispatcher.utter_message(text=answer_text(hit), buttons=SOLVED_BUTTONS)
                    return ANSWERED
                return NONE
            decision = kb.decide(text)
        except Exception:  # noqa: BLE001 - a broken index must not break intake
            logger.exception("knowledge base unavailable; taking the consultation as a ticket")
            return NONE
        if decision.action == "answer":
            dispatcher.utter_message(text=answer_text(decision.best), buttons=SOLVED_BUTTONS)
            return ANSWERED
        if decision.action == "offer":
            dispatcher.utter_message(text="您想问的是不是下面这些问题？请点选一个：", buttons=offer_buttons(decision.hits))
            return OFFERED
        return NONE
