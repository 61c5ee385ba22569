"""Rasa NLU component: the emergency safety net of bot.screening.emergency, and the evidence.

It runs after the intent classifier (and the fallback classifier) and can only ADD an emergency:
when the rules see fire, violence, a medical emergency or a traffic accident and the classifier
did not predict an emergency (or predicted another kind), the message's intent becomes the
matching emergency_* intent. A predicted emergency is never removed.

Every emergency carries an entity "emergency_evidence" saying why: "rule" (the rules see a
situation happening now: the dialogue refers at once, even in the middle of a form) or
"classifier" (only the classifier suspects one: outside a form the dialogue asks one short check
question, inside a form the message is the answer to the form's question). Running here, not in an
action, makes /model/parse and the dialogue see the same decision.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screening.emergency import EVIDENCE_ENTITY, detect, detect_all, intent_for, kind_of_intent
from components.rule_component import INTENT_RANKING, RuleComponent, add_entity, promote

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyNet(RuleComponent):
    @staticmethod
    def _apply(message: Message) -> None:
        intent: Optional[Dict[str, Any]] = message.get(INTENT)
        ranking: List[Dict[str, Any]] = message.get(INTENT_RANKING) or []
        match = detect(message.get(TEXT) or "")
        if intent and kind_of_intent(intent.get(INTENT_NAME_KEY)):
            # The classifier already sees an emergency. Where the rules see only other kinds,
            # theirs comes first (一号楼起火了, 有人喊救命: 119 before 110).
            seen = [m.kind for m in detect_all(message.get(TEXT) or "")]
            if seen and kind_of_intent(intent.get(INTENT_NAME_KEY)) not in seen:
                promote(message, intent_for(seen[0]), 1.0, ranking)
            _evidence(message, "rule" if match else "classifier")
            return
        if match is not None:
            promote(message, intent_for(match.kind), 1.0, ranking)
            _evidence(message, "rule")
            return
        hesitated = _top_hidden_by_fallback(intent, ranking)
        if hesitated and kind_of_intent(hesitated.get(INTENT_NAME_KEY)):
            # The fallback classifier hid an emergency the classifier ranked first because it
            # was not sure: an unsure emergency is still worth the check question.
            promote(message, hesitated[INTENT_NAME_KEY], hesitated.get(PREDICTED_CONFIDENCE_KEY, 0.0), ranking)
            _evidence(message, "classifier")


def _evidence(message: Message, value: str) -> None:
    add_entity(message, EVIDENCE_ENTITY, value, "EmergencyNet")


def _top_hidden_by_fallback(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The classifier's own first choice when FallbackClassifier replaced it with nlu_fallback."""
    if not intent or intent.get(INTENT_NAME_KEY) != FALLBACK_INTENT:
        return None
    real = [r for r in ranking if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
    return real[0] if real else None
