"""How the held-out office history's citizens write and talk (eval/office_history.py): the same
facts as a short message, a phone call transcribed without punctuation, a long letter with its
history, a web form, an angry message, northern dialect, and typos. Written for this evaluation."""
from __future__ import annotations

import random
import re
from typing import List, Sequence

_PHONE_OPENINGS = ("喂你好", "喂 是12345吗", "你好 我想反映个情况", "你好啊同志 我说个事", "喂喂 能听见吗",
                   "哎你好 我这边有个问题", "你好 麻烦记一下", "喂 我是附近的居民")
_PHONE_FILLERS = ("那个", "就是", "嗯", "然后", "就那个", "反正", "怎么说呢", "你知道吧")
_PHONE_ENDINGS = ("你们给处理一下吧", "好 谢谢啊", "就这个事 麻烦了", "你们赶紧派人来看看", "行 就这样",
                  "我等你们回话", "拜托了")
_LETTER_HEADS = ("尊敬的市长：您好！", "尊敬的领导：", "市长您好：", "各位领导好！", "尊敬的12345热线工作人员：")
_LETTER_INTROS = ("我是{place}附近的一名居民，", "我是一名普通市民，住在{place}一带，", "本人家住{place}，",
                  "我是在{place}生活了十几年的老住户，", "")
_LETTER_HISTORY = ("这个问题从{month}月份就开始了，我们多次找过物业和社区，一直没有得到解决。",
                   "之前我也打过热线，当时说会处理，可到现在情况没有任何好转。",
                   "周围的邻居都很有意见，大家商量后由我来写这封信。",
                   "考虑再三，还是决定给您写信反映。", "")
_LETTER_IMPACTS = ("这严重影响了我们的正常生活。", "长此以往，身体和精神都受不了。", "群众意见很大。",
                   "这不仅影响生活，也有安全隐患。")
_LETTER_ENDS = ("盼复！", "恳请领导重视，盼回复。", "此致\n敬礼！", "谢谢！", "期待您的答复。")
_LETTER_SIGNS = ("一位{place}的居民", "一名市民", "{place}的住户", "")
_ANGRY_OPENINGS = ("我已经打了好几次电话了！", "到底有没有人管？！", "投诉多少次了！", "实在忍无可忍了！",
                   "气死我了，")
_ANGRY_ENDINGS = ("再不管我就找媒体了！", "你们到底管不管？", "别再敷衍了！！", "请给个说法！")
_DIALECT = (("什么", "啥"), ("怎么", "咋"), ("很", "贼"), ("特别", "老"), ("我们", "俺们"), ("一直", "老是"),
            ("睡不着", "整宿整宿睡不着"), ("这样", "这样式儿的"), ("没有", "没"), ("干什么", "嘎哈"))
_DIALECT_ENDS = ("你说这咋整", "可闹心了", "整得人没法过", "真是服了")
_TYPOS = (("噪音", "燥音"), ("反映", "反应"), ("处理", "处里"), ("已经", "以经"), ("晚上", "晚尚"), ("严重", "严众"),
          ("影响", "影向"), ("希望", "希忘"), ("休息", "休习"), ("工资", "工姿"), ("路灯", "路等"), ("垃圾", "拉圾"),
          ("施工", "施功"), ("污水", "汚水"), ("公交", "公较"), ("的", "得"), ("在", "再"))
_REPEATS = ("上次打过电话了，", "我之前已经反映过一次，", "又是我，", "第二次打了，", "上周反映的事还没解决，")
_CN_DIGITS = "零一二三四五六七八九"
_WHEN = ("昨天晚上", "这两天", "今天早上", "最近一个月", "从上周开始", "这阵子", "前天", "最近", "这半个月来")
_WHO = ("我是这里的老住户", "我在这边租房住", "我是附近上班的", "我家里有两个老人", "我是个体户",
        "我是替我父母打的电话", "我是外地来的", "我孩子在附近上学")


