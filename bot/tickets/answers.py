"""How a citizen's answer to one ticket question is read: place, time, parties, name, phone.

Citizens answer the way people talk — 「就在人民路和解放路交叉口那儿」, 「免贵姓周」,
「幺三八 一二三四 五六七八」, 「那个摊主，不认识」. Each reader keeps what was said, normalised
(fillers and particles off, the substance verbatim), and refuses only what cannot be stored: an
empty or unknown place, a name that is a number, a phone number that is not one. A refusal comes
with a Chinese sentence that asks again.

Decisions:
  * time and parties may be unknown: recorded as 不详 (UNKNOWN), never refused;
  * an unknown clause next to a known one is kept as a note: 「那个摊主，不认识」 -> 「摊主（不认识）」;
  * hedges (大概, 好像, 左右, 多) stay in a time: they tell the case worker how sure the citizen is;
  * a citizen who will not give a name is not asked forever: the name is NAME_NOT_GIVEN (未留姓名);
  * a phone answer holding two numbers gives the first mobile; landlines need their area code and
    are stored as 0419-2123456; 「就用这个号」 gives the caller's number when the channel knows it.

Plain Python, no Rasa: facts.check_* (called by the form's validation actions) use these readers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Pattern, Sequence

UNKNOWN = "不详"
NAME_NOT_GIVEN = "未留姓名"


@dataclass(frozen=True)
class Checked:
    """A checked answer: the normalised value, or None with the reason to ask again."""
    value: Optional[str]
    problem: Optional[str] = None


PLACE_PROBLEM = "地点不能为空，请告诉我具体位置，例如区、街道、小区或门牌号、附近的标志性建筑。"
NAME_PROBLEM = "请告诉我怎么称呼您，例如“王先生”或您的姓名。"
PHONE_PROBLEM = "这个号码好像不对，请输入11位手机号码，例如13812345678；固定电话请带区号，例如0419-2123456。"
AREA_CODE_PROBLEM = "固定电话请带上区号，例如0419-2123456；也可以留11位手机号码。"
CALLER_UNKNOWN_PROBLEM = "我这边看不到您来电的号码，请直接告诉我您的11位手机号码，例如13812345678。"

# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------

_CHINESE_DIGITS = str.maketrans("零〇一二三四五六七八九幺两", "0012345678912")
_DIGIT_WORDS = "零〇一二三四五六七八九幺两"
# Three or more digit words in a row (一三八…, 幺幺零) are a number said digit by digit; shorter
# runs (一直, 两个人) are words and stay as they are.
_SPOKEN_RUN = re.compile(f"[{_DIGIT_WORDS}](?:[\\s，,、\\-]*[{_DIGIT_WORDS}]){{2,}}")

_EDGE = "，。！？!?,.、；;：:…~～ \t\r\n\"'“”‘’「」"
_PARTICLE_WORDS = "了|啊|呀|吧|呢|哦|哈|嘛|诶|欸|耶|哎|啦|哟"
_PARTICLES = f"(?:{_PARTICLE_WORDS})"
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_CLAUSE_SPLIT = re.compile(r"[，,；;。！!？?\n]+")
_SPACES = re.compile(r"\s+")

# 「不知道」 and its many spoken forms, optionally with what is not known before or after it
# (「具体在哪不清楚」, 「我也说不上来具体在哪」, 「这个不知道」).
_UNKNOWN_CORE = (
    r"不知道|不太知道|不清楚|不太清楚|不大清楚|不是很清楚|不是太清楚|不记得|不太记得|记不得|记不清|"
    r"记不太清|记不住|记不清楚|忘了|忘记了|忘掉了|不确定|不太确定|不详|不晓得|不知|说不清|说不清楚|"
    r"说不上来|说不好|讲不清|没注意|没太注意|没留意|没看清|没看清楚|没看到|想不起来|想不起|搞不清|"
    r"弄不清|不了解|不认识|没有|无")
_UNKNOWN_TOPIC = (
    r"(?:嗯|呃|额|哎|唉|啊|这个|那个|我|也|都|真的|真|实在|确实|还|就|具体的?|当时|时间|地点|地址|"
    r"位置|名字|对方|是谁|在哪里|在哪儿|在哪|哪里|哪儿|几点|哪天|什么时候|叫什么|是哪家|这|那)*")
_UNKNOWN_WORDS = re.compile(
    rf"^{_UNKNOWN_TOPIC}(?:{_UNKNOWN_CORE}){_UNKNOWN_TOPIC}{_PARTICLES}*$")
_UNKNOWN_STRIP = re.compile(r"[\s，。！？!?,.、…~～]")


def spoken_digits_to_arabic(text: str) -> str:
    """'一三八 一二三四 五六七八' -> '138 1234 5678': callers and ASR often say numbers in words."""
    return text.translate(_CHINESE_DIGITS)


def spoken_runs_to_arabic(text: str) -> str:
    """Only runs of three or more digit words become digits: 「一三九零零…，白天都能打通」."""
    return _SPOKEN_RUN.sub(lambda m: spoken_digits_to_arabic(re.sub(r"[\s，,、\-]", "", m.group())), text)


def is_unknown(text: str) -> bool:
    """The citizen does not know: 不知道, 记不清了, 说不上来, 没注意, 这个不知道, 具体在哪不清楚 …"""
    return bool(_UNKNOWN_WORDS.match(_UNKNOWN_STRIP.sub("", text or "")))


def _trim(text: str) -> str:
    return _SPACES.sub(" ", (text or "").strip(_EDGE)).strip(_EDGE)


def _meaningful_length(text: str) -> int:
    return len(_MEANINGFUL.findall(text))


def _strip_fillers(text: str, lead: Pattern, tail: Pattern, protected: Sequence[str] = ()) -> str:
    """Peel filler words off both ends until none is left; a protected name (在水一方) is never cut."""
    text = _trim(text)
    while True:
        match = lead.match(text)
        if not match or not match.group():
            break
        cut = next((text.find(name) for name in protected if 0 <= text.find(name) < match.end()), None)
        if cut is not None:
            text = text[cut:]
            break
        text = _trim(text[match.end():])
    while True:
        match = tail.search(text)
        if not match or not match.group():
            break
        text = _trim(text[:match.start()])
    return text


# ---------------------------------------------------------------------------------------------
# Place (required)
# ---------------------------------------------------------------------------------------------

# 那个/这个 go only when a real place follows them (「那个建设路菜市场门口」, not 「那个楼」).
_LOCATION_LEAD = re.compile(
    r"^(?:嗯+|呃+|额+|啊+|哦+|喂|就是说|就是|应该是|地址是|地址在|地址|地点是|地点在|地点|具体位置是|"
    r"具体地址是|具体地点是|具体位置在|具体在|位置是|位置在|位置|事情发生在|发生在|出事在|我家住在|"
    r"我家就在|我家在|我们家在|我们那儿是|我住在|我住|住在|我就在|我在|就在|是在|在|就|是|"
    r"(?:那个|这个)(?=[^，,]{3}))[，,：:\s]*")
_LOCATION_TAIL = re.compile(
    rf"(?:那儿|那里|那边|那块|这儿|这里|这边|这块|的地方|的位置|{_PARTICLE_WORDS})$")
# Place names that begin with a filler word: the filler is part of the name.
_PROTECTED_PLACES = ("在水一方",)


def read_location(text: str) -> Checked:
    """「就在人民路和解放路交叉口那儿」 -> 「人民路和解放路交叉口」; unknown or empty -> ask again."""
    if is_unknown(text):
        return Checked(None, PLACE_PROBLEM)
    place = _strip_fillers(text, _LOCATION_LEAD, _LOCATION_TAIL, _PROTECTED_PLACES)
    # Anything of two meaningful characters may be a landmark the citizen knows; less is not a place.
    if _meaningful_length(place) < 2 or is_unknown(place):
        return Checked(None, PLACE_PROBLEM)
    return Checked(place[:200])


# ---------------------------------------------------------------------------------------------
# Time and parties (optional: 不详 when not known)
# ---------------------------------------------------------------------------------------------

_FILLER_SOUNDS = r"嗯+|呃+|额+|啊+|哦+|就是"
_TIME_FILLERS = r"时间是|时间|事情发生在|发生在|是在|在|是"
# 那个/这个 go only before two more characters: 「那个摊主」 -> 「摊主」, but 「那个人」 stays.
_PARTY_FILLERS = r"对方是|涉及的是|被投诉的是|投诉的是|举报的是|是|(?:那个|这个)(?=[^，,]{2})"


def _lead(*alternatives: str) -> Pattern:
    return re.compile(f"^(?:{'|'.join(alternatives)})[，,：:\\s]*")


_TIME_LEAD = _lead(_FILLER_SOUNDS, _TIME_FILLERS)
_PARTY_LEAD = _lead(_FILLER_SOUNDS, _PARTY_FILLERS)
_OPTIONAL_TAIL = re.compile(f"{_PARTICLES}$")
# 「叫什么物业来着想不起来了」, 「那家店叫啥不知道」: the kind of party is known, its name is not.
_NAME_FORGOTTEN = re.compile(
    r"^(?:叫(?:什么|啥)(?:名字)?(?P<kind>[^，,]{1,15}?)来着|(?P<thing>[^，,]{1,15}?)叫(?:什么|啥)(?:名字)?(?:来着)?)"
    r"(?P<rest>.*)$")


def _known_and_notes(text: str, lead: Pattern) -> Checked:
    """Clauses the citizen knows are kept; clauses saying what they don't know become a note."""
    known, notes = [], []
    for clause in _CLAUSE_SPLIT.split(text or ""):
        said = _strip_fillers(clause, lead, _OPTIONAL_TAIL)
        if _meaningful_length(said) == 0:
            continue
        # Checked before and after the particles go: 「忘了」 without its 了 is no longer 「忘了」.
        if is_unknown(clause) or is_unknown(said):
            notes.append(_trim(clause))
        else:
            known.append(said)
    if not known:
        return Checked(UNKNOWN)
    note = f"（{'，'.join(notes)}）" if notes else ""
    return Checked(("，".join(known) + note)[:200])


