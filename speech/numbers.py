"""Numbers between speech and text.

Heard: callers say phone and ticket numbers digit by digit (一三八 一二三四 五六七八, 幺 for 1), and
recognisers write them in words, in Arabic digits, or split by spaces and dashes. The dialogue
wants plain digits: 13812345678, 202611220001.

Spoken: a synthesiser reads 202611220001 as one huge number and 12345 as 一万二千三百四十五; the
hotline reads codes digit by digit, with 幺 for 1 as Chinese telephone operators do (幺幺九 for 119).
"""
from __future__ import annotations

import re

from bot.tickets.facts import spoken_digits_to_arabic

_DIGIT_WORDS = "零〇一二三四五六七八九幺两"
# A run of at least three digit words (一三八…, 幺幺零) is a code or number said digit by digit;
# shorter runs (一二线城市, 两个人) are left as words.
_SPOKEN_RUN = re.compile(f"[{_DIGIT_WORDS}](?:[\\s，,、-]*[{_DIGIT_WORDS}]){{2,}}")
# Digits split by spaces or dashes as a recogniser writes a phone number: 138 1234 5678, 138-1234-5678.
_SPLIT_DIGITS = re.compile(r"(?<!\d)\d{2,4}(?:[\s\-－—,，、]+\d{2,8})+(?!\d)")
_ARABIC_RUN = re.compile(r"\d+")
_SAY = dict(zip("0123456789", "零幺二三四五六七八九"))
_SAY_PLAIN = dict(zip("0123456789", "零一二三四五六七八九"))
_SMALL = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]


def heard_numbers_to_digits(text: str) -> str:
    """'我的电话是一三八 一二三四 五六七八' -> '我的电话是13812345678'."""
    def spoken(match: re.Match) -> str:
        words = re.sub(r"[\s，,、-]", "", match.group(0))
        if "两" in words and len(words) <= 3:      # 两三个 is an amount, not a code
            return match.group(0)
        return spoken_digits_to_arabic(words)

    text = _SPOKEN_RUN.sub(spoken, text or "")

    def joined(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        # Only phone-length or ticket-length groups are joined; '3, 4' in a sentence stays apart.
        return digits if len(digits) in (7, 8, 11, 12, 13) else match.group(0)

    return _SPLIT_DIGITS.sub(joined, text)


def _small_number(value: int) -> str:
    """0–99 the way it is said: 十一, 二十二."""
    if value < 10:
        return _SMALL[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else _SMALL[tens]) + "十" + ("" if ones == 0 else _SMALL[ones])


def digits_for_speech(text: str) -> str:
    """Numbers in a reply as they should be read aloud: codes digit by digit, small amounts as words."""
    def say(match: re.Match) -> str:
        digits = match.group(0)
        following = text[match.end():match.end() + 1]
        if len(digits) >= 3:
            if following == "年":                      # 2026年: 二零二六年, never 幺
                return "".join(_SAY_PLAIN[d] for d in digits)
            return "".join(_SAY[d] for d in digits)
        return _small_number(int(digits))

    return _ARABIC_RUN.sub(say, text or "")
