"""Emergency safety net: keyword rules that can only ADD an emergency, never remove one.

The NLU classifier decides most emergencies; these rules catch the ones it hesitates on, because
missing an emergency is the worst error this product can make. A rule fires only on a situation
described as happening (着火了, 有人晕倒, 撞车了), not on questions about emergency services
(请问120急救车怎么收费), hypotheticals (万一着火怎么办) or past events (上个月出过车祸).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Pattern, Tuple

# Kinds, in the order a caller should hear them when several apply (violence first, then fire,
# then the injured, then the traffic police).
KINDS = ("police", "fire", "medical", "traffic")
INTENT_PREFIX = "emergency"
# The NLU entity that says why a message is an emergency: "rule" (these rules see it happening:
# refer at once) or "classifier" (only the classifier suspects it: ask first, never interrupt a form).
EVIDENCE_ENTITY = "emergency_evidence"
RULE_EVIDENCE, CLASSIFIER_EVIDENCE = "rule", "classifier"


def intent_for(kind: str) -> str:
    return f"{INTENT_PREFIX}_{kind}"


def kind_of_intent(intent: Optional[str]) -> Optional[str]:
    """'emergency_fire' -> 'fire'; any other intent -> None."""
    if intent and intent.startswith(INTENT_PREFIX + "_"):
        kind = intent[len(INTENT_PREFIX) + 1:]
        return kind if kind in KINDS else "police"
    return None


_RULES: Tuple[Tuple[str, str], ...] = (
    ("police", r"(有人|被人|他们|一伙人|几个人|一帮人|歹徒|醉汉|那人|男的|女的).{0,6}(打人|打架|殴打|打我|砍人|砍我|捅人|捅了|持刀|拿刀|拿着刀|动刀)"),
    ("police", r"(打起来了|干起仗来|干仗了|打群架|持刀|拿着刀|拿刀砍|砍伤|捅伤)"),
    ("police", r"(抢劫|被抢了|抢走了|抢我|抢包|打劫)"),
    # 偷偷 means "secretly" (有人偷偷砍树 is a report), not theft.
    # 偷挖 / 偷排 / 偷倒 (sneaking an illegal act: digging sand, discharging, dumping) is a report.
    ("police", r"(小偷|贼|有人).{0,4}(正在|在)?((?<!偷)偷(?!偷|着|挖|排|倒|建|盖|采|砍|伐|运|烧|钓|捕|猎|摆|接|工|懒|摸)|撬|翻窗|翻.{0,4}窗户|翻墙|爬窗|入室)"
               r"|撬(门|锁)|入室盗窃|闯进(我家|家里|屋里)"),
    ("police", r"(绑架|劫持|被拐|拐走|人贩子|非法拘禁)"),
    ("police", r"(被|把我)(人)?(锁|关|困)在.{0,8}(不让|出不去|不放)|不让我(走|出去|离开)"),
    ("police", r"(家暴|打老婆|打媳妇|打孩子|往死里打)"),
    ("police", r"(要|想|准备|扬言)(跳楼|跳河|自杀|轻生)|站在(楼顶|天台|桥上).{0,6}(要跳|想跳)"),
    ("police", r"有人(跳楼|跳河|跳桥)|从楼上(跳|掉)下来|(持枪|有枪|开枪|拿着枪)"),
    ("police", r"(正在|在|又来)砸.{0,3}(车|门|窗|店|东西|玻璃)|(把|往).{0,6}(车|门|窗|店).{0,3}砸了"),
    ("police", r"(扬言|威胁|说要).{0,6}(杀|砍|弄死|捅)"),
    ("police", r"(孩子|小孩|儿子|女儿|老人).{0,6}(丢了|不见了|走丢了|找不到了)"),
    ("police", r"(正在|现在).{0,4}(被骗|转账给骗子)|骗子.{0,8}(让我|叫我).{0,4}转账"),
    # 打不着火 / 点着火 is a stove that will not light, not a fire.
    ("fire", r"((?<!不)(?<!打)(?<!点)着火|起火|失火|走火|火灾|烧起来|燃起来|火烧|冒黑烟|冒烟|浓烟|火光|火苗|火势)"),
    ("fire", r"(爆炸|炸开了|爆燃)"),
    ("fire", r"(电线|电箱|配电箱|变压器|电瓶车|电动车|充电桩).{0,6}(冒火|起火|着了|爆了|炸了|打火花|冒火花)"),
    ("fire", r"(煤气|燃气|天然气|液化气|液化石油气).{0,4}(泄漏|泄露|漏气|漏了|味)|漏气了"),
    ("fire", r"(煤气|燃气|天然气)(管|管道|管子|阀门|罐|表).{0,6}(断了|挖断|破了|裂了|爆了|喷|往外冒)|(嘶嘶|呲呲).{0,4}(喷气|冒气|漏气)"),
    ("fire", r"(困|卡|关)在电梯|电梯.{0,8}(困|卡|关)(住|了|着).{0,3}人|(困|关)(住|着)(了)?(人|孩子|老人)|被困(?!扰|难|惑)"),
    # Someone stuck (a child's head in railings, a hand in a machine): a rescue for 119.
    ("fire", r"(头|脑袋|手|胳膊|脚|腿|身子).{0,4}(卡在|卡进|夹在|夹住|卡住).{0,12}(出不来|拔不出|拿不出|抽不出|动不了)"),
    ("fire", r"(掉|落|跌|滑)(进|到|入)了?.{0,3}(河|水|井|湖|江|海|坑|塘|池)|落水|溺水"),
    ("fire", r"(倒塌|坍塌|塌方|塌了).{0,8}(压|埋|困)(住|着|了)?|(压|埋)在.{0,4}(下面|底下)"),
    ("fire", r"(化学品|危化品|毒气|氨气|氯气|有毒气体).{0,4}(泄漏|泄露|漏了)"),
    ("medical", r"(晕倒|昏倒|晕过去|昏过去|昏迷|不省人事|休克|倒地不起)"),
    ("medical", r"没(有)?了?(呼吸|意识|知觉|心跳|反应)|喘不(上|过)气|呼吸困难|心脏骤停"),
    ("medical", r"(心脏病|心梗|脑梗|中风|哮喘|癫痫|羊癫疯).{0,3}(犯了|发作|发了|了)"),
    ("medical", r"(抽搐|抽风|口吐白沫|大出血|血流不止|流了好多血|满身是血|一直流血|吐血)"),
    ("medical", r"(喝|吃|服)了?.{0,3}(农药|老鼠药|百草枯|安眠药|敌敌畏)|(中毒了|煤气中毒|一氧化碳中毒)"),
    ("medical", r"(要生了|快生了|羊水破了)"),
    ("medical", r"(烧伤|烫伤|被烧着|触电|被电(到|击|打)|电击|骨折|砸伤|摔伤|割伤|咬伤).{0,4}(了|得|很|严重|流血|起泡|昏)"),
    ("medical", r"(摔倒|摔了|跌倒).{0,8}(起不来|动不了|不能动|不会动)"),
    ("medical", r"(不行了|快不行了|快死了|要死了)(?!.{0,2}(烦|吵|气))"),
    ("traffic", r"(车祸|撞车|追尾|翻车|侧翻|连环撞|相撞|肇事逃逸|撞了就跑)"),
    ("traffic", r"(车|汽车|货车|卡车|大巴|公交|出租车|电动车|电瓶车|摩托车|三轮车).{0,4}(撞了|撞倒|撞伤|撞到|碾)"),
    # A person hit by a vehicle; a bus-stop sign hit by a car is a repair request.
    ("traffic", r"(我|人|他|她|孩子|小孩|老人|行人|学生|骑车的)(被|让)(车|汽车|货车|电动车|摩托车|公交车|出租车).{0,2}(撞|刮|碾)"),
    ("traffic", r"(出|发生)了?(交通事故|事故)(?!认定|责任|赔偿|处理)"),
    ("traffic", r"(刚|刚刚|刚才)(跟人|和人|跟车|被)?(撞|追尾|刮蹭|剐蹭)"),
)

# Contexts that make a matching phrase not an emergency now: questions about fees and procedures,
# drills and hypotheticals. Past events are handled separately (see _is_past).
_NOT_NOW = re.compile(
    r"(怎么收费|收费标准|多少钱|费用|报销|理赔|保险|赔偿|认定书|责任认定|怎么申请|申请流程|办理流程|需要什么材料|"
    r"怎么办理|怎么处理的|申请|报警器|探测器|在哪买|哪里买|购买|安装|演练|演习|培训|宣传|知识|讲座|如果|万一|假如|要是|假设|预防|防范|注意事项|安全检查|"
    r"消防检查|消防验收|隐患|灭火器|烟感|电视剧|电影|小说|游戏|新闻|"
    # A danger feared for later (怕…起火, 担心哪天出事), requests, and damage left behind: things
    # to fix, not to rescue. Fear alone is no such sign: 「有人在撬门，我好害怕」 is happening now.
    r"(怕|担心|担忧|容易|以防|防止|以免|会不会).{0,16}(着火|起火|失火|爆炸|出事|出人命|伤人|砸到|砸伤|塌|漏电|触电)|"
    r"建议|希望|没人管|没人修|没人换|没人扫|没人处理|谁来修|找谁修)"
)
# Past events, and habits (经常出事故, 出过好几次车祸): no emergency now. A month named (三月份,
# 3月初) or 「有一次」 dates an event in a letter's account of what happened.
_PAST = re.compile(r"(上周|上个月|上月|去年|前年|前几天|前些天|几天前|几个月前|之前|以前|那次|当时|年前|曾经|上次|上回|"
                   r"出过|发生过|经常|老是|总是|常常|多次|好几次|几次了|频繁|时常|隔三差五|三天两头|好几天|几天了|"
                   r"有一次|有一回|那一次|那天|那回|[一二三四五六七八九十\d]{1,3}月(份|初|中旬|底|下旬|上旬))")
# Where a letter's sentences end: each sentence tells one moment of its account.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]+")
# 「到现在还没修」 is a duration, not "now".
_NOW = re.compile(r"((?<!到)现在|正在|马上|赶紧|快来|快点|救命|刚刚|刚才|就在|还在|此刻|这会儿|快!|快！)")
_COMPILED: Tuple[Tuple[str, Pattern[str]], ...] = tuple((kind, re.compile(rx)) for kind, rx in _RULES)


@dataclass(frozen=True)
class EmergencyMatch:
    kind: str
    phrase: str


def _is_not_now(text: str) -> bool:
    """A question or a past event is not an emergency now, unless the caller says it is happening
    (现在, 正在, 救命 ...); a past event that is also about claims or procedures stays a question."""
    past, question = bool(_PAST.search(text)), bool(_NOT_NOW.search(text))
    if _NOW.search(text):
        return past and question
    return past or question


def _told_as_past(sentence: str, start: int) -> bool:
    """Whether the phrase at `start` belongs to a past moment of the account: a past marker in its
    clause or an earlier clause of its sentence (「三月份有一次，我母亲被困在电梯里」), and no sign
    in that part of the sentence that it is happening now."""
    told = sentence[:_clause_end(sentence, start)]
    return bool(_PAST.search(told)) and not _NOW.search(told)


def _clause_end(sentence: str, start: int) -> int:
    found = _CLAUSE_END.search(sentence, start)
    return found.start() if found else len(sentence)


def _present_match(pattern: Pattern[str], text: str) -> Optional[str]:
    """The first phrase the pattern finds in a sentence not told as past, or None. A message of
    one sentence was judged whole by _is_not_now already; this matters for letters, where
    「现在」 in one sentence must not make an event of another sentence, months ago, current."""
    for sentence in _SENTENCE_END.split(text):
        for match in pattern.finditer(sentence):
            if not _told_as_past(sentence, match.start()):
                return match.group(0)
    return None


def detect_all(text: str) -> List[EmergencyMatch]:
    """Every emergency kind the rules see in the text, in KINDS order, one match per kind."""
    if not text or _is_not_now(text):
        return []
    found = {}
    for kind, pattern in _COMPILED:
        if kind in found:
            continue
        phrase = _present_match(pattern, text)
        if phrase is not None:
            found[kind] = EmergencyMatch(kind, phrase)
    return [found[kind] for kind in KINDS if kind in found]


def detect(text: str) -> Optional[EmergencyMatch]:
    """The most pressing emergency in the text, or None."""
    matches = detect_all(text)
    return matches[0] if matches else None
