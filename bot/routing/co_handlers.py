"""Co-handlers (协办, seed 000 §12): a request that spans several departments' duties.

A long letter mentions many bodies in passing (the community, the property company, a police
visit), so the whole request's runner-up is a poor sign of a second duty. What is: one clause of
the request that, routed on its own, is clearly another department's matter, while that
department also holds a share of the whole request. The lead stays the whole request's best.
"""
from __future__ import annotations

import re
from typing import List

import numpy as np

# Sentence ends; a transcript without punctuation falls back to its commas or stays one clause.
_SENTENCE = re.compile(r"[。！？；!?;\n]+")
_COMMA = re.compile(r"[，,、]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_CLAUSE = 6          # CJK characters: shorter pieces (好的，谢谢) say nothing about a duty


def clauses(text: str) -> List[str]:
    """The request's clauses long enough to carry a matter; a short piece joins the next one."""
    pieces = [p for p in _SENTENCE.split(text or "") if p.strip()]
    if len(pieces) < 2:
        pieces = [p for p in _COMMA.split(text or "") if p.strip()]
    result: List[str] = []
    carry = ""
    for piece in pieces:
        carry = f"{carry}，{piece}" if carry else piece
        if len(_CJK.findall(carry)) >= MIN_CLAUSE:
            result.append(carry.strip())
            carry = ""
    if carry and result:
        result[-1] = f"{result[-1]}，{carry}"
    return result if len(result) >= 2 else []


def pick(whole: np.ndarray, per_clause: np.ndarray, lead: int, clause_min: float, share_min: float,
         most: int) -> List[int]:
    """Departments (column indices) other than the lead that one clause is sure of (>= clause_min)
    and the whole request gives at least share_min; the surest clause first."""
    if per_clause.size == 0 or most == 0:
        return []
    best_clause = per_clause.max(axis=0)
    chosen = [int(j) for j in np.argsort(-best_clause, kind="stable")
              if j != lead and best_clause[j] >= clause_min and whole[j] >= share_min]
    return chosen[:most]
