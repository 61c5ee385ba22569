"""The router (智能派单): request text → suggested department, confidence, runner-up, 属地.

The dialogue calls route(text) when it opens a ticket. The first call builds the router from the
catalogue and training files (a fraction of a second); later calls take well under a millisecond
of model time. Editing settings/departments.yml or a training file is picked up on the next call.
"""
from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from .catalogue import Catalogue, Department, catalogue_path, load_catalogue
from .classifier import CentroidClassifier, Features, softmax
from .config import ENV_VARIABLES
from .errors import EmptyRequestError
from .territory import PlaceMatcher, Territory
from .text import normalize, runs
from .training import catalogue_examples, load_requests


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str
    hotline: Optional[str]
    confidence: float

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "name": self.name, "hotline": self.hotline}


@dataclass(frozen=True)
class RoutingDecision:
    department: Suggestion
    runner_up: Suggestion
    territory: Optional[Territory]
    needs_review: bool        # confidence below router.review_below: a dispatcher should check

    @property
    def confidence(self) -> float:
        return self.department.confidence

    def to_json(self) -> Dict[str, Any]:
        """The shape `hotline route --json` prints and other parts store."""
        runner_up = dict(self.runner_up.to_json(), confidence=round(self.runner_up.confidence, 3))
        return {
            "department": self.department.to_json(),
            "confidence": round(self.confidence, 3),
            "runner_up": runner_up,
            "territory": self.territory.to_json() if self.territory else None,
        }


class Router:
    def __init__(self, catalogue: Catalogue, classifier: CentroidClassifier):
        self.catalogue = catalogue
        self.classifier = classifier
        self.places = PlaceMatcher(catalogue.places, catalogue.offices)
        self._departments: Dict[str, Department] = {d.id: d for d in catalogue.departments}

    @classmethod
    def build(cls, catalogue: Catalogue, extra_training: bool = True) -> "Router":
        """extra_training=False learns from the catalogue alone (used by the eval's ablation)."""
        cfg = catalogue.router
        examples = catalogue_examples(catalogue)
        if extra_training:
            examples += load_requests(cfg.training_files, catalogue)
        features = Features(cfg.ngram_min, cfg.ngram_max, cfg.filler_phrases)
        labels = [d.id for d in catalogue.departments]
        return cls(catalogue, CentroidClassifier.fit(examples, labels, features))

    def rank(self, text: str) -> List[Suggestion]:
        """Every department with its confidence, best first."""
        _require_text(text, self.catalogue.router.filler_phrases)
        probs = softmax(self.similarities(text), self.catalogue.router.temperature)
        order = np.argsort(-probs, kind="stable")
        return [self._suggestion(self.classifier.labels[i], float(probs[i])) for i in order]

    def similarities(self, text: str) -> np.ndarray:
        """Cosine similarity to every department (in classifier.labels order), place names left out."""
        return self.classifier.similarities(self._without_places(text))

    def route(self, text: str) -> RoutingDecision:
        best, second = self.rank(text)[:2]
        return RoutingDecision(best, second, self.territory(text),
                               needs_review=best.confidence < self.catalogue.router.review_below)

    def territory(self, text: str, place: Optional[str] = None) -> Optional[Territory]:
        """属地 from the place the citizen gave (the form's answer) first, then from the request text."""
        return self.places.locate(text, place).territory

    def _without_places(self, text: str) -> str:
        """A road or compound name says where, not who: 幸福里小区 must not vote for any department.
        Blanked with a separator so the words on either side do not join into a new n-gram."""
        text = unicodedata.normalize("NFKC", text)       # find_all reports positions in this form
        for match in sorted(self.places.find_all(text), key=lambda m: -m.start):
            text = text[:match.start] + "，" + text[match.start + len(match.matched):]
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


def route(text: str) -> RoutingDecision:
    """Route one request with the configured catalogue. Raises EmptyRequestError for blank text
    and CatalogueError when settings/departments.yml does not validate."""
    return load_router().route(text)


def _fingerprint(path: Path, catalogue: Catalogue) -> Tuple:
    files = (path, *catalogue.router.training_files)
    return (str(path), tuple(os.environ.get(v, "") for v in ENV_VARIABLES), tuple((str(f), _mtime(f)) for f in files))


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1
