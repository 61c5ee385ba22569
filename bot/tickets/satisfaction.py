"""Satisfaction ratings (回访评价): the three grades and how a citizen's words map to them."""
from __future__ import annotations

import re
import unicodedata
from typing import Optional, Tuple

SATISFIED, BASIC, UNSATISFIED = "satisfied", "basically_satisfied", "unsatisfied"
RATINGS = (SATISFIED, BASIC, UNSATISFIED)
LABELS = {SATISFIED: "满意", BASIC: "基本满意", UNSATISFIED: "不满意"}

# Checked in this order: "不满意" contains "满意", "基本满意" too. A grade word says only the
# grade, so the rest of the sentence is the reason; a phrase like 没解决 is a reason in itself.
_PATTERNS = (
    (UNSATISFIED, False, re.compile(r"(非常|很|特别|十分|极其|太)?不(太|是很|怎么)?满意|不满|差评|不认可")),
    (UNSATISFIED, True, re.compile(r"没(有)?(解决|办好|处理好|修好|落实)|(根本|还是|一直)没(人)?(管|处理|解决|来)")),
    (BASIC, False, re.compile(r"基本满意|比较满意|还行|还可以|一般般?|凑合|马马虎虎|勉强|中评|过得去")),
    (SATISFIED, False, re.compile(r"(非常|很|特别|十分|挺|比较)?满意|好评|满分")),
    (SATISFIED, True, re.compile(r"很好|挺好|解决了|办好了|修好了")),
)
_LEADING = re.compile(r"^[\s,，。.!！、;；:：]*(因为|原因是|原因)?[\s,，:：]*")


def parse_rating(text: str) -> Tuple[Optional[str], Optional[str]]:
    """(rating, reason): the grade named in the text and whatever else it says, as the reason.
    "不满意，路灯还是不亮" -> (unsatisfied, "路灯还是不亮"); "不满意" -> (unsatisfied, None)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    for rating, says_why, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            rest = text if says_why else (text[:match.start()] + " " + text[match.end():]).strip()
            return rating, clean_reason(rest)
    return None, None


def clean_reason(text: str) -> Optional[str]:
    reason = _LEADING.sub("", unicodedata.normalize("NFKC", text or "")).strip(" 。.!！,，")
    return reason[:500] if len(re.findall(r"[\u4e00-\u9fffA-Za-z0-9]", reason)) >= 2 else None
