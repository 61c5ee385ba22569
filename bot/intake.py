"""Intake of a request: which facts to ask for, how to read the request type, the summary.

Plain functions over plain values, so the rasa-sdk actions stay thin and this logic is tested
without a dialogue engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from bot.intake_text import is_letter, summary_line
from bot.tickets.answers import read_named_type, read_type_correction
from bot.settings import load_yaml
from bot.tickets.facts import FIELDS
from bot.tickets.policy import REQUEST_TYPES

CONTACT_SLOTS = ["contact_name", "contact_phone", "consent"]
# The last question of the form is the summary (confirmed); 修改 without saying what asks which.
CONFIRMED, WHICH_FIELD = "confirmed", "field"
# What 修改 can change: the request type and every fact.
CORRECTABLE = ("request_type",) + tuple(FIELDS)

# Words that name a request without saying what it is about ("我要投诉", "想反映个问题").
_GENERIC = re.compile(
    r"(我|俺|想|要|需要|希望|打算|来|给你们|跟你们|向你们|一下|个|件|点|些|事|事情|情况|问题|这边|那个|就是|"
    r"投诉|举报|反映|建议|意见|咨询|求助|请问|问问|问一下|你好|您好|喂|麻烦|帮忙|帮我|帮帮|有|的|了|啊|呀|吧|呢|"
    r"[，。！？!?,.、\s~～])")
_FIELD_WORDS: Tuple[Tuple[str, str], ...] = (
    ("request_type", r"类型|分类|诉求种类"),
    ("contact_phone", r"电话|手机|号码"),
    ("contact_name", r"名字|姓名|称呼|联系人"),
    ("location", r"地点|地址|位置|地方|门牌|哪条街|小区"),
    ("event_time", r"时间|日期|几点|哪天"),
    ("involved_party", r"对象|商户|商家|单位|公司|店名|物业"),
    ("description", r"内容|情况|诉求|经过|描述|补充"),
)


@dataclass(frozen=True)
class IntakePolicy:
    facts_by_type: Dict[str, List[str]]
    anonymous_allowed: Tuple[str, ...]
    type_ambiguity_margin: float


@lru_cache(maxsize=None)
def intake_policy() -> IntakePolicy:
    raw = load_yaml("policy.yml")
    facts = {k: list(v) for k, v in (raw.get("facts_by_type") or {}).items()}
    for request_type in REQUEST_TYPES:
        facts.setdefault(request_type, ["description"])
    return IntakePolicy(facts, tuple(raw.get("anonymous_allowed") or ()),
                        float(raw.get("type_ambiguity_margin", 0.25)))


def is_substantive(text: str) -> bool:
    """True when the text says what the matter is, not only that there is one."""
    return len(_GENERIC.sub("", text or "")) >= 4


def read_request_type(intent: str, ranking: Sequence[Mapping], margin: float, text: str = "") -> Optional[str]:
    """The request type: the one the citizen names at the start (「举报某超市卖过期食品」, a letter
    titled 「关于…的投诉」), else the classifier's when it is sure; None when two types are too close."""
    named = named_request_type(text)
    if named and intent in REQUEST_TYPES:
        return named
    scores = [(r.get("name"), float(r.get("confidence") or 0)) for r in ranking if r.get("name") in REQUEST_TYPES]
    if intent not in REQUEST_TYPES:
        return None
    if not scores:
        return intent
    scores.sort(key=lambda item: item[1], reverse=True)
    if len(scores) > 1 and scores[0][1] - scores[1][1] < margin:
        return None
    return intent


_OPENING_CLAUSE = re.compile(r"^[^，。！？,.!?；;\n]{0,24}")
_INTRODUCTION = re.compile(r"^(?:(?:你好|您好|喂)[，,。！!\s]*)?(?:(?:我|本人|免贵)(?:姓|叫|是)[^，,。！!；;\s]{1,8}[，,。！!；;\s]+)?")


