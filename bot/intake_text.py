"""Text helpers the intake dialogue needs besides the slot readers (bot/tickets/answers.py).

  looks_like_question  is the citizen asking something of their own?
  plausible_answer     can this text be read as an answer to the slot the form asked for?
  strip_salutation     a letter without 尊敬的…：, 您好, 此致敬礼, 望回复 …
  summary_line         one short line for a long letter (title, else the ask, else the first sentence)
  is_letter            long or letter-shaped text (a 市长信箱 letter pasted into the chat)

While a form asks 「事情发生在什么地方？」, the citizen may answer, or ask back (「这个要多久才能处理？」).
The form treats a text as a question of their own when looks_like_question(text) and not
plausible_answer(slot, text). Voice transcripts have no punctuation, so questions are recognised
by their words too (吗, 怎么, 能不能, 请问 …), not only by 「？」.
"""
from __future__ import annotations

import re

from bot.tickets.answers import is_unknown, read_name, read_phone

# --------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------

_QUESTION_MARK = re.compile(r"[?？]\s*$")
# 吗, 么 (not 这么/那么/多么), 了没(有) at the end: 「可以网上办吗」, 「处理了没有」.
# 「…有地方给调解不」, 「…咋办呢」: a spoken yes/no or open question ends in 不 / 呢 as well.
_QUESTION_PARTICLE = re.compile(r"(?:吗|(?<![这那多])么|了没有|了没|(?<=.{4})(?<![不没])不|呢)\s*[。.!！~～]*\s*$")
# Words that ask: 怎么 (not 怎么也/怎么都, which intensify a statement), 能不能, 多久, 请问 …
_QUESTION_WORDS = re.compile(
    r"请问|问一下|问问|想问|想咨询|咨询一下|怎么(?![也都])|怎样|怎么样|如何|为什么|为啥|干嘛|哪里|哪儿|哪个|哪些|"
    r"哪家|哪天|多久|多长时间|多少|(?<![前这那过好])几天|几点|什么时候|啥时候|什么时间|能不能|可不可以|是不是|有没有|会不会|"
    r"要不要|行不行|能否|是否|可否|谁管|谁负责|找谁|归谁|该找|咋办|咋|"
    # Not bare 什么 / 几年: 「叫什么物业来着记不住了」 and 「好几年了」 are answers, not questions.
    r"(?<![好前这那过十])几(种|套|号)|往哪|去哪|上哪|到哪")
# 「不知道在哪里」, 「记不清是哪天」: an interrogative word inside an answer that something is not known.
_NOT_KNOWN_BEFORE = re.compile(
    r"(?:不知道|不清楚|记不清|记不得|想不起来?|说不上来|忘了|不确定|不记得|搞不清)[^。，,？?]*$")


def looks_like_question(text: str) -> bool:
    """True when the citizen asks something of their own: 「…吗」, 「怎么/如何/哪里/多久/能不能…」,
    「请问…」, or anything ending in 「？」. 「我想问问路灯的事」 counts: it announces a question.
    An interrogative word after 不知道/记不清 (「不知道是哪天」) is an answer, not a question."""
    text = (text or "").strip()
    if not text:
        return False
    if _QUESTION_MARK.search(text):
        return True
    if _QUESTION_PARTICLE.search(text) and not is_unknown(text):
        return True
    word = _QUESTION_WORDS.search(text)
    if not word:
        return False
    return not _NOT_KNOWN_BEFORE.search(text[:word.start()])


# --------------------------------------------------------------------------------------------
# Plausible answers
# --------------------------------------------------------------------------------------------

_PLACE_CUE = re.compile(
    r"省|市|区|县|旗|镇|乡|村|组|屯|街道|社区|路|街|道|巷|胡同|弄|里|号|栋|幢|楼|单元|室|层|小区|花园|公寓|"
    r"家园|苑|府|大厦|广场|公园|商场|超市|市场|学校|小学|中学|大学|医院|车站|站|机场|码头|桥|河|门|口|"
    r"旁边|对面|附近|边上|周边|隔壁|楼下|楼上|后面|前面|里面|一带|东|西|南|北")
_TIME_CUE = re.compile(
    r"\d|[零〇一二三四五六七八九十两]|年|月|日|号|点|分|天|周|星期|礼拜|早|晚|夜|上午|下午|中午|凌晨|傍晚|"
    r"昨|今|明|前|后|以来|最近|刚才|刚刚|一直|每天|天天|经常|总是|节|春|夏|秋|冬|时候|小时|分钟|现在|"
    r"开始|之前|以前|左右")
_DIGITS_OR_WORDS = re.compile(r"\d|[零〇一二三四五六七八九幺两]{3}")
_SHORT_ANSWER = 12


def _short_statement(text: str, limit: int = _SHORT_ANSWER) -> bool:
    return 0 < len(text) <= limit and not looks_like_question(text)


def _place_answer(text: str) -> bool:
    if is_unknown(text):
        return True
    if _PLACE_CUE.search(text):
        return not looks_like_question(text) or len(text) <= _SHORT_ANSWER
    return _short_statement(text)


def _time_answer(text: str) -> bool:
    if is_unknown(text):
        return True
    return bool(_TIME_CUE.search(text)) and (not looks_like_question(text) or len(text) <= _SHORT_ANSWER)


def _phone_answer(text: str) -> bool:
    return read_phone(text).value is not None or bool(_DIGITS_OR_WORDS.search(text))


def _name_answer(text: str) -> bool:
    return len(text) <= _SHORT_ANSWER and not looks_like_question(text) and read_name(text).value is not None


# 「没解决，帮我登记」, 「不行，还是登记吧」, 「没用」: a reaction to an answer, not a new matter.
_REACTION = re.compile(r"^(没解决|未解决|没用|不管用|不行|没帮助|还是不行|不对|不是这个|都不是|帮我登记|给我登记|"
                       r"登记一下|还是登记|我要登记|帮我反映|转给部门)")
