"""FAISS index of the knowledge base, with a manifest that keeps it honest.

Layout of the index folder (kb_embeddings/):
  index.faiss    IndexIDMap2 over an exact inner-product index (cosine on unit vectors)
  manifest.json  format, encoder fingerprint, dimension, embedded views, source checksum,
                 sha256 of index.faiss, and per entry: its number, content hash, vector count

Ids stay stable: every entry id (a string departments choose) gets a number that is never
reused, and each of its vectors gets the FAISS id number*256 + slot. Removing an entry removes
exactly its vectors (FAISS ids of other entries do not shift, unlike a bare IndexFlat), so
adding, changing and removing entries touches only those entries' vectors.

A manifest that does not match the encoder, the views, the index file or the sources makes
the index stale: StaleIndexError, never a search on it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import faiss
import numpy as np

from .encoders import PASSAGE, QUERY, Encoder
from .errors import IndexMissingError, StaleIndexError
from .source import Entry, KnowledgeSource

FORMAT = 2                 # bump when the embedded texts or the layout change: old indexes go stale
SLOTS = 256                # vectors per entry; source.py caps alternatives well below this
INDEX_FILE, MANIFEST_FILE = "index.faiss", "manifest.json"
BATCH = 64                 # texts per encoder call: progress stays visible on long builds
Progress = Callable[[int, int], None]


@dataclass
class EntryRecord:
    num: int
    hash: str
    vectors: int
    passage: int = -1      # slot of the question+answer vector, -1 if that view is off


@dataclass
class Manifest:
    encoder: str
    dim: int
    views: list[str]
    source_checksum: str = ""
    index_sha256: str = ""
    next_num: int = 0
    entries: dict[str, EntryRecord] = field(default_factory=dict)
    built_at: str = ""
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        data["entries"] = {k: EntryRecord(**v) for k, v in data.get("entries", {}).items()}
        return cls(**data)


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    full: bool = False

    def summary(self) -> str:
        kind = "全量重建 (full build)" if self.full else "增量更新 (incremental)"
        return (f"{kind}: 新增 {len(self.added)}，修改 {len(self.changed)}，删除 {len(self.removed)}，"
                f"未变 {self.unchanged} (added/changed/removed/unchanged)")


def entry_texts(entry: Entry, views: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, text) pairs embedded for one entry; the slot of a vector is its position here."""
    out: list[tuple[str, str]] = []
    if "question" in views:
        out.append((QUERY, entry.question))
    if "alternatives" in views:
        out.extend((QUERY, alt) for alt in entry.alternatives)
    if "question_answer" in views:
        out.append((PASSAGE, f"{entry.question}\n{entry.answer}"))
    return out[:SLOTS]


