"""Why the router suggests what it suggests, in terms the office can check: the duty of the
catalogue (权责清单) the request matches best, the most similar labelled requests (past tickets the
office corrected, or the training examples), and the place rule that gave the 属地."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .catalogue import Catalogue
from .classifier import CentroidClassifier
from .neighbours import Neighbour
from .territory import Located

SIMILAR_SHOWN = 3
EXCERPT = 80


@dataclass(frozen=True)
class Explanation:
    duty: Optional[str]              # the lead department's duty the request matches best
    similar: Tuple[Neighbour, ...]   # nearest labelled requests of the lead department
    place: Optional[str]             # how the territory was found, or why it was not

    def to_json(self) -> Dict[str, Any]:
        return {
            "duty": self.duty,
            "similar": [{"text": _excerpt(n.example.text), "department": n.example.department,
                         "source": n.example.source, "ticket": n.example.ticket,
                         "similarity": round(n.similarity, 3)} for n in self.similar],
            "place": self.place,
        }


class DutyIndex:
    """Every duty line of every department as a tf-idf vector of the router's own n-gram space."""

    def __init__(self, catalogue: Catalogue, classifier: CentroidClassifier):
        self.classifier = classifier
        self._duties: Dict[str, List[Tuple[str, np.ndarray, np.ndarray]]] = {
            d.id: [(duty, *classifier.vector(duty.replace("：", "，"))) for duty in d.duties]
            for d in catalogue.departments}

    def best(self, text: str, department: str) -> Optional[str]:
        """The department's duty closest to the text; None when none shares a word with it."""
        index, weight = self.classifier.vector(text)
        query = dict(zip(index.tolist(), weight.tolist()))
        scored = [(sum(query.get(i, 0.0) * w for i, w in zip(di.tolist(), dw.tolist())), duty)
                  for duty, di, dw in self._duties.get(department, [])]
        score, duty = max(scored, default=(0.0, None))
        return duty if score > 0 else None


def explain(duties: DutyIndex, text: str, lead: str, nearest: Sequence[Neighbour],
            located: Located) -> Explanation:
    similar = tuple(n for n in nearest if n.example.department == lead)[:SIMILAR_SHOWN]
    return Explanation(duties.best(text, lead), similar, place_rule(located))


def place_rule(located: Located) -> Optional[str]:
    t = located.territory
    if t is not None:
        where = f"{t.district}{t.street}" if t.street else t.district
        return f"“{t.matched}”属于{where}，属地为{t.office}"
    if located.unknown_place:
        return f"“{located.unknown_place}”不在地名库中，属地请人工确定"
    return None


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