def _forgotten_name(text: str, lead: Pattern) -> Optional[Checked]:
    match = _NAME_FORGOTTEN.match(_trim(text))
    if not match:
        return None
    what = _strip_fillers(match.group("kind") or match.group("thing"), lead, _OPTIONAL_TAIL)
    return Checked(f"{what}（名称记不清）") if _meaningful_length(what) else None


def read_time(text: str) -> Checked:
    """「上周三晚上十点多吧」 -> 「上周三晚上十点多」; ranges and vague times kept; 记不清了 -> 不详."""
    return _known_and_notes(text, _TIME_LEAD)


def read_party(text: str) -> Checked:
    """「那个摊主，不认识」 -> 「摊主（不认识）」; 「叫什么物业来着想不起来了」 -> 「物业（名称记不清）」."""
    return _forgotten_name(text, _PARTY_LEAD) or _known_and_notes(text, _PARTY_LEAD)


# ---------------------------------------------------------------------------------------------
# Name
# ---------------------------------------------------------------------------------------------

_HONORIFIC = r"(?:先生|女士|小姐|阿姨|大爷|大妈|大娘|大姐|大哥|大叔|师傅|老师|奶奶|爷爷|叔叔|婶婶|老人家|同志|老板)"
_NAME_REFUSAL = re.compile(
    r"不想说|不想留|不想告诉|不愿意?说|不愿意?留|不愿透露|不方便|不告诉|不用了|不用留|不留|保密|匿名|"
    r"就不说了|不说了|免了|不需要|随便|都行|都可以|无所谓")