_REACTION_LIMIT = 14


def reacts_to_answer(text: str) -> bool:
    """Whether text only reacts to the answer just given (typed instead of pressing the button),
    so that the matter is still the one asked before it."""
    text = re.sub(r"[\s，,。.!！？?、~～吧啊呀了]+", "", text or "")
    return 0 < len(text) <= _REACTION_LIMIT and bool(_REACTION.match(text))


def plausible_answer(slot: str, text: str) -> bool:
    """Whether text can be read as an answer to the slot (not whether the answer is valid):
    a place cue or a short noun phrase for location, a time cue for event_time, digits for
    contact_phone, a short name for contact_name, a short statement for involved_party,
    any statement of four characters or more for description. 不知道 answers the optional
    slots and the place (the place reader then asks again)."""
    text = (text or "").strip()
    if not text:
        return False
    readers = {
        "location": _place_answer,
        "event_time": _time_answer,
        "involved_party": lambda t: is_unknown(t) or _short_statement(t, 30),
        "contact_name": _name_answer,
        "contact_phone": _phone_answer,
        "description": lambda t: len(t) >= 4,
    }
    reader = readers.get(slot)
    return reader(text) if reader else not looks_like_question(text)


# --------------------------------------------------------------------------------------------
# Letters
# --------------------------------------------------------------------------------------------

_TITLES = r"书记|市长|副市长|区长|县长|镇长|乡长|局长|处长|主任|部长|厅长|领导|同志|工作人员|负责人|秘书长"
# 「尊敬的王书记：」, 「尊敬的领导，您好」; without 尊敬的 only 「王市长：」 or 「张局长您好」, so that a first
# sentence naming an official (「物业负责人，…」) is not taken for a salutation.
_OPENING = re.compile(
    rf"^\s*(?:(?:尊敬的|敬爱的|亲爱的)[^，,：:。！!\n]{{0,20}}?\s*(?:您好|你好|好)?\s*[：:，,！!。]|"
    rf"[^，,：:。！!\n]{{0,12}}(?:{_TITLES})们?\s*(?:[：:]|(?:您好|你好)\s*[！!，,。：:]?))\s*")
_GREETING = re.compile(r"^\s*(?:您好|你好|领导们?好|大家好|各位领导好|各位好)\s*[！!，,。：:]?\s*")
# 此致敬礼 ends a letter: what follows it is the signature and the date.
_SIGN_OFF = re.compile(r"\s*此致[\s，,]*敬礼.*$", re.S)
_CLOSING = re.compile(
    r"\s*(?:谢谢领导|谢谢您|谢谢你们|谢谢|感谢领导|感谢您|望回复|望答复|盼复|盼回复|恳请回复|期待您的回复|"
    r"期待回复|望采纳|望批准)\s*[！!。.，,~～]*\s*$")
_ASK = re.compile(r"希望|请求|要求|恳请|恳求|建议|呼吁|请[^。！？!?\n]{0,12}(?:解决|处理|协调|督促|查处|整改|帮助|帮忙|关注|落实)")
_SENTENCE = re.compile(r"[^。！？!?\n；;]+")
_TITLE_END = re.compile(r"[。，,！!？?：:；;]$")
_PERSONAL_START = re.compile(r"^(?:我|俺|本人|您|你)")
_ASK_LEAD = re.compile(r"^(?:所以|因此|特此|在此|现|故|我们|我|在这里)+[，,]?")
_LETTER_LENGTH = 200
_SALUTED_LETTER_LENGTH = 80


def _strip_opening(text: str) -> str:
    while True:
        stripped = _GREETING.sub("", _OPENING.sub("", text, count=1), count=1)
        if stripped == text:
            return text
        text = stripped


def _strip_closing(text: str) -> str:
    text = _SIGN_OFF.sub("", text)
    while True:
        stripped = _CLOSING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def strip_salutation(text: str) -> str:
    """「尊敬的王书记：您好！……此致敬礼」 -> the matter alone, so a letter is judged by what it says."""
    return _strip_closing(_strip_opening((text or "").strip())).strip()


def has_salutation(text: str) -> bool:
    text = (text or "").strip()
    return bool(text) and strip_salutation(text) != text


def _title_line(body: str) -> str:
    """The first line, when it reads as a title: short, more text after it, no sentence punctuation."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if len(lines) < 2 or not 4 <= len(lines[0]) <= 30 or _TITLE_END.search(lines[0]) \
            or _PERSONAL_START.match(lines[0]):
        return ""
    return lines[0].strip("《》【】[] ").removeprefix("标题：").removeprefix("标题:")


def _ask_sentence(body: str) -> str:
    for sentence in _SENTENCE.findall(body):
        if _ASK.search(sentence):
            return _ASK_LEAD.sub("", sentence.strip()).strip("，, ")
    return ""


def _shorten(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[:max(limit - 1, 0)] + "…"


def summary_line(text: str, limit: int = 40) -> str:
    """A short line for a long letter: its title, else the sentence stating the ask (希望/请求/
    要求/恳请/建议/请…解决), else its first sentence; salutation left out; at most limit characters."""
    body = strip_salutation(text)
    first = next(iter(_SENTENCE.findall(body)), "").strip()
    line = _title_line(body) or _ask_sentence(body) or first
    return _shorten(line.strip(), limit)


def is_letter(text: str) -> bool:
    """Long (200 characters or more) or letter-shaped (a salutation and 80 characters or more)."""
    text = (text or "").strip()
    return len(text) >= _LETTER_LENGTH or (has_salutation(text) and len(text) >= _SALUTED_LETTER_LENGTH)
