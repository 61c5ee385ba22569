"""What the rule-based NLU components share: nothing to train, one message at a time, and the two
ways they change a message (a new first intent, an entity saying why)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

INTENT_RANKING = "intent_ranking"


class RuleComponent(GraphComponent):
    """Subclasses implement _apply(message); registration stays on each subclass."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RuleComponent":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._apply(message)
        return messages

    def process_training_data(self, training_data):  # noqa: D102 - nothing to learn
        return training_data

    @staticmethod
    def _apply(message: Message) -> None:
        raise NotImplementedError


def promote(message: Message, name: str, confidence: float, ranking: List[Dict[str, Any]]) -> None:
    """Make `name` the message's intent, first in the ranking; the classifier's ranking follows."""
    added = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    rest = [r for r in ranking if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, added, add_to_output=True)
    message.set(INTENT_RANKING, [added] + rest, add_to_output=True)


def add_entity(message: Message, entity: str, value: Any, extractor: str, **extra: Any) -> None:
    """An entity over the whole text that tells the dialogue why a component decided."""
    text = message.get(TEXT) or ""
    found = {"entity": entity, "value": value, "start": 0, "end": len(text), "extractor": extractor, **extra}
    message.set(ENTITIES, (message.get(ENTITIES) or []) + [found], add_to_output=True)
