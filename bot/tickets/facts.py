"""The facts a ticket needs (seed 001 §13(4): time, place, parties, what happened) and their checks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

UNKNOWN = "不详"

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_UNKNOWN_WORDS = re.compile(r"^(不知道|不清楚|不记得|记不清|忘了|不确定|不详|没有|无|不晓得|不知|说不清|没注意)[了啊呀吧。！!,，]*$")
_PLACE_HINT = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9]{1,12}(省|市|区|县|旗|镇|乡|苏木|街道|村|路|街|道|巷|胡同|大道|小区|花园|广场|公园|"
    r"社区|大厦|商场|市场|学校|医院|车站|号|栋|单元|门口|附近|对面|楼下))")
_CHINESE_DIGITS = str.maketrans("零〇一二三四五六七八九幺两", "0012345678912")
_NAME_PREFIX = re.compile(r"^(我叫|我是|叫我|姓名[是:：]?|名字[是:：]?|我姓)")

FIELDS = {
    "description": "诉求内容",
    "location": "发生地点",
    "event_time": "发生时间",
    "involved_party": "涉及对象",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
}


@dataclass(frozen=True)
class Checked:
    """A checked answer: the normalised value, or None with the reason to ask again."""
    value: Optional[str]
    problem: Optional[str] = None


def spoken_digits_to_arabic(text: str) -> str:
    """'一三八 一二三四 五六七八' -> '138 1234 5678': callers and ASR often say numbers in words."""
    return text.translate(_CHINESE_DIGITS)


def is_unknown(text: str) -> bool:
    return bool(_UNKNOWN_WORDS.match((text or "").strip()))


def check_description(text: str) -> Checked:
    text = (text or "").strip()
    if len(text) < 4 or is_unknown(text):
        return Checked(None, "请再具体说说发生了什么事，例如什么问题、持续多久、对您有什么影响。")
    return Checked(text[:2000])


def check_location(text: str) -> Checked:
    text = (text or "").strip()
    if not text or is_unknown(text) or len(text) < 2:
        return Checked(None, "地点不能为空，请告诉我具体位置，例如区、街道、小区或门牌号、附近的标志性建筑。")
    return Checked(text[:200])


def check_optional(text: str) -> Checked:
    """Time and parties: a citizen may not know; that is recorded as 不详, not refused."""
    text = (text or "").strip()
    if not text or is_unknown(text):
        return Checked(UNKNOWN)
    return Checked(text[:200])


def check_name(text: str) -> Checked:
    text = _NAME_PREFIX.sub("", (text or "").strip()).strip(" 。.!！")
    if not text or is_unknown(text) or len(text) > 20 or re.search(r"\d", text):
        return Checked(None, "请告诉我怎么称呼您，例如“王先生”或您的姓名。")
    return Checked(text)


def check_phone(text: str) -> Checked:
    digits = re.sub(r"[\s\-—－()（）+]", "", spoken_digits_to_arabic(text or ""))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    match = _MOBILE.search(digits)
    if not match:
        return Checked(None, "这个号码好像不对，请输入11位手机号码，例如13812345678。")
    return Checked(match.group(1))


def guess_location(text: str) -> Optional[str]:
    """A place named in the first message, offered as the default answer (the citizen confirms it)."""
    match = _PLACE_HINT.search(text or "")
    return match.group(1) if match else None
