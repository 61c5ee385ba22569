"""Facts a citizen already gave before the form asks: in the opening message, or to a seat.

A seat who hears 「我是住在和平区人民路88号3单元的王女士，楼下烧烤店每天晚上吵到一两点，电话
13812345678」 does not ask for the place, the time, the party, the name and the phone again. Neither
does the assistant: these readers find each fact said in passing, the form skips the questions it
answers, and the summary shows them (the citizen corrects any with 修改).

Precision comes first: a fact taken wrongly is worse than a question asked once more. So each
reader takes only what is unmistakable —
  * a place only when it names one (a road, a number, a named estate, village or district), never
    「我们小区」, 「家门口」, 「这条街」, which leave the case worker nowhere;
  * a time only from time words (昨天晚上, 上周三, 11月3日, 每天夜里十点以后, 最近一个月);
  * a party only when it is a named or kind-of body (XX物业, 楼下烧烤店, XX公司, 房东, 摊主);
  * a name only when the citizen says it is theirs (我姓王, 免贵姓周, 我叫张伟, 我是李先生);
  * a phone only when it is said to be the citizen's own (我的电话, 联系电话, 手机号, 打我电话).
Every value then passes the same check the form's answer would (answers.py), so it is stored in
the same shape.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, Optional

from bot.tickets.answers import read_location, read_name, read_phone, read_time, spoken_runs_to_arabic

_CLAUSE = re.compile(r"[^，,。！!？?；;\n]+")
_HAN = r"\u4e00-\u9fff"

# ---------------------------------------------------------------------------------------------
# Place
# ---------------------------------------------------------------------------------------------

# Characters that never stand inside a name (particles, pronouns, measure words, common verbs): a
# name is the run of other characters before a unit, so 「我家在城关镇」 gives 城关镇, 「那座小桥」
# and 「走夜路」 give nothing.
_NOT_IN_NAME = ("的了是在住我你他她它们想问要把被让给到去来说有没不很太都也还就吧呢啊呀吗么这那哪谁啥怎什"
                "走跑看跟从对向往坏堵破个座条只件能会可进多少几每各该其此某上下")
_NAME = rf"[^{_NOT_IN_NAME}\W_]"
# Units that make a place findable (人民路, 88号, 新华村, 幸福小区) and units that only narrow one
# down (和平区, 3单元): a place needs a findable unit with a name of its own.
# (路灯, 路面, 号码, 桥下 are things, not places.)
_FINDABLE = (r"(?:镇|乡|街道|社区|村|屯|路(?![灯面边况段上牌障])|街(?![灯上边])|大街|大道|巷|胡同|弄|号院|"
             r"号楼(?![下上])|号(?![线码])|小区|花园|公寓|家园|新村|苑|大厦|广场|公园|商场|菜市场|市场|超市|"
             r"小学|中学|大学|学校|医院|地铁站|车站|桥(?![下上面]))")
_NARROWING = r"(?:省|市|区|县|旗|组|栋|幢|单元)"
_UNITS = rf"(?:{_FINDABLE}|{_NARROWING})"
_POSITIONS = r"(?:十字路口|交叉口|路口|门口|东门|西门|南门|北门|正门|后门|附近|对面|旁边|东侧|西侧|南侧|北侧)"
_SEGMENT = rf"(?:{_NAME}{{1,8}}?{_UNITS}|[和与]{_NAME}{{1,8}}?{_UNITS}|{_NAME}{{0,4}}?{_POSITIONS})"
_PLACE_SPAN = re.compile(rf"{_NAME}{{1,8}}?{_UNITS}{_SEGMENT}*")
# Words that open a request and are not part of the place after them (「投诉幸福里小区物业」).
_REQUEST_LEAD = re.compile(r"^(?:投诉|举报|反映|建议|咨询|请问|希望|麻烦|要求|申请|关于|检举)+")
# A findable unit with a name of two characters or a number: 人民路, 88号, 新华村 — not 小区, 市区.
_NAMED = re.compile(rf"(?P<name>{_NAME}{{2,}}|\d+(?=号)|[一二三四五六七八九十]+(?=[组号])){_FINDABLE}")
# Names that say nothing about where: 公交站, 老小区, 大市场.
_GENERIC_NAME = re.compile(rf"^(?:公交|地铁|马|小|大|老|新|本|城|一|全){_FINDABLE}$")


# What may stand right before a place: a clause's start, a digit or one of these. Anything else
# means the span began inside a word (「前进路」 read from 进) and would name the wrong place.
_BEFORE_A_PLACE = set("的了是在住我你他她它们想到去来说有把被让给往向跟从对那这个座条家就也还都")


def _named_place(span: str) -> Optional[str]:
    span = _REQUEST_LEAD.sub("", span)
    # A name of digits only is a bus line (103路) unless a house number (88号) follows it.
    named = [m.group() for m in _NAMED.finditer(span)
             if not _GENERIC_NAME.match(m.group()) and (re.search(r"\D", m.group("name")) or m.group().endswith("号"))]
    return read_location(span).value if named else None


def place_in(text: str) -> Optional[str]:
    """「我家住和平区人民路88号3单元，楼下…」 -> 「和平区人民路88号3单元」; 「小区门口路灯坏了」 -> None."""
    for clause in _CLAUSE.findall(text or ""):
        for match in _PLACE_SPAN.finditer(clause):
            before = clause[match.start() - 1] if match.start() else ""
            if re.match(r"[\u4e00-\u9fff]", before) and before not in _BEFORE_A_PLACE:
                continue
            place = _named_place(match.group())
            if place:
                return place
    return None


# ---------------------------------------------------------------------------------------------
# Time
# ---------------------------------------------------------------------------------------------

_DIGIT = r"[0-9零〇一二三四五六七八九十两]"
_TIME_ANCHOR = (
    rf"(?:(?:{_DIGIT}{{2,4}}年)?{_DIGIT}{{1,2}}月(?:{_DIGIT}{{1,3}}[日号])?(?:[前后左右]|以来|以后|以前|开始)?|"
    r"今天|昨天|前天|大前天|今儿|昨儿|今早|昨早|今晚|昨晚|前晚|今天?早上|昨天?早上|今年|去年|前年|"
    r"上(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]?|这(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]?|本周|"
    r"上个?月|这个?月|本月|上半年|下半年|前几天|前些天|前段时间|这几天|这两天|这段时间|最近(?:几天|一段时间|"
    r"一个月|几个月|半年|一周|两天)?|近期|近来|每晚|每天晚上|每到晚上|每周[一二三四五六日天末]?|"
    r"(?:每天|天天)(?=[^，,。]{0,2}(?:早上|上午|中午|下午|傍晚|晚上|夜里|半夜|凌晨|[0-9零一二三四五六七八九十两]+点))|"
    r"周末|节假日|工作日|国庆(?:节)?|春节|元旦|五一|中秋(?:节)?|端午(?:节)?|半个月(?:前|来|了)|"
    rf"{_DIGIT}{{1,3}}(?:天|个月|年|周|个星期)(?:前|来|了|以来|多了))")
_TIME_TAIL = (r"(?:早上|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜|深夜|凌晨|白天|"
              rf"{_DIGIT}{{1,3}}(?:点|时)(?:半|多|钟|左右)?|以来|以后|之后|以前|之前|开始|起|左右)")
# 「快一个月了」, 「将近半年」: how long it has lasted keeps its hedge and its 了.
_TIME_SPAN = re.compile(rf"(?:从|快|将近|近|大概|差不多|已经|有)?{_TIME_ANCHOR}了?(?:[{_HAN}]{{0,2}}?{_TIME_TAIL})*")


def time_in(text: str) -> Optional[str]:
    """「楼下烧烤店每天晚上吵到一两点」 -> 「每天晚上」; 「昨天下午三点多…」 -> 「昨天下午三点多」."""
    match = _TIME_SPAN.search(text or "")
    if not match:
        return None
    span = re.sub(r"起$", "", match.group().strip())
    value = read_time(span).value
    return value if value and value != "不详" else None


# ---------------------------------------------------------------------------------------------
# Party
# ---------------------------------------------------------------------------------------------

_BODY = (r"(?:物业公司|物业|开发商|公司|集团|超市|商场|饭店|餐馆|餐厅|酒店|宾馆|酒吧|歌厅|KTV|网吧|烧烤店|烧烤摊|"
         r"小吃店|理发店|美容院|健身房|培训机构|培训班|幼儿园|驾校|中介|4S店|店铺|门店|药店|诊所|工地|施工队|"
         r"工厂|厂|加工厂|养殖场|洗车店|修车店|快递站|快递点|菜市场|停车场|银行|营业厅|出租车|网约车|公交公司|"
         r"学校|医院|店)")
_PARTY_SPAN = re.compile(rf"{_NAME}{{0,8}}?{_BODY}")
_PEOPLE = re.compile(r"房东|摊主|摊贩|小贩|商贩|老板|店主|业主委员会|业委会|包工头|保安|城管|司机|邻居|开发商")
# 「长江路56号一家黑网吧」: the party is what follows 一家 / 那个 (and 「那家」 read from 家).
# 「人民路88号楼下烧烤店」: the party starts after the house number (the place is read apart).
_COUNTED = re.compile(r"^(?:.*(?:一家|有家|那家|这家|一个|那个|这个|\d+号(?:楼(?![下上])|院)?)|[家个])")
# A body named only by its kind (饭店, 那家物业, 个工地) says nothing the form's question would not
# get better: not taken, the form asks 「涉及哪家单位或哪个人」.
_KIND_ONLY = re.compile(r"^[家个]?(?:店|厂|店铺|门店|公司|集团|物业|物业公司|超市|商场|市场|菜市场|饭店|餐馆|餐厅|酒店|"
                        r"宾馆|学校|医院|幼儿园|诊所|药店|银行|营业厅|工地|停车场|中介)$")


def party_in(text: str) -> Optional[str]:
    """「楼下烧烤店每天吵」 -> 「烧烤店」; 「投诉幸福里物业不作为」 -> 「幸福里物业」; 「房东不退押金」 -> 「房东」."""
    for clause in _CLAUSE.findall(text or ""):
        for match in _PARTY_SPAN.finditer(clause):
            party = _COUNTED.sub("", _REQUEST_LEAD.sub("", match.group()))
            if party and not _KIND_ONLY.match(party):
                return party[:60]
        person = _PEOPLE.search(clause)
        if person:
            return person.group()
    return None


# ---------------------------------------------------------------------------------------------
# Name and phone: only what the citizen says is their own
# ---------------------------------------------------------------------------------------------

_OWN_NAME = re.compile(
    rf"(?:免贵姓|我姓|俺姓|本人姓|我叫|俺叫|本人叫|我的名字叫|我的名字是|我是|俺是|本人是)[{_HAN}]{{1,4}}?"
    # Voice transcripts have no commas: the name ends where 我们 / 想 / 家住 … begin.
    r"(?:先生|女士|小姐|阿姨|大爷|大妈|大姐|大哥|师傅|老师)?(?=[，,。！!？?\s]|$|[^\u4e00-\u9fff]|我|俺|咱|想|要|在|住|家|的|是|反映|投诉|举报)"
    r"|(?:免贵姓|我姓|俺姓|本人姓)[\u4e00-\u9fff]{1,2}")
_NOT_A_NAME = re.compile(r"[我俺]是(?:这|那|本|业主|住户|居民|租户|市民|村民|家长|学生|老人|一名|一个|个|想|要|来|在|住|说|)")
_OWN_PHONE = re.compile(
    r"(?:我的?(?:电话|手机|号码|手机号码?|电话号码?|联系方式)|本人(?:电话|手机)|联系电话|联系方式|联系号码|"
    r"手机号码?|回电|回访|打我(?:电话|手机)?|联系我|找我|电话(?:是|[:：])|(?<![店家方商他她板主东])电话(?=\s*[0-9]))")
_PHONE_NEAR = 12


def name_in(text: str) -> Optional[str]:
    """「我姓王，…」 -> 「王」; 「我是李先生」 -> 「李先生」; 「我是业主」 -> None."""
    for match in _OWN_NAME.finditer(text or ""):
        said = match.group()
        if _NOT_A_NAME.match(said) and not re.search("先生|女士|小姐|阿姨|大爷|大妈|大姐|大哥|师傅|老师", said):
            continue
        value = read_name(said).value
        if value:
            return value
    return None


def phone_in(text: str) -> Optional[str]:
    """A phone number the citizen calls their own: 「有事打我电话13812345678」 -> 「13812345678」."""
    heard = spoken_runs_to_arabic(text or "")
    for cue in _OWN_PHONE.finditer(heard):
        near = heard[cue.end(): cue.end() + _PHONE_NEAR + 8]
        value = read_phone(near).value
        if value and re.sub(r"\D", "", near)[:4] == re.sub(r"\D", "", value)[:4]:
            return value
    return None


# ---------------------------------------------------------------------------------------------
# All of them
# ---------------------------------------------------------------------------------------------

_READERS = (("location", place_in), ("event_time", time_in), ("involved_party", party_in),
            ("contact_name", name_in), ("contact_phone", phone_in))


SLOTS = tuple(slot for slot, _ in _READERS)


def mentioned_facts(texts: Iterable[str], wanted: Iterable[str]) -> Dict[str, str]:
    """The wanted form slots the citizen's messages already answer, first mention first."""
    wanted = set(wanted)
    found: Dict[str, str] = {}
    for text in texts:
        for slot, reader in _READERS:
            if slot in wanted and slot not in found:
                value = reader(text or "")
                if value:
                    found[slot] = value
    place, party = found.get("location", ""), found.get("involved_party", "")
    if party and place and party in place and party != place:
        # 「人民医院急诊门口有人打架」: the hospital is where it happened, not who did it.
        del found["involved_party"]
    return found
