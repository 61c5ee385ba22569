"""Character error rate for Mandarin transcripts, as the tests and the benchmark measure it."""
from __future__ import annotations

import re

from speech.recognition import to_simplified

_DROP = re.compile(r"[\s，。！？、,.!?；;：:“”\"'（）()《》…—-]")
_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")


def normalise_for_cer(text: str) -> str:
    """Simplified characters, no punctuation or spaces, digits as characters (12线 = 一二线)."""
    return _DROP.sub("", to_simplified(text or "")).translate(_DIGITS).lower()


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise_for_cer(reference), normalise_for_cer(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)


def corpus_cer(pairs) -> float:
    """Total edits over total reference characters (not the mean of per-utterance rates)."""
    edits = chars = 0
    for reference, hypothesis in pairs:
        ref, hyp = normalise_for_cer(reference), normalise_for_cer(hypothesis)
        edits += edit_distance(ref, hyp)
        chars += len(ref)
    return edits / chars if chars else 0.0