_NAME_LEAD = re.compile(r"^(?:嗯+|呃+|额+|啊+|哦+|那个)[，,\s]*")
_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z·]"
_NAME_END = rf"(?=就行|就可以|就好|就成|{_PARTICLES}|[，,。！!\s]|$)"
# 「我叫张伟」, 「叫我小王就行」, 「名字是张伟」: a name said in full.
_FULL_NAME = re.compile(
    rf"(?:我的名字(?:叫|是)|名字(?:叫|是)|姓名(?:是)?[:：]?|就叫我|你叫我|您叫我|叫我|我叫|全名叫|全名是|叫)"
    rf"(?P<name>{_NAME_CHARS}{{1,10}}?){_NAME_END}")
# 「免贵姓周」, 「我姓李，木子李」, 「姓欧阳」: only the surname.
_SURNAME = re.compile(rf"(?:免贵|我|本人)?姓(?P<surname>[\u4e00-\u9fff]{{1,2}}?)(?=[，,。！!\s]|的|是|叫|$)")
_I_AM = re.compile(rf"^(?:我是|我就是|本人是|本人)(?P<name>{_NAME_CHARS}{{1,10}}?){_NAME_END}")
_NAME_TAIL = re.compile(rf"(?:就行了?|就可以了?|就好了?|就成|{_PARTICLES})$")


