"""House numbers as citizens say or type them: 88号, 88 号, 八十八号, 一八八号, 二百零六号."""
from __future__ import annotations

import re
from typing import Optional

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Right after the road name; 号 must follow, so 人民路3路公交 or 人民路口 give no number.
_NUMBER = re.compile(r"\s*(\d+|[零〇一二两三四五六七八九十百千]+)\s*号(?![线码])")


def house_number(text: str, position: int) -> Optional[int]:
    """The house number written at position (just after a road name), or None."""
    match = _NUMBER.match(text, position)
    if not match:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else chinese_number(value)


def chinese_number(text: str) -> Optional[int]:
    """二百零六 -> 206, 八十八 -> 88, 十二 -> 12, 一八八 -> 188 (said digit by digit)."""
    if not any(unit in text for unit in "十百千"):
        return int("".join(str(_DIGITS[c]) for c in text)) if all(c in _DIGITS for c in text) else None
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)
