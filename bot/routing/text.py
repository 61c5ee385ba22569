"""Text normalisation and character n-gram features for Chinese requests.

Characters rather than words: no segmenter is needed (jieba is not installed on the 3.11 side),
and callers' typos, dialect words and ASR errors still share most of their n-grams with the
training text.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable, List

# Runs of CJK characters, or of Latin letters/digits (KTV, 5G, 12315); everything else separates.
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")


def normalize(text: str, fillers: Iterable[str] = ()) -> str:
    """Full-width to half-width, lower case, polite and filler phrases removed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for phrase in sorted(fillers, key=len, reverse=True):   # longest first: 咨询一下 before 一下
        text = text.replace(phrase, " ")
    return text


def runs(text: str) -> List[str]:
    return _RUNS.findall(text)


def ngrams(text: str, low: int, high: int) -> Counter:
    """Character n-grams inside each CJK run (never across punctuation), whole Latin/digit tokens."""
    counts: Counter = Counter()
    for run in runs(text):
        if run.isascii():
            counts[run] += 1
            continue
        for n in range(low, high + 1):
            for start in range(len(run) - n + 1):
                counts[run[start:start + n]] += 1
    return counts