def _name_said(text: str) -> Optional[str]:
    """The name in the answer, before any checks: full name, else surname (+ honorific), else the
    first clause as it stands (「王女士」, 「陈阿姨」, 「小王」)."""
    full = _FULL_NAME.search(text)
    if full:
        return full.group("name")
    surname = _SURNAME.search(text)
    if surname:
        honoured = re.search(re.escape(surname.group("surname")) + _HONORIFIC, text)
        return honoured.group() if honoured else surname.group("surname")
    i_am = _I_AM.match(text)
    if i_am:
        return i_am.group("name")
    first = _CLAUSE_SPLIT.split(text)[0]
    return _NAME_TAIL.sub("", _trim(first))


def read_name(text: str) -> Checked:
    """How to address the citizen. A refusal stores NAME_NOT_GIVEN instead of asking again."""
    text = _trim(_NAME_LEAD.sub("", _trim(text)))
    # 「不想说」 and 「叫什么都行」: the citizen gives no name; asking again would only annoy.
    if _NAME_REFUSAL.search(text):
        return Checked(NAME_NOT_GIVEN)
    if not text or is_unknown(text):
        return Checked(None, NAME_PROBLEM)
    name = _trim(_name_said(text) or "")
    if not name or re.search(r"\d", name) or len(name) > 10 or not re.fullmatch(f"{_NAME_CHARS}+", name):
        return Checked(None, NAME_PROBLEM)
    return Checked(name)


# ---------------------------------------------------------------------------------------------
# Phone
# ---------------------------------------------------------------------------------------------

# Digit groups are split by spaces, dashes, dots, and — typed on a phone or inserted by speech
# recognition — Chinese commas: 138，1234，5678 and 138、1234、5678.
_SEPARATOR = r"[\s\-—－.·，,、]{0,3}"
# A mainland mobile, digits possibly grouped (138 1234 5678), possibly after +86 / 0086 / 86.
_MOBILE = re.compile(
    rf"(?<!\d)(?:[+＋]?\s*(?:0086|86)[\s\-—－)）]*)?(?P<number>1[3-9](?:{_SEPARATOR}\d){{9}})(?!\d)")
# A landline with its area code split off: 0419-2123456, (010)12345678, 0419 2123456.
_LANDLINE_SPLIT = re.compile(
    r"(?<!\d)[(（]?\s*(?P<area>0\d{2,3})\s*(?:[)）]\s*|[\-—－]\s*|\s+)(?P<local>[2-9]\d{6,7})(?!\d)")
# A landline written as one run of digits: 04192123456, 01012345678.
_LANDLINE_RUN = re.compile(r"(?<!\d)0\d{9,11}(?!\d)")
_LOCAL_ONLY = re.compile(r"(?<!\d)[2-9]\d{6,7}(?!\d)")
_THIS_NUMBER = re.compile(
    r"本机|就这个|用这个|就是这个|(?:这个|本|此|现在这个|当前|来电|打进来的?|我打的这个?|打过来的?)"
    r"(?:号码?|手机号?|电话号?码?)")


def _split_area_code(digits: str) -> Optional[str]:
    """Area codes 010 and 02x have three digits, all others four (0419); the rest is local."""
    area = digits[:3] if digits[1] in "12" else digits[:4]
    local = digits[len(area):]
    return f"{area}-{local}" if 7 <= len(local) <= 8 and local[0] in "23456789" else None


def _first_number(text: str) -> Optional[str]:
    mobile = _MOBILE.search(text)
    if mobile:
        return re.sub(r"\D", "", mobile.group("number"))
    split = _LANDLINE_SPLIT.search(text)
    if split:
        return f"{split.group('area')}-{split.group('local')}"
    run = _LANDLINE_RUN.search(text)
    return _split_area_code(run.group()) if run else None


