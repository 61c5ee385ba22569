"""Questions the assistant could not answer, grouped by meaning, so the office sees what is missing.

The service records (bot/office/service_log.py, kind UNANSWERED: the question fell to a ticket, a
fallback or a seat) hold each question with personal data masked. Questions are embedded with e5
and grouped greedily: a question joins the first group whose centroid it is at least
`upkeep.group_threshold` close to (cosine), else starts a group. Groups are ranked by how many
questions they hold. For each, the nearest existing entry and its score tell the office whether
an entry is missing (below the offer threshold) or exists but was not found (add phrasings to it).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

from bot.knowledge.encoders import QUERY, Encoder

MISSING, NOT_FOUND = "missing", "not_found"
VERDICTS = {MISSING: "知识库缺少这类条目", NOT_FOUND: "已有相近条目但没答上：可补充问法或改进条目"}


@dataclass(frozen=True)
class Question:
    text: str
    at: dt.datetime
    citizen: str
    fell_to: str


def group(questions: Sequence[Question], encoder: Encoder, threshold: float) -> List[List[int]]:
    """Indexes of the questions, by group, largest first (ties: the earliest question first)."""
    if not questions:
        return []
    vectors = encoder.encode([q.text for q in questions], QUERY)
    sums: List[np.ndarray] = []
    members: List[List[int]] = []
    for i, v in enumerate(vectors):
        if sums:
            centroids = np.stack(sums)
            centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
            scores = centroids @ v
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                sums[best] = sums[best] + v
                members[best].append(i)
                continue
        sums.append(v.copy())
        members.append([i])
    order = sorted(range(len(members)), key=lambda g: (-len(members[g]), members[g][0]))
    return [_central_first(members[g], vectors, sums[g]) for g in order]


def _central_first(indexes: List[int], vectors: np.ndarray, total: np.ndarray) -> List[int]:
    """The question nearest the group's centroid first: it names the group."""
    scores = vectors[indexes] @ total
    return [indexes[i] for i in np.argsort(-scores, kind="stable")]


def report(questions: Sequence[Question], encoder: Encoder, threshold: float,
           nearest: Callable[[str], Optional[Dict[str, Any]]], offer_threshold: float,
           limit: int = 50, zone: Optional[dt.tzinfo] = None) -> List[Dict[str, Any]]:
    """The groups as the API and the CLI show them, best (largest) first."""
    out = []
    for indexes in group(questions, encoder, threshold)[:limit]:
        members = [questions[i] for i in indexes]
        title = members[0].text
        near = nearest(title)
        verdict = NOT_FOUND if near and near["score"] >= offer_threshold else MISSING
        out.append({"title": title, "count": len(members), "citizens": len({m.citizen for m in members}),
                    "from": _shown(min(m.at for m in members), zone),
                    "to": _shown(max(m.at for m in members), zone),
                    "fell_to": dict(Counter(m.fell_to for m in members)),
                    "questions": list(dict.fromkeys(m.text for m in members))[:20],
                    "nearest": near, "verdict": verdict, "verdict_label": VERDICTS[verdict]})
    return out


def _shown(at: dt.datetime, zone: Optional[dt.tzinfo]) -> str:
    """In the hotline's time zone; SQLite gives back UTC without its offset."""
    at = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    return (at.astimezone(zone) if zone else at).isoformat(timespec="seconds")


def questions_from_records(records: Sequence[Any], limit: int) -> List[Question]:
    """Service records (oldest first) to questions; the newest `limit` with text are kept."""
    found = [Question(r.question.strip(), r.at, r.citizen, str((r.detail or {}).get("fell_to") or "unknown"))
             for r in records if r.question and r.question.strip()]
    return found[-limit:]


def nearest_in(kb: Any) -> Callable[[str], Optional[Dict[str, Any]]]:
    """The best entry of a KnowledgeBase for a question, as {id, question, department, score}."""
    def find(text: str) -> Optional[Dict[str, Any]]:
        hits = kb.search(text, 1)
        if not hits:
            return None
        h = hits[0]
        return {"id": h.id, "question": h.question, "department": h.department, "score": round(float(h.score), 3)}
    return find