def _sentence(parts: Sequence[str]) -> str:
    return "，".join(p.strip("，。") for p in parts if p) + "。"


def short(rng: random.Random, parts: List[str], **_) -> str:
    text = _sentence(parts)
    return text if rng.random() < 0.6 else text.rstrip("。") + rng.choice(("！", "，谢谢。", "，请处理。"))


def _spoken_numbers(text: str) -> str:
    return re.sub(r"\d", lambda m: _CN_DIGITS[int(m.group())], text)


def phone(rng: random.Random, parts: List[str], **_) -> str:
    """A call transcribed by the old system's speech recognition: no punctuation, fillers."""
    words = [rng.choice(_PHONE_OPENINGS)]
    for part in parts:
        if rng.random() < 0.5:
            words.append(rng.choice(_PHONE_FILLERS))
        words.append(re.sub(r"[，。！？、：；]", " ", part).strip())
    words.append(rng.choice(_PHONE_ENDINGS))
    text = " ".join(w for w in words if w)
    return _spoken_numbers(text) if rng.random() < 0.5 else text


def letter(rng: random.Random, parts: List[str], place: str = "", **_) -> str:
    """A letter to the mayor's mailbox: who writes, since when, what, how it hurts, what is asked."""
    where = place or "本市"
    head = rng.choice(_LETTER_HEADS)
    intro = rng.choice(_LETTER_INTROS).format(place=where)
    history = rng.choice(_LETTER_HISTORY).format(month=rng.choice("三四五六七八九"))
    body = _sentence(parts)
    sign = rng.choice(_LETTER_SIGNS).format(place=where)
    text = f"{head}\n{intro}想向您反映一个问题。{body}{history}{rng.choice(_LETTER_IMPACTS)}{rng.choice(_LETTER_ENDS)}"
    return f"{text}\n{sign}".strip() if sign else text


def form(rng: random.Random, parts: List[str], place: str = "", **_) -> str:
    """The web form of an older portal, fields in brackets."""
    fields = [f"【问题描述】{_sentence(parts[:-1] or parts)}"]
    if place:
        fields.append(f"【具体位置】{place}")
    if len(parts) > 1:
        fields.append(f"【诉求】{parts[-1]}")
    return "".join(fields)


def angry(rng: random.Random, parts: List[str], **_) -> str:
    return rng.choice(_ANGRY_OPENINGS) + "！".join(p.strip("，。") for p in parts) + "！" + rng.choice(_ANGRY_ENDINGS)


def dialect(rng: random.Random, parts: List[str], **_) -> str:
    text = _sentence(parts)
    for plain, spoken in rng.sample(_DIALECT, 5):
        text = text.replace(plain, spoken)
    return text.rstrip("。") + "，" + rng.choice(_DIALECT_ENDS) + "。"


def typos(rng: random.Random, text: str) -> str:
    for right, wrong in rng.sample(_TYPOS, 3):
        text = text.replace(right, wrong, 1)
    return text


def when(rng: random.Random, core: str) -> str:
    """「昨天晚上」「这两天」 before the sentence, for some citizens."""
    return rng.choice(_WHEN) + core if rng.random() < 0.3 else core


def who(rng: random.Random) -> str:
    return rng.choice(_WHO) if rng.random() < 0.2 else ""


def repeat_prefix(rng: random.Random) -> str:
    return rng.choice(_REPEATS)


STYLES = {"short": short, "phone": phone, "letter": letter, "form": form, "angry": angry, "dialect": dialect}
# Which way of writing each channel of the old system brings, with weights.
BY_CHANNEL = {
    "电话": (("phone", 6), ("short", 2), ("dialect", 2), ("angry", 1)),
    "网站": (("form", 4), ("letter", 3), ("short", 2), ("angry", 1)),
    "市长信箱": (("letter", 8), ("form", 1)),
    "微信": (("short", 5), ("angry", 2), ("dialect", 1), ("letter", 1)),
    "APP": (("short", 4), ("form", 2), ("angry", 1)),
    "短信": (("short", 1),),
}
