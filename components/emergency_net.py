"""Rasa NLU component: the emergency safety net of bot.screening.emergency.

It runs after the intent classifier (and the fallback classifier) and can only ADD an emergency:
when the rules see fire, violence, a medical emergency or a traffic accident and the classifier
did not predict an emergency, the message's intent becomes the matching emergency_* intent.
A predicted emergency is never removed. Running here, not in an action, makes /model/parse and
the dialogue see the same decision.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


from bot.screening.emergency import detect, intent_for, kind_of_intent
from components.rule_component import INTENT_RANKING, RuleComponent

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyNet(RuleComponent):
    @staticmethod
    def _apply(message: Message) -> None:
        intent: Optional[Dict[str, Any]] = message.get(INTENT)
        if intent and kind_of_intent(intent.get(INTENT_NAME_KEY)):
            return   # the classifier already sees an emergency; keep its kind
        ranking: List[Dict[str, Any]] = message.get(INTENT_RANKING) or []
        match = detect(message.get(TEXT) or "")
        if match is not None:
            EmergencyNet._promote(message, intent_for(match.kind), 1.0, ranking)
            return
        hesitated = _top_hidden_by_fallback(intent, ranking)
        if hesitated and kind_of_intent(hesitated.get(INTENT_NAME_KEY)):
            # The fallback classifier hid an emergency the classifier ranked first because it
            # was not sure: an unsure emergency is still an emergency.
            EmergencyNet._promote(message, hesitated[INTENT_NAME_KEY], hesitated.get(PREDICTED_CONFIDENCE_KEY, 0.0), ranking)

    @staticmethod
    def _promote(message: Message, name: str, confidence: float, ranking: List[Dict[str, Any]]) -> None:
        added = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        rest = [r for r in ranking if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, added, add_to_output=True)
        message.set(INTENT_RANKING, [added] + rest, add_to_output=True)


def _top_hidden_by_fallback(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The classifier's own first choice when FallbackClassifier replaced it with nlu_fallback."""
    if not intent or intent.get(INTENT_NAME_KEY) != FALLBACK_INTENT:
        return None
    real = [r for r in ranking if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
    return real[0] if real else None
