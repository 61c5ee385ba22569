"""What the dialogue calls: search the knowledge base and decide how to respond.

    kb = KnowledgeBase.open()                 # settings/knowledge.yml + HOTLINE_KB_* env
    kb.search("社保卡丢了咋办", k=3)          # -> list[Hit], best first
    kb.decide("社保卡丢了咋办")               # -> Decision: answer / offer (top 3) / none
    kb.entry("sscard-lost-replace")           # -> Hit | None: the entry behind an offered button

A stale or mismatched index is never searched: open() rebuilds it (index.on_stale: rebuild)
or raises StaleIndexError (on_stale: refuse).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Literal, Sequence

import faiss

from . import index as index_mod
from .encoders import QUERY, Encoder, make_encoder
from .errors import IndexMissingError, StaleIndexError
from .index import MANIFEST_FILE, KnowledgeIndex, Progress, SyncReport
from .settings import KBSettings, load_settings
from .source import KnowledgeSource, checksum, load_source

log = logging.getLogger(__name__)
ANSWER, OFFER, NONE = "answer", "offer", "none"
Action = Literal["answer", "offer", "none"]


@dataclass(frozen=True)
class Hit:
    id: str
    question: str
    answer: str
    department: str
    phone: str
    source: str
    score: float

    def to_json(self) -> dict:
        """The shape `kb search --json` prints."""
        return {"id": self.id, "question": self.question, "answer": self.answer,
                "department": self.department, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Decision:
    """How the dialogue should respond to one question.

    answer: hits[0] is confident enough to read out, then ask whether that solved it.
    offer:  hits are the top candidates to show as buttons ("是不是想问…").
    none:   nothing close enough; go to the ticket form. hits are kept for logging only.
    """

    action: Action
    hits: tuple[Hit, ...] = field(default=())

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


def decide_from_hits(hits: Sequence[Hit], s: KBSettings) -> Decision:
    """The threshold rule, separate from search so the evaluation can replay it."""
    if not hits or hits[0].score < s.offer_threshold:
        return Decision(NONE, tuple(hits))
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if hits[0].score >= s.answer_threshold and hits[0].score - runner_up >= s.margin:
        return Decision(ANSWER, (hits[0],))
    return Decision(OFFER, tuple(hits[: s.k]))


class KnowledgeBase:
    def __init__(self, settings: KBSettings, source: KnowledgeSource, index: KnowledgeIndex,
                 encoder: Encoder):
        self.settings = settings
        self.source = source
        self.index = index
        self.encoder = encoder
        self._entries = source.by_id()
        # The e5 engine is a C library with one model state: one encode at a time per process.
        self._lock = threading.Lock()
        self._manifest_mtime = _mtime(settings.index_dir / MANIFEST_FILE)

    @classmethod
    def open(cls, settings: KBSettings | None = None, progress: Progress | None = None) -> "KnowledgeBase":
        s = settings or load_settings()
        source = load_source(s.source_dir)
        encoder = make_encoder(s.encoder, s.model, s.threads, s.weights)
        # One caller's question at a time: more FAISS threads only add hand-over cost (measured
        # 6.3 ms with 1 thread against 11.3 ms with 2 for one query over 50,000 vectors).
        faiss.omp_set_num_threads(max(1, s.faiss_threads))
        # The first encoder calls load weights lazily (~0.2 s); pay that here, not on a caller.
        encoder.encode(["你好", "社保卡怎么办理"])
        try:
            idx = KnowledgeIndex.load(s.index_dir, encoder, s.views)
            idx.check_fresh(source)
        except (IndexMissingError, StaleIndexError) as exc:
            if s.on_stale != "rebuild":
                raise
            reason = exc.reason if isinstance(exc, StaleIndexError) else "尚未构建 (not built yet)"
            log.warning("知识库索引需要更新：%s；正在更新 (updating the index)", reason)
            idx, report = index_mod.build(source, encoder, s.index_dir, s.views, progress=progress)
            log.warning("%s", report.summary())
        return cls(s, source, idx, encoder)

    def search(self, question: str, k: int | None = None) -> list[Hit]:
        return self.search_many([question], k)[0]

    def search_many(self, questions: Sequence[str], k: int | None = None) -> list[list[Hit]]:
        """Batch search (one encoder call): for stdin mode and the evaluation."""
        k = k or self.settings.k
        asked = [i for i, q in enumerate(questions) if q.strip()]  # a blank question finds nothing
        results: list[list[Hit]] = [[] for _ in questions]
        if not asked:
            return results
        with self._lock:
            vectors = self.encoder.encode([questions[i].strip() for i in asked], QUERY)
            # Ask for extra entries so that expired ones can be dropped and k still returned.
            raw = self.index.search_vectors(vectors, k + self._expired_count(), self.settings.answer_weight)
        for i, ranked in zip(asked, raw):
            results[i] = self._hits(ranked, k)
        return results

    def decide(self, question: str) -> Decision:
        # The margin rule needs the runner-up even when only one hit is to be offered.
        return decide_from_hits(self.search(question, max(self.settings.k, 2)), self.settings)

    def entry(self, entry_id: str) -> Hit | None:
        """The entry a caller picked from the offered buttons, as a Hit with score 1.0;
        None if the id is unknown or the entry has expired since it was offered."""
        e = self._entries.get(entry_id)
        if e is None or not e.is_valid_on(dt.date.today()):
            return None
        return Hit(e.id, e.question, e.answer, e.department, e.phone, e.source, 1.0)

    def refreshed(self) -> "KnowledgeBase":
        """This object, or a newly opened one if the sources or the index changed on disk since.

        A long-running server calls it now and then (say once a minute) to pick up what
        operators edited and built with `hotline kb build`, without a restart.
        """
        if (checksum(self.settings.source_dir) == self.source.checksum
                and _mtime(self.settings.index_dir / MANIFEST_FILE) == self._manifest_mtime):
            return self
        return KnowledgeBase.open(self.settings)

    def _hits(self, ranked: Sequence[tuple[str, float]], k: int) -> list[Hit]:
        today = dt.date.today()
        out = []
        for eid, score in ranked:
            e = self._entries.get(eid)
            if e is None or not e.is_valid_on(today):
                continue
            out.append(Hit(e.id, e.question, e.answer, e.department, e.phone, e.source, score))
        return out[:k]

    def _expired_count(self) -> int:
        today = dt.date.today()
        return sum(1 for e in self.source.entries if not e.is_valid_on(today))


def _mtime(path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def build_index(settings: KBSettings | None = None, full: bool = False,
                progress: Progress | None = None) -> tuple[KnowledgeIndex, SyncReport]:
    """`hotline kb build`: validate sources, then update (or rebuild) the index on disk."""
    s = settings or load_settings()
    source = load_source(s.source_dir)
    encoder = make_encoder(s.encoder, s.model, s.threads, s.weights)
    return index_mod.build(source, encoder, s.index_dir, s.views, full=full, progress=progress)