def read_phone(text: str, caller_number: Optional[str] = None) -> Checked:
    """A mobile (13812345678) or a landline with area code (0419-2123456), however it was said.

    「就用这个号」/「本机」 mean the number the citizen is calling from: caller_number, when the
    channel knows it; otherwise the citizen is asked for the number itself."""
    heard = spoken_runs_to_arabic(text or "")
    number = _first_number(heard)
    if number:
        return Checked(number)
    if _THIS_NUMBER.search(heard):
        caller = _first_number(spoken_runs_to_arabic(caller_number or ""))
        return Checked(caller) if caller else Checked(None, CALLER_UNKNOWN_PROBLEM)
    if _LOCAL_ONLY.search(re.sub(r"(?<=\d)[\s\-—－](?=\d)", "", heard)):
        return Checked(None, AREA_CODE_PROBLEM)
    return Checked(None, PHONE_PROBLEM)


# ---------------------------------------------------------------------------------------------
# Yes / no questions of the form, and the request type asked with buttons
# ---------------------------------------------------------------------------------------------

# Negations first: 「不匿名」 and 「不同意」 contain the positive word.
_ANONYMOUS_NO = re.compile(r"不匿名|不用匿名|不要匿名|实名|留下|留(个|一下|着)?(电话|联系方式|名字|手机)|可以留|愿意留|能留")
_ANONYMOUS_YES = re.compile(r"匿名|不留|不想留|不用留|不要留|别留|保密|不署名|不想暴露|不想让人知道")
_CONSENT_NO = re.compile(r"不同意|不行|不可以|不愿意|不要给|别给|不能给|不提供|不给|不想给|不想让|不用给")
_CONSENT_YES = re.compile(r"同意|可以|行|好的?|没问题|给吧|没事|愿意|是的|对的?|嗯|ok|OK|中|成")
_TYPE_WORDS = (("consult", r"咨询|问问|问一下|打听"), ("seek_help", r"求助|帮忙|帮帮|帮我|维修|修一下|解决"),
               ("complain", r"投诉|投素"), ("report", r"举报|举抱|检举|揭发"), ("suggest", r"建议|意见|提个议"))


def _yes_no(text: str, no: Pattern, yes: Pattern) -> Optional[bool]:
    text = _trim(text)
    if no.search(text):
        return False
    if yes.search(text):
        return True
    return None


def read_anonymous(text: str) -> Optional[bool]:
    """「匿名吧」 -> True, 「留个电话吧」 -> False, anything else -> None (ask again)."""
    return _yes_no(text, _ANONYMOUS_NO, _ANONYMOUS_YES)


def read_consent(text: str) -> Optional[bool]:
    """「可以，给他们吧」 -> True, 「不同意」 -> False, anything else -> None (ask again)."""
    return _yes_no(text, _CONSENT_NO, _CONSENT_YES)


def read_named_type(text: str) -> Optional[str]:
    """The request type a citizen names in words (「我是要投诉」), or None when none or several."""
    named = {kind for kind, words in _TYPE_WORDS if re.search(words, text or "")}
    return named.pop() if len(named) == 1 else None


# 「不是投诉，是建议」, 「我这个应该算举报」, 「类型改成求助」: the citizen corrects the request type.
_NOT_THAT = re.compile(r"不是|不算|并不是|不属于|不要")
_MAKE_IT = re.compile(r"改成|改为|换成|应该是|应该算|算是|其实是|类型是|是要|而是")


def read_type_correction(text: str) -> Optional[str]:
    """The type a citizen corrects the request to, or None when the text corrects nothing."""
    text = text or ""
    named = sorted((match.start(), kind) for kind, words in _TYPE_WORDS for match in re.finditer(words, text))
    kinds = [kind for _, kind in named]
    if len(set(kinds)) == 2 and len(named) == 2:
        (first_at, first), (_, second) = named
        negated = _NOT_THAT.search(text[:first_at])
        if negated and first_at - negated.end() <= 4:
            return second                       # 不是投诉，是建议
    if len(set(kinds)) == 1:
        cue = _MAKE_IT.search(text[:named[0][0]])
        if cue and named[0][0] - cue.end() <= 2:
            return kinds[0]                     # 应该算举报, 改成求助
    return None
