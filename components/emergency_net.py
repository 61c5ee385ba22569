"""Rasa NLU component: the emergency safety net of bot.screening.emergency.

It runs after the intent classifier (and the fallback classifier) and can only ADD an emergency:
when the rules see fire, violence, a medical emergency or a traffic accident and the classifier
did not predict an emergency, the message's intent becomes the matching emergency_* intent.
A predicted emergency is never removed. Running here, not in an action, makes /model/parse and
the dialogue see the same decision.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.screening.emergency import detect, intent_for, kind_of_intent

INTENT_RANKING = "intent_ranking"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyNet(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EmergencyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._apply(message)
        return messages

    def process_training_data(self, training_data):  # noqa: D102 - nothing to learn
        return training_data

    @staticmethod
    def _apply(message: Message) -> None:
        intent: Optional[Dict[str, Any]] = message.get(INTENT)
        if intent and kind_of_intent(intent.get(INTENT_NAME_KEY)):
            return   # the classifier already sees an emergency; keep its kind
        match = detect(message.get(TEXT) or "")
        if match is None:
            return
        name = intent_for(match.kind)
        added = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [r for r in message.get(INTENT_RANKING) or [] if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, added, add_to_output=True)
        message.set(INTENT_RANKING, [added] + ranking, add_to_output=True)
