"""Rasa NLU component: escalation triggers of bot.seats.triggers (distress, anger, matters
configured as needing a person).

It runs last in the pipeline, after the emergency safety net. When a trigger fires, the message's
intent becomes request_human (the dialogue then hands the conversation to a seat) and an entity
"escalation" says why: {"entity": "escalation", "value": <reason>, "detail": {...}, "original_intent": ...}.
The classifier's own ranking stays in intent_ranking, after request_human.

What may be overridden is bot.seats.triggers.may_override: never an emergency (110/119/120/122
come first, always), never a button payload.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.seats.triggers import REQUEST_HUMAN, detect, may_override
from components.rule_component import INTENT_RANKING, RuleComponent, add_entity, promote

ENTITY = "escalation"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EscalationNet(RuleComponent):
    @staticmethod
    def _apply(message: Message) -> None:
        intent: Dict[str, Any] = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        trigger = detect(message.get(TEXT) or "", name)
        if trigger is None or not may_override(name, trigger):
            return
        ranking: List[Dict[str, Any]] = message.get(INTENT_RANKING) or []
        promote(message, REQUEST_HUMAN, 1.0, ranking)
        add_entity(message, ENTITY, trigger.reason, "EscalationNet", detail=trigger.as_detail(), original_intent=name)