def named_request_type(text: str) -> Optional[str]:
    """The type a citizen names in the title line or the opening clause, when exactly one is named."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return None
    first_line = text.splitlines()[0]
    if is_letter(text) and len(first_line) <= 40:
        return read_named_type(first_line)
    # 「你好，我姓王，投诉…」: the greeting and who is speaking come before what the request is.
    return read_named_type(_OPENING_CLAUSE.match(_INTRODUCTION.sub("", text)).group(0))


def required_slots(request_type: Optional[str], anonymous: Optional[bool],
                   confirmed: Optional[bool] = None) -> List[str]:
    """The slots ticket_form asks, in order, for this request type."""
    if not request_type:
        return ["request_type"]
    policy = intake_policy()
    slots = ["request_type"] + list(policy.facts_by_type[request_type])
    if request_type in policy.anonymous_allowed:
        slots.append("anonymous")
    if not (request_type in policy.anonymous_allowed and anonymous):
        slots += CONTACT_SLOTS
    # The summary is confirmed last; a 修改 that did not say what first asks which (confirmed=False).
    return slots + ([WHICH_FIELD] if confirmed is False else []) + [CONFIRMED]


CONFIRM, CHANGE, RETYPE = "confirm", "change", "retype"


@dataclass(frozen=True)
class SummaryReply:
    """How the citizen answered the summary: CONFIRM, CHANGE (field: which, or None to ask),
    RETYPE (request_type: the corrected type), or kind None when the answer fits no option."""
    kind: Optional[str]
    field: Optional[str] = None
    request_type: Optional[str] = None


_CHANGE_WORDS = re.compile(r"修改|改一下|改改|要改|改个|不对|有误|有错|错了|写错|说错|填错|记错|更正|重新填|重填|等一下|等等|再改")
_CONFIRM_WORDS = re.compile(
    r"^(?:确认|提交|没问题|没错|对|是的|正确|可以|好|行|嗯|ok|OK|Ok|没有问题|就这样|无误|信息无误|发吧|交吧|登记吧|中|成)")
_REPLY_NOISE = re.compile(r"[\s，,。.!！~～]")


def read_summary_reply(text: str, intent: Optional[str], field: Optional[str] = None) -> SummaryReply:
    """A typed (or spoken) answer to the summary, matched to its options: 确认提交, 修改 (and which
    fact), or a corrected request type (「不是投诉，是建议」). Buttons arrive as /affirm, /deny and
    /correct_field{"field": …}; the words decide before the classifier's intent."""
    text = (text or "").strip()
    corrected = read_type_correction(text)
    if corrected:
        return SummaryReply(RETYPE, request_type=corrected)
    named = field if field in CORRECTABLE else field_named_in(text)
    if intent in ("correct_field", "deny") or _CHANGE_WORDS.search(text):
        return SummaryReply(CHANGE, field=named)
    if intent == "affirm" or _CONFIRM_WORDS.match(_REPLY_NOISE.sub("", text)):
        return SummaryReply(CONFIRM)
    return SummaryReply(None)


def read_field_choice(text: str, field: Optional[str] = None) -> Optional[str]:
    """Which fact the citizen wants to change, from a button (field) or in words (「地址」, 「电话号码」)."""
    if field in CORRECTABLE:
        return field
    named = field_named_in(text)
    if named:
        return named
    corrected = read_type_correction(text)
    return "request_type" if corrected else None


def field_named_in(text: str) -> Optional[str]:
    """Which fact the citizen wants to correct ("电话写错了" -> contact_phone)."""
    for field, pattern in _FIELD_WORDS:
        if re.search(pattern, text or ""):
            return field
    return None


def summary_lines(values: Mapping[str, object]) -> List[str]:
    request_type = str(values.get("request_type") or "")
    lines = [f"诉求类型：{REQUEST_TYPES.get(request_type, '未确定')}"]
    for slot in ("description", "location", "event_time", "involved_party"):
        if values.get(slot):
            lines.append(f"{FIELDS[slot]}：{_shown(str(values[slot]))}")
    if values.get("anonymous"):
        lines.append("联系方式：匿名")
    elif values.get("contact_phone"):
        lines.append(f"联系人：{values.get('contact_name') or '未留'}，电话：{values['contact_phone']}")
        lines.append("同意向承办部门提供联系方式：" + ("是" if values.get("consent") else "否"))
    return lines


def _shown(value: str) -> str:
    """A letter is shown by its summary line in the summary; the whole text goes on the ticket."""
    if is_letter(value):
        return f"{summary_line(value)}（全文{len(value)}字，已完整记录）"
    return value
