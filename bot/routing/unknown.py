"""Places the citizen named that the catalogue does not know (阳光花园, 幸福大道188号).

Such a place is reported, never guessed: the ticket's 属地 stays empty and the hotline office
sees the name (`hotline places unknown`) and adds it to settings/places.csv.

Precision first, as bot/tickets/mentioned.py reads places (its ideas, not its code: the router
does not depend on the tickets): a place needs a name of its own before its unit, so 我们小区,
那个小区, 隔壁小区, 市区, 路灯 and the bus line 103路 are not places; a road counts only with a
house number (幸福大道188号) or at a named crossing (幸福路和光明路交叉口), since 马路, 这条路,
步行街 name no road.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

# Characters that never stand inside a name (particles, pronouns, measure words, common verbs).
_NOT_IN_NAME = ("的了是在住我你他她它们想问要把被让给到去来说有没不很太都也还就吧呢啊呀吗么这那哪谁啥怎什"
                "走跑看跟从对向往坏堵破个座条只件能会可进多少几每各该其此某上下边面俺咱请搞找送刮当比所着些")
_NAME = rf"(?:[\u4e00-\u9fff](?<![{_NOT_IN_NAME}]))"
# 村 is a unit unless it starts another word (村口, 村里, 村民, 村委, 村集体, 村主任); 中小学 is no school.
_VILLAGE = r"村(?![口里民委长干集会级务主局])"
# Residential compounds are named with many suffixes besides 小区 (丽景公馆, 东湖雅居, 钢厂家属院, and
# the parts of a large one: 西苑二区).
_COMPOUND = (rf"(?:小区|花园|家园|嘉园|新村|新城|社区|大厦|公寓|公馆|雅居|名邸|华庭|华府|山庄|家属院|宿舍|大院|"
             rf"[一二三四五六七八九十]区(?!政府|法院|人民|医院|教育|公安)|"
             rf"菜市场|市场(?!监管|经济|价格|秩序|主体|准入)|商场|广场|苑|(?<!中)小学|中学|医院|公园)")
_ROAD = r"(?:大道|大街|路|街|巷|胡同|弄)"
_NUMBER = r"(?:\d+|[零〇一二两三四五六七八九十百]+)"
_GROUP = rf"(?:{_NUMBER}组)"
_PLACE = re.compile(
    rf"(?P<road>{_NAME}{{2,12}}?{_ROAD}{_NUMBER}号)"
    rf"|(?P<crossing>{_NAME}{{2,12}}?{_ROAD}[与和跟]{_NAME}{{2,6}}?{_ROAD}(?:交叉口|十字路口|路口))"
    rf"|(?P<compound>{_NAME}{{2,12}}?(?:{_COMPOUND}+|{_VILLAGE}{_GROUP}?))")
# Where a name cannot have begun yet: after an administrative unit (柳河乡张家湾村 → 张家湾村,
# A市C区华府小区 → 华府小区) or a word of the request around it (申请公开小区, 暴雨过后小区, 一家私立医院).
_BEFORE_NAME = re.compile(
    r"^.*(?:区|县|镇|乡|市|街道|公开|申请|关于|建议|举报|举抱|投诉|反映|咨询|利用|鼓励|如果|觉得|根据|维修|解决|"
    r"帮助|请求|开通|夜间|出台|政策|增设|开放|一些|一家|一名|一个|有家|那家|专门|批准|过后|以后|以前|之后|大雨|暴雨|大风|"
    r"打雷|夜里|昨天|今天|前天|长期|私自|出租|规范|加强|或者|部门|希望|麻烦|要求|位于|靠近|家住|地址|地点)")
# Names that say nothing about where: 城中村, 隔壁小区, 老旧小区, 人民医院, 湿地公园 (kinds, not names).
_GENERIC = {
    "城中", "农村", "老旧", "隔壁", "附近", "旁边", "对面", "周边", "周围", "整个", "住宅", "居民", "商品",
    "商品房", "安置", "回迁", "拆迁", "高档", "新建", "物业", "封闭", "开放式", "门口", "房地产", "人才", "劳务",
    "二手车", "城乡", "乡村", "美丽", "本地", "当地", "外地", "其他", "别的", "好几", "社区", "街道",
    "小区", "公立", "私立", "民营", "三甲", "大型", "小型", "农贸", "全市", "全区", "全县", "本市", "本区",
    "各个", "所有", "乡下", "新农", "楼下", "楼上", "偏僻", "人民", "中心", "实验", "第一", "整形", "军队", "部队",
    "口袋", "文化", "便民", "批发", "建材", "湿地", "街心", "长租", "老家", "儿童", "妇幼", "中医", "口腔", "专科",
    "精神病", "私家", "正规", "夏天", "冬天", "民办", "公办", "寄宿", "重点", "城郊", "郊区", "市中心", "城里",
}
_SEPARATOR = "，"
# Where the name ends in each kind of match: before the house number, the crossing, the unit.
_UNIT_OF = {"road": rf"{_ROAD}{_NUMBER}号$", "crossing": rf"{_ROAD}[与和跟]", "compound": rf"{_COMPOUND}|{_VILLAGE}"}


def unknown_place(text: str, known: Iterable) -> Optional[str]:
    """The first place-shaped name in text outside the known matches (PlaceMatch: start, matched),
    e.g. 「滨江区紫荆花园3栋漏水」 with 滨江区 known -> 「紫荆花园」. text is in NFKC form."""
    for start, length in sorted(((m.start, len(m.matched)) for m in known), reverse=True):
        # Blanked, so a known name neither counts as unknown nor joins the words beside it.
        text = text[:start] + _SEPARATOR + text[start + length:]
    for match in _PLACE.finditer(text):
        found = match.group()
        unit = re.search(_UNIT_OF[match.lastgroup], found)
        name = _BEFORE_NAME.sub("", found[:unit.start()])
        if _is_name(name, found[unit.start():]):
            return name + found[unit.start():]
    return None


def _is_name(name: str, unit: str) -> bool:
    return (2 <= len(name) <= 6 and name not in _GENERIC and not re.search(r"[和或及与农]$|^" + _GROUP, name))
