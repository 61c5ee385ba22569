"""What the rule-based NLU components share: nothing to train, one message at a time."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
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
