"""Text helpers of the intake dialogue, table-driven."""
import pytest

from bot import intake_text
from bot.intake_text import reacts_to_answer

QUESTIONS = [
    "这个要多久才能处理？",
    "可以网上办吗",
    "可以网上办吗。",
    "请问你们几点下班",
    "请问",
    "这个归谁管",
    "能不能快点处理",
    "我想问问路灯的事",
    "怎么投诉物业",
    "办这个要多久",
    "是不是要带身份证",
    "处理了没有",
    "你们是哪个部门",
    "为什么还没人来修",
    "要交多少钱",
    "什么时候能修好",
    "我这个情况可不可以申请补贴",
    "有没有人管啊",
    "会不会泄露我的信息",
    "需要我提供照片吗",
    "那我应该找谁",
    "如何办理居住证",
    "去哪里办",
    "人民路是归哪个街道管",
    "这样能行吗",
    "你是机器人吗？",
    "我的工单到底处理了没",
    "咋办啊",
    "能否加快进度",
    "几点开门",
    "要不要本人去",
    "为啥不给办",
]

STATEMENTS = [
    "人民路",
    "就在人民路和解放路交叉口那儿",
    "万达广场东门",
    "大概国庆节以后吧",
    "上周三晚上十点多",
    "晚上吵得怎么也睡不着",
    "不知道是哪天",
    "记不清是几点了",
    "前几天晚上",
    "没有",
    "那边没有路灯",
    "这么晚了还在施工",
    "免贵姓周",
    "13812345678",
    "那个摊主，不认识",
    "楼下烧烤摊每天吵到半夜",
    "好的",
    "",
    "说不上来在哪儿",
    "从去年冬天一直到现在",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_of_their_own_is_recognised(text):
    assert intake_text.looks_like_question(text)


@pytest.mark.parametrize("text", STATEMENTS)
def test_statements_and_answers_are_not_questions(text):
    assert not intake_text.looks_like_question(text)


@pytest.mark.parametrize("slot, text, plausible", [
    ("location", "万达广场东门", True),
    ("location", "幸福小区3号楼2单元502", True),
    ("location", "红旗镇李家村三组", True),
    ("location", "老槐树", True),
    ("location", "是在人民路吗", True),
    ("location", "不知道", True),
    ("location", "这个要多久才能处理？", False),
    ("location", "请问投诉需要提供哪些材料呢", False),
    ("event_time", "上周三晚上十点多", True),
    ("event_time", "从去年冬天一直到现在", True),
    ("event_time", "记不清了", True),
    ("event_time", "人民路", False),
    ("event_time", "你们到底管不管", False),
    ("involved_party", "那个摊主，不认识", True),
    ("involved_party", "不认识", True),
    ("involved_party", "这事你们能不能管？", False),
    ("contact_name", "免贵姓周", True),
    ("contact_name", "王女士", True),
    ("contact_name", "为什么要留名字", False),
    ("contact_name", "13812345678", False),
    ("contact_phone", "138 1234 5678", True),
    ("contact_phone", "幺三八一二三四五六七八", True),
    ("contact_phone", "0419-2123456", True),
    ("contact_phone", "为什么要留电话", False),
    ("description", "楼下烧烤摊每天吵到半夜", True),
    ("description", "嗯", False),
    ("location", "", False),
])
def test_plausible_answers(slot, text, plausible):
    assert intake_text.plausible_answer(slot, text) is plausible


@pytest.mark.parametrize("letter, matter", [
    ("尊敬的王书记：您好！我们小区路灯坏了。此致敬礼！", "我们小区路灯坏了。"),
    ("尊敬的市长：\n小区门口积水严重。\n此致\n敬礼\n一位市民\n2024年5月1日", "小区门口积水严重。"),
    ("张局长您好，路灯坏了三个月。望回复！", "路灯坏了三个月。"),
    ("领导好！噪音扰民。谢谢领导！", "噪音扰民。"),
    ("尊敬的领导，您好，物业乱收费。盼复。", "物业乱收费。"),
    ("您好，我想反映停水的问题。谢谢", "我想反映停水的问题。"),
    ("王市长：学校门口交通拥堵。", "学校门口交通拥堵。"),
    ("物业负责人，一直不给修电梯。", "物业负责人，一直不给修电梯。"),
    ("小区门口积水严重。", "小区门口积水严重。"),
])
def test_salutations_and_closings_are_stripped(letter, matter):
    assert intake_text.strip_salutation(letter) == matter


LONG_LETTER = ("尊敬的王书记：\n您好！我是幸福小区的业主，我们小区门口的道路已经坏了两年多了，一下雨就积水，"
               "老人孩子出行非常不便。多次向街道反映都没有结果。恳请领导督促有关部门尽快修复道路，解决群众出行难题。"
               "\n此致\n敬礼！\n幸福小区业主 2024年5月1日")


@pytest.mark.parametrize("letter, line", [
    (LONG_LETTER, "恳请领导督促有关部门尽快修复道路，解决群众出行难题"),
    ("关于幸福小区道路积水的问题\n" + LONG_LETTER, "关于幸福小区道路积水的问题"),
    ("《关于增设公交站点的建议》\n尊敬的市长：我们村离最近的公交站有五公里。", "关于增设公交站点的建议"),
    ("市长您好，我们小区的路灯坏了很久了。一直没人修。", "我们小区的路灯坏了很久了"),
    ("我们村的自来水经常停。所以希望相关部门尽快解决供水问题。谢谢！", "希望相关部门尽快解决供水问题"),
    ("我是幸福小区的业主\n小区门口的道路坏了两年多了。请有关部门尽快处理。", "请有关部门尽快处理"),
    ("小区旁边工地每天夜里施工到凌晨两三点钟噪音非常大严重影响周边居民的休息和孩子的学习。", "小区旁边工地每天夜里施工到凌晨两三点钟噪音非常大严重影响周边居民的休息和孩子的…"),
])
def test_a_long_letter_gets_a_summary_line(letter, line):
    assert intake_text.summary_line(letter) == line


@pytest.mark.parametrize("limit", [10, 20, 40])
def test_a_summary_line_is_never_longer_than_its_limit(limit):
    assert len(intake_text.summary_line(LONG_LETTER * 3, limit=limit)) <= limit


@pytest.mark.parametrize("text, letter", [
    (LONG_LETTER, True),
    ("路" * 200, True),
    ("尊敬的市长：" + "小区门口积水严重，" * 9, True),
    ("小区门口积水严重，" * 9, False),
    ("尊敬的市长：路灯坏了。", False),
    ("楼下烧烤摊每天吵到半夜", False),
    ("", False),
])
def test_letters_are_long_or_letter_shaped(text, letter):
    assert intake_text.is_letter(text) is letter


@pytest.mark.parametrize("text", ["没解决，帮我登记", "没用", "不行，还是登记吧", "帮我登记一下", "都不是"])
def test_a_typed_reaction_to_an_answer_is_no_new_matter(text):
    assert reacts_to_answer(text)


@pytest.mark.parametrize("text", ["没解决的问题是楼下烧烤摊每天吵到半夜两点", "帮我查一下社保卡怎么补办", "你好", ""])
def test_a_new_matter_is_not_a_reaction(text):
    assert not reacts_to_answer(text)