def content_hash(texts: Iterable[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps(list(texts), ensure_ascii=False).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class KnowledgeIndex:
    def __init__(self, folder: Path, encoder: Encoder, views: Sequence[str]):
        self.folder = Path(folder)
        self.encoder = encoder
        self.views = list(views)
        self.manifest = Manifest(encoder=encoder.name, dim=encoder.dim, views=self.views)
        self.faiss = faiss.IndexIDMap2(faiss.IndexFlatIP(encoder.dim))
        self._num_to_id: dict[int, str] = {}

    # --- loading and checks -----------------------------------------------------------

    @classmethod
    def load(cls, folder: Path, encoder: Encoder, views: Sequence[str]) -> "KnowledgeIndex":
        """Open a built index; raise IndexMissingError or StaleIndexError if it must not be used."""
        folder = Path(folder)
        manifest_path, index_path = folder / MANIFEST_FILE, folder / INDEX_FILE
        if not manifest_path.exists() or not index_path.exists():
            raise IndexMissingError(f"还没有构建知识库索引：{folder}。请运行 `hotline kb build`。"
                                    f" (no index in {folder}; run `hotline kb build`)")
        try:
            manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
        except (ValueError, TypeError, KeyError) as exc:
            raise StaleIndexError(f"manifest.json 无法解析 (unreadable manifest: {exc})") from exc
        _check_compatible(manifest, encoder, views)
        if file_sha256(index_path) != manifest.index_sha256:
            raise StaleIndexError("index.faiss 与 manifest 不一致，可能写入中断 (index file does not match manifest)")
        self = cls(folder, encoder, views)
        self.manifest = manifest
        self.faiss = faiss.read_index(str(index_path))
        expected = sum(r.vectors for r in manifest.entries.values())
        if self.faiss.ntotal != expected or self.faiss.d != encoder.dim:
            raise StaleIndexError(f"向量数 {self.faiss.ntotal} 与 manifest 记录 {expected} 不符 (vector count mismatch)")
        self._num_to_id = {r.num: eid for eid, r in manifest.entries.items()}
        return self

    def check_fresh(self, source: KnowledgeSource) -> None:
        """Refuse an index built from other sources than the ones being served."""
        if self.manifest.source_checksum != source.checksum:
            raise StaleIndexError("知识库源文件在上次构建后有改动 (sources changed since the last build)")

    # --- updating -------------------------------------------------------------------

    def sync(self, source: KnowledgeSource, progress: Progress | None = None) -> SyncReport:
        """Bring the index in line with the sources, re-embedding only what changed."""
        wanted = {e.id: (e, entry_texts(e, self.views)) for e in source.entries}
        have = self.manifest.entries
        removed = sorted(set(have) - set(wanted))
        changed = sorted(i for i in set(have) & set(wanted) if have[i].hash != content_hash(wanted[i][1]))
        added = sorted(set(wanted) - set(have))
        kept_nums = {eid: have[eid].num for eid in changed}  # a changed entry keeps its FAISS ids
        self._remove(removed + changed)
        todo = [(eid, wanted[eid][1]) for eid in changed + added]
        self._add(todo, kept_nums, progress)
        self.manifest.source_checksum = source.checksum
        return SyncReport(tuple(added), tuple(changed), tuple(removed),
                          unchanged=len(wanted) - len(added) - len(changed))

    def _remove(self, ids: Sequence[str]) -> None:
        """Drop these entries' vectors in one pass (each remove_ids call scans the whole index)."""
        vector_ids = []
        for eid in ids:
            rec = self.manifest.entries.pop(eid)
            self._num_to_id.pop(rec.num, None)
            vector_ids.append(np.arange(rec.vectors, dtype=np.int64) + rec.num * SLOTS)
        if vector_ids:
            batch = np.concatenate(vector_ids)
            self.faiss.remove_ids(faiss.IDSelectorBatch(len(batch), faiss.swig_ptr(batch)))

    def _add(self, todo: Sequence[tuple[str, list[tuple[str, str]]]], kept_nums: dict[str, int],
             progress: Progress | None) -> None:
        flat: list[tuple[int, str, str]] = []  # (faiss id, kind, text)
        for eid, texts in todo:
            num = kept_nums.get(eid)
            if num is None:  # numbers of removed entries are never reused
                num = self.manifest.next_num
                self.manifest.next_num += 1
            passage = next((i for i, (kind, _) in enumerate(texts) if kind == PASSAGE), -1)
            self.manifest.entries[eid] = EntryRecord(num=num, hash=content_hash(texts), vectors=len(texts),
                                                     passage=passage)
            self._num_to_id[num] = eid
            flat.extend((num * SLOTS + slot, kind, text) for slot, (kind, text) in enumerate(texts))
        for start in range(0, len(flat), BATCH):
            self._add_batch(flat[start:start + BATCH])
            if progress:
                progress(min(start + BATCH, len(flat)), len(flat))

    def _add_batch(self, batch: Sequence[tuple[int, str, str]]) -> None:
        ids = np.array([b[0] for b in batch], dtype=np.int64)
        vectors = np.zeros((len(batch), self.encoder.dim), np.float32)
        for kind in (QUERY, PASSAGE):
            rows = [i for i, b in enumerate(batch) if b[1] == kind]
            if rows:
                vectors[rows] = self.encoder.encode([batch[i][2] for i in rows], kind)
        self.faiss.add_with_ids(vectors, ids)

    def save(self) -> None:
        """Write index then manifest, each atomically; a crash in between leaves a manifest whose
        index_sha256 does not match, which load() reports as stale instead of serving."""
        self.folder.mkdir(parents=True, exist_ok=True)
        index_tmp = self.folder / (INDEX_FILE + ".tmp")
        faiss.write_index(self.faiss, str(index_tmp))
        self.manifest.index_sha256 = file_sha256(index_tmp)
        self.manifest.built_at = dt.datetime.now().isoformat(timespec="seconds")
        os.replace(index_tmp, self.folder / INDEX_FILE)
        manifest_tmp = self.folder / (MANIFEST_FILE + ".tmp")
        manifest_tmp.write_text(self.manifest.to_json(), encoding="utf-8")
        os.replace(manifest_tmp, self.folder / MANIFEST_FILE)

    # --- searching ------------------------------------------------------------------

    def search_vectors(self, queries: np.ndarray, k: int,
                       answer_weight: float = 0.0) -> list[list[tuple[str, float]]]:
        """For each query row, the k best entries as (entry id, score), best first.

        An entry's score is its best question/alternative cosine q (per sub-encoder, see
        _entry_scores); with a question+answer vector
        (cosine a) and answer_weight w > 0 it is (q + w*a) / (1 + w), still on the cosine scale so
        thresholds keep their meaning. Phrasings decide most matches; the answer text breaks ties
        between sibling entries (apply vs renew, eligibility vs procedure) by their content.
        FAISS finds the candidates; each candidate is then scored exactly from its stored vectors.
        """
        queries = np.ascontiguousarray(queries, np.float32)
        if self.faiss.ntotal == 0:
            return [[] for _ in range(len(queries))]
        fetch = min(self.faiss.ntotal, max(k * 8, 64))
        while True:
            _, ids = self.faiss.search(queries, fetch)
            candidates = [self._candidates(row) for row in ids]
            enough = all(len(c) >= min(k, len(self.manifest.entries)) for c in candidates)
            if enough or fetch >= self.faiss.ntotal:
                break
            fetch = min(self.faiss.ntotal, fetch * 4)  # many vectors of few entries: look deeper
        return [self._rank(q, c, k, answer_weight) for q, c in zip(queries, candidates)]

    def _candidates(self, ids: np.ndarray) -> list[str]:
        seen: dict[str, None] = {}
        for fid in ids:
            eid = self._num_to_id.get(int(fid) // SLOTS) if fid >= 0 else None
            if eid is not None:
                seen.setdefault(eid)
        return list(seen)

    def _rank(self, query: np.ndarray, candidates: Sequence[str], k: int,
              answer_weight: float) -> list[tuple[str, float]]:
        scores = self._entry_scores(query, [self.manifest.entries[eid] for eid in candidates], answer_weight)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(candidates[i], float(scores[i])) for i in order]

    def _entry_scores(self, query: np.ndarray, recs: Sequence[EntryRecord], answer_weight: float) -> np.ndarray:
        """Late fusion: each sub-encoder of a combined encoder picks its own best phrasing.

        A combined vector is [sqrt(w1)*u, sqrt(w2)*e], so the dot product over one column range is
        that part's weighted cosine. Summing each part's maximum (rather than taking the maximum
        of the sums) scored 0.92 against 0.87 top-1 on eval/kb_questions.yml. All candidates'
        vectors are fetched in one call and reduced with numpy: no Python loop per vector.
        """
        counts = np.array([r.vectors for r in recs])
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        ids = np.concatenate([np.arange(r.vectors, dtype=np.int64) + r.num * SLOTS for r in recs])
        vectors = self.faiss.reconstruct_batch(ids)
        sims = np.stack([vectors[:, a:b] @ query[a:b] for a, b in self.encoder.parts])  # (parts, vectors)
        passage = np.array([s + r.passage if r.passage >= 0 else -1 for s, r in zip(starts, recs)])
        has_passage = passage >= 0
        phrasing = sims.copy()
        phrasing[:, passage[has_passage]] = -np.inf
        best = np.maximum.reduceat(phrasing, starts, axis=1).sum(axis=0)   # -inf: no phrasing vector
        answer = np.where(has_passage, sims[:, np.where(has_passage, passage, 0)].sum(axis=0), 0.0)
        fused = np.where(has_passage & (answer_weight > 0),
                         (best + answer_weight * answer) / (1 + answer_weight), best)
        return np.where(np.isfinite(best), fused, answer)

    @property
    def entry_count(self) -> int:
        return len(self.manifest.entries)


def _check_compatible(manifest: Manifest, encoder: Encoder, views: Sequence[str]) -> None:
    if manifest.format != FORMAT:
        raise StaleIndexError(f"索引格式版本 {manifest.format} ≠ {FORMAT} (index format changed)")
    if manifest.encoder != encoder.name:
        raise StaleIndexError(f"索引用编码器 {manifest.encoder} 构建，当前配置为 {encoder.name} (encoder mismatch)")
    if manifest.dim != encoder.dim:
        raise StaleIndexError(f"索引维度 {manifest.dim} ≠ 编码器维度 {encoder.dim} (dimension mismatch)")
    if list(manifest.views) != list(views):
        raise StaleIndexError(f"索引的文本视图 {manifest.views} ≠ 配置 {list(views)} (views mismatch)")


@contextlib.contextmanager
def _build_lock(folder: Path):
    """Serialise builds of one index folder (a CLI build and a server's rebuild may race)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def build(source: KnowledgeSource, encoder: Encoder, folder: Path, views: Sequence[str],
          full: bool = False, progress: Progress | None = None) -> tuple[KnowledgeIndex, SyncReport]:
    """Update the index in place when it is compatible, otherwise (or with full=True) rebuild it."""
    folder = Path(folder)
    with _build_lock(folder):
        index: KnowledgeIndex | None = None
        if not full:
            try:
                index = KnowledgeIndex.load(folder, encoder, views)
            except (IndexMissingError, StaleIndexError):
                index = None  # incompatible or missing: nothing to update, start afresh
        fresh = index is None
        index = index or KnowledgeIndex(folder, encoder, views)
        report = index.sync(source, progress)
        index.save()
    if fresh:
        report = dataclasses.replace(report, full=True)
    return index, report
