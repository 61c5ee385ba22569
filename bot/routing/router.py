"""The router (智能派单): request text → lead department, co-handlers, confidence, 属地, and why.

Two views of the labelled requests vote together (eval/routing_eval.py measured the combination
against each alone and against logistic regressions): character n-gram centroids (classifier.py),
which hold the catalogue's own words, and the nearest labelled requests by sentence embedding
(neighbours.py), which hold what people mean in other words. Their log-probabilities are mixed
(router.centroid_weight) and recalibrated (router.calibration, fitted by cross-validation), so the
confidence is a probability: below router.abstain_below the router abstains and the office
dispatches by hand, with the top three shown.

The dialogue calls route(text, place) when it opens a ticket. The first call in a process builds
the router (the labelled texts' embeddings come from a disk cache, see neighbours.py); a request
then takes a few tens of milliseconds. Editing settings/departments.yml, a training file or the
learned corrections is picked up on the next call.
"""
from __future__ import annotations

import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import co_handlers
from .catalogue import Catalogue, Department, catalogue_path, load_catalogue
from .classifier import CentroidClassifier, Features, softmax
from .config import ENV_VARIABLES
from .errors import EmptyRequestError
from .explain import DutyIndex, Explanation, explain
from .neighbours import EmbeddingCache, Labelled, Neighbour, NeighbourVoter
from .territory import Located, PlaceMatcher, Territory
from .text import normalize, runs
from .training import labelled_examples

logger = logging.getLogger(__name__)
CANDIDATES = 3


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str
    hotline: Optional[str]
    confidence: float

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "name": self.name, "hotline": self.hotline}

    def scored_json(self) -> Dict[str, Any]:
        return dict(self.to_json(), confidence=round(self.confidence, 3))


@dataclass(frozen=True)
class RoutingDecision:
    candidates: Tuple[Suggestion, ...]    # the best three, best first: the lead is the first
    co_handlers: Tuple[Suggestion, ...]   # 协办 suggested beside the lead
    abstain: bool                         # confidence below the operating point: dispatch by hand
    located: Located
    why: Explanation

    @property
    def department(self) -> Suggestion:
        return self.candidates[0]

    @property
    def runner_up(self) -> Suggestion:
        return self.candidates[1]

    @property
    def confidence(self) -> float:
        return self.department.confidence

    @property
    def territory(self) -> Optional[Territory]:
        return self.located.territory

    def to_json(self) -> Dict[str, Any]:
        """The shape `hotline route --json` prints and the ticket stores (bot/tickets/suggestion.py)."""
        return {
            "department": self.department.to_json(),
            "confidence": round(self.confidence, 3),
            "runner_up": self.runner_up.scored_json(),
            "candidates": [c.scored_json() for c in self.candidates],
            "co_handlers": [c.scored_json() for c in self.co_handlers],
            "abstain": self.abstain,
            "territory": self.territory.to_json() if self.territory else None,
            "unknown_place": self.located.unknown_place,
            "why": self.why.to_json(),
        }


# Place names say where, not who, but the kind of place does say something: 江湾菜市场 is blanked
# down to 菜市场, 柳河中学 to 中学. Longest first.
PLACE_KINDS = tuple(sorted((
    "菜市场", "农贸市场", "市场", "集市", "小学", "中学", "大学城", "学校", "幼儿园", "医院", "卫生院",
    "公园", "广场", "水库", "大桥", "码头", "火车站", "火车北站", "汽车站", "工业园", "软件园", "宿舍",
    "家属院", "城墙", "文化宫", "百货大楼", "公寓"), key=len, reverse=True))


