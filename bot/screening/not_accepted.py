"""Whether a matter is one the hotline may not accept, judged by the matter, not the words around it.

The classifier's guess alone must not turn a citizen away: a letter that opens with 尊敬的王书记 is
not a discipline matter, and 法院旁边的路灯坏了 is not litigation. So a not-accepted decision needs
evidence:
- rule evidence: the matter itself is of that kind (wants to sue, already petitioned, an official's
  corruption, someone else's private data ...), found by the patterns below on the text with its
  salutations and closings removed;
- a confident classifier on a short, plain message (letters always need rule evidence).
Without either, the request is taken as a ticket with a flag so that a person decides (seeds 000
§6, 001 §7–8, 002 §三: a wrong refusal costs the citizen more than a ticket the office returns).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Optional, Pattern, Sequence, Tuple

from bot.settings import load_yaml

ROUTES = ("litigation", "petition", "discipline", "other_organs", "info_disclosure", "secrets",
          "jurisdiction", "unlawful")

_OFFICIAL = (r"(干部|官员|领导|书记|支书|村长|村主任|镇长|乡长|区长|县长|市长|局长|处长|科长|所长|站长|"
             r"主任|公务员|公职人员|执法人员|城管队员|民警|警察|网格员)")
_OTHER_PERSON = (r"(他|她|他们|那人|那个人|对方|别人|某人|邻居|前妻|前夫|前女友|前男友|网友|车主|司机|"
                 r"顾客|客户|老板|同事|房东|租客|信访人|举报人|执法人员|那个女的|那个男的|(举报|投诉)我的(人|那个人)?)")

_RULES: Tuple[Tuple[str, str], ...] = (
    ("litigation", r"(起诉|诉讼|打官司|告到法院|去法院告|上法院告|到法院告|申请仲裁|劳动仲裁|仲裁委|仲裁裁决|"
                   r"裁决书|行政复议|复议决定|判决书|一审|二审|再审|法院判|判决|强制执行|申请执行|执行庭|立案庭)"),
    ("petition", r"(信访|上访|越级访|复查意见|复核意见)"),
    ("discipline", _OFFICIAL + r".{0,15}(贪污|受贿|索贿|行贿|腐败|挪用|侵吞|私分|吃拿卡要|收礼|收红包|"
                   r"收了?.{0,6}(红包|礼|钱|好处|回扣|购物卡|烟酒)|好处费|回扣|违纪|包养|生活作风|以权谋私|滥用职权|吃空饷|公车私用|公款)"),
    ("discipline", r"(贪污|受贿|索贿|腐败|吃空饷|公款吃喝|公款旅游).{0,15}" + _OFFICIAL),
    ("discipline", r"(12388|12380|干部(任免|提拔|选拔)|选拔任用|买官|跑官)"),
    ("other_organs", r"(人大代表|人大常委|政协委员|政协提案|检察院|检察官|部队|军队|军区|武警|兵役|人民武装部|"
                     r"审判员|陪审员)"),
    ("info_disclosure", r"(信息公开申请|依申请公开|申请.{0,12}公开|政府信息公开)"),
    ("secrets", r"(查|告诉我|给我|提供|调出|调取|要|发我).{0,12}" + _OTHER_PERSON
                + r".{0,8}(住址|住哪|住在哪|在哪住|家在哪|电话|手机号|身份证|身份信息|开房记录|行踪|聊天记录|通话记录|户籍|个人信息|"
                r"是谁|叫什么名字|真名)"),
    ("secrets", _OTHER_PERSON + r".{0,4}的?(住址|家庭住址|身份证号|开房记录|行踪|通话记录|户籍信息).{0,8}(告诉我|给我|查一下|查查)"),
    ("secrets", r"(国家秘密|商业秘密|机密文件|涉密文件|绝密)"),
)
_COMPILED: Tuple[Tuple[str, Pattern[str]], ...] = tuple((route, re.compile(rx)) for route, rx in _RULES)

# A question about how to use a legal route (怎么申请仲裁, 法律援助在哪) is a consultation the
# knowledge base answers, not a request to take over a case.
_PROCEDURE_QUESTION = re.compile(
    r"(怎么|如何|怎样|去哪|到哪|在哪|哪里|哪儿)(可以|能|才能|去)?(申请|办理?|起诉|仲裁|复议|立案|上诉|查询|咨询|反映|找)"
    r"|需要什么|要什么材料|什么材料|流程|手续|收费|多少钱|要多久|多长时间|^(请问|问一下|咨询一下|想问)")


# In a letter, history is told at length (我去年起诉过, 派出所来看过); what the citizen asks for now
# is in the sentences that ask. A letter is judged by those.
_ASKING = re.compile(r"(希望|请求|要求|恳请|恳求|请您|请你们|请领导|请相关|请有关|请政府|请.{0,6}(解决|处理|督促|协调|帮|查|管)|"
                     r"能否|可否|能不能|盼|望.{0,4}(解决|处理|答复|回复)|建议|呼吁|想要|我要|我想)")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")


def asking_part(text: str) -> str:
    """The sentences of a long text that ask for something (the whole text when none does)."""
    sentences = [s for s in _SENTENCE_END.split(text or "") if s.strip()]
    asking = [s for s in sentences if _ASKING.search(s)]
    return "".join(asking) if asking else (text or "")


@dataclass(frozen=True)
class Verdict:
    """route: refer the caller (None: take the request); review: the route a person should check."""
    route: Optional[str]
    evidence: str           # "rule", "classifier" or "none"
    review: Optional[str] = None


@dataclass(frozen=True)
class NotAcceptedPolicy:
    classifier_min_confidence: float
    classifier_max_chars: int


@lru_cache(maxsize=None)
def policy() -> NotAcceptedPolicy:
    raw = (load_yaml("screening.yml").get("not_accepted_evidence") or {})
    return NotAcceptedPolicy(float(raw.get("classifier_min_confidence", 0.8)),
                             int(raw.get("classifier_max_chars", 80)))


def matter_route(text: str) -> Optional[str]:
    """The route whose kind of matter the text describes, or None. Salutations must be removed first."""
    if not text or _PROCEDURE_QUESTION.search(text.strip()):
        return None
    for route, pattern in _COMPILED:
        if pattern.search(text):
            return route
    return None


def judge(classifier_route: Optional[str], confidence: float, matter_text: str, is_letter: bool,
          settings: Optional[NotAcceptedPolicy] = None) -> Verdict:
    """Refer, or take the request (with a review flag when the classifier suspected a route).

    The classifier alone decides only on a short plain message. matter_text is the message with salutations and closings removed; classifier_route is the
    route of the classifier's intent (None when it predicted something else)."""
    settings = settings or policy()
    rule_route = matter_route(asking_part(matter_text) if is_letter else matter_text)
    if rule_route:
        # The classifier's own route wins when both see a not-accepted matter (it reads the
        # whole sentence); the rule decides that it is one.
        return Verdict(classifier_route or rule_route, "rule")
    if classifier_route is None:
        return Verdict(None, "none")
    plain = not is_letter and len(matter_text) <= settings.classifier_max_chars
    if plain and confidence >= settings.classifier_min_confidence:
        return Verdict(classifier_route, "classifier")
    return Verdict(None, "none", review=classifier_route)


def best_request_type(ranking: Sequence[Mapping], request_types: Sequence[str], default: str) -> str:
    """The request type the classifier ranks highest, for a request taken instead of refused."""
    for entry in ranking:
        if entry.get("name") in request_types:
            return str(entry["name"])
    return default