class Router:
    def __init__(self, catalogue: Catalogue, classifier: CentroidClassifier,
                 voter: Optional[NeighbourVoter] = None):
        self.catalogue = catalogue
        self.config = catalogue.router
        self.classifier = classifier
        self.voter = voter
        self.places = PlaceMatcher(catalogue.places, catalogue.offices)
        self.duties = DutyIndex(catalogue, classifier)
        self._departments: Dict[str, Department] = {d.id: d for d in catalogue.departments}

    @classmethod
    def build(cls, catalogue: Catalogue, extra_training: bool = True, encoder: Optional[str] = None,
              examples: Optional[Sequence[Labelled]] = None) -> "Router":
        """extra_training=False learns from the catalogue alone; encoder overrides router.encoder
        ("none": n-grams alone); examples replaces what is learned from (cross-validation, retrain)."""
        cfg = catalogue.router
        examples = list(examples) if examples is not None else labelled_examples(catalogue, extra_training)
        labels = [d.id for d in catalogue.departments]
        features = Features(cfg.ngram_min, cfg.ngram_max, cfg.filler_phrases)
        classifier = CentroidClassifier.fit([(e.text, e.department) for e in examples], labels, features)
        router = cls(catalogue, classifier)
        router.voter = router._voter(encoder or cfg.encoder, examples, labels)
        return router

    def _voter(self, encoder_name: str, examples: Sequence[Labelled],
               labels: Sequence[str]) -> Optional[NeighbourVoter]:
        if encoder_name == "none":
            return None
        try:
            from bot.knowledge.encoders import make_encoder
            cache = EmbeddingCache(make_encoder(encoder_name), self.config.cache_dir)
        except Exception:  # noqa: BLE001 - a missing encoder degrades dispatch, it must not stop it
            logger.exception("sentence encoder %r unavailable: routing by n-grams alone", encoder_name)
            return None
        return NeighbourVoter(cache, examples, labels, self.config.neighbours, self.config.neighbour_temperature,
                              prepare=self.without_places)

    # ------------------------------------------------------------------------------- scoring

    def probabilities(self, texts: Sequence[str]) -> Tuple[np.ndarray, List[List[Neighbour]]]:
        """Calibrated probability of every department (classifier.labels order) per text, and the
        nearest labelled requests (empty without an encoder)."""
        return self._probabilities([self.without_places(t) for t in texts])

    def _probabilities(self, stripped: Sequence[str]) -> Tuple[np.ndarray, List[List[Neighbour]]]:
        """probabilities() of texts whose place names are already blanked (without_places)."""
        cfg = self.config
        centroid = np.array([softmax(self.classifier.similarities(t), cfg.temperature) for t in stripped])
        if self.voter is None:
            logits, nearest = np.log(centroid + 1e-9), [[] for _ in stripped]
        else:
            votes, nearest = self.voter.votes(stripped)
            logits = cfg.centroid_weight * np.log(centroid + 1e-9) + (1 - cfg.centroid_weight) * np.log(votes + 1e-4)
        z = logits / cfg.calibration
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True), nearest

    def rank(self, text: str) -> List[Suggestion]:
        """Every department with its confidence, best first."""
        _require_text(text, self.config.filler_phrases)
        probs = self.probabilities([text])[0][0]
        return self._ranked(probs)

    def route(self, text: str, place: Optional[str] = None) -> RoutingDecision:
        """The suggestion for a request; place is the citizen's answer to "where" when there is one."""
        _require_text(text, self.config.filler_phrases)
        stripped = self.without_places(text)
        (probs,), (nearest,) = self._probabilities([stripped])
        ranked = self._ranked(probs)
        lead = ranked[0]
        located = self.places.locate(text, place)
        return RoutingDecision(
            candidates=tuple(ranked[:CANDIDATES]),
            co_handlers=self._co_handlers(text, probs, lead.id),
            abstain=lead.confidence < self.config.abstain_below or not self._shares_words(stripped),
            located=located,
            why=explain(self.duties, stripped, lead.id, nearest, located))

    def _shares_words(self, stripped: str) -> bool:
        """Whether the request (place names blanked) has a single n-gram of the catalogue and
        training texts. Without one the neighbours still find a nearest text (some text is always
        nearest), so a confident guess on gibberish or a foreign language would otherwise reach a
        department."""
        index, _ = self.classifier.vector(stripped)
        return index.size > 0

    def territory(self, text: str, place: Optional[str] = None) -> Optional[Territory]:
        """属地 from the place the citizen gave (the form's answer) first, then from the request text."""
        return self.places.locate(text, place).territory

    def _co_handlers(self, text: str, whole: np.ndarray, lead: str) -> Tuple[Suggestion, ...]:
        cfg, labels = self.config, self.classifier.labels
        pieces = co_handlers.clauses(text)
        if not pieces or cfg.co_handlers_max == 0:
            return ()
        per_clause, _ = self.probabilities(pieces)
        chosen = co_handlers.pick(whole, per_clause, labels.index(lead), cfg.co_handler_clause,
                                  cfg.co_handler_share, cfg.co_handlers_max)
        return tuple(self._suggestion(labels[j], float(whole[j])) for j in chosen)

    def _ranked(self, probs: np.ndarray) -> List[Suggestion]:
        order = np.argsort(-probs, kind="stable")
        return [self._suggestion(self.classifier.labels[i], float(probs[i])) for i in order]

    def without_places(self, text: str) -> str:
        """A road or compound name says where, not who: 幸福里小区 must not vote for any department.
        Blanked with a separator (keeping the kind of place, PLACE_KINDS) so the words on either
        side do not join into a new n-gram."""
        text = unicodedata.normalize("NFKC", text)       # find_all reports positions in this form
        for match in sorted(self.places.find_all(text), key=lambda m: -m.start):
            kind = next((k for k in PLACE_KINDS if match.matched.endswith(k)), "")
            text = text[:match.start] + f"，{kind}，" + text[match.start + len(match.matched):]
        return text

    def _suggestion(self, dept_id: str, confidence: float) -> Suggestion:
        dept = self._departments[dept_id]
        return Suggestion(dept.id, dept.name, dept.hotline, confidence)


def _require_text(text: str, fillers) -> None:
    """Nothing but spaces, punctuation or pleasantries is not a request anyone can dispatch."""
    if not isinstance(text, str) or not runs(normalize(text, fillers)):
        raise EmptyRequestError()


# ------------------------------------------------------------------------ the shared, cached router

_LOCK = threading.Lock()
_cached: Optional[Tuple[Tuple, Router]] = None    # (fingerprint, router): one catalogue per process


def load_router(path: Optional[Path] = None) -> Router:
    """The router for a catalogue file, rebuilt only when that file, one of its training files or a
    HOTLINE_ROUTING_* variable changed since it was built."""
    global _cached
    path = Path(path) if path else catalogue_path()
    with _LOCK:
        if _cached is not None and _cached[0] == _fingerprint(path, _cached[1].catalogue):
            return _cached[1]
        router = Router.build(load_catalogue(path))
        _cached = (_fingerprint(path, router.catalogue), router)
        return router


def route(text: str, place: Optional[str] = None) -> RoutingDecision:
    """Route one request with the configured catalogue. Raises EmptyRequestError for blank text
    and CatalogueError when settings/departments.yml does not validate."""
    return load_router().route(text, place)


def _fingerprint(path: Path, catalogue: Catalogue) -> Tuple:
    cfg = catalogue.router
    files = (path, *cfg.training_files, *([cfg.learned_file] if cfg.learned_file else []))
    return (str(path), tuple(os.environ.get(v, "") for v in ENV_VARIABLES), tuple((str(f), _mtime(f)) for f in files))


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1
