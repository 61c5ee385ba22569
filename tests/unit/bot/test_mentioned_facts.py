"""Facts said in passing are taken, unmistakable ones only: a wrong fact is worse than a question."""
import pytest

from bot.tickets import mentioned

ALL = mentioned.SLOTS


@pytest.mark.parametrize("text, expected", [
    ("我是住在和平区人民路88号3单元的，楼下烧烤店每天晚上吵到一两点，电话13812345678",
     {"location": "和平区人民路88号3单元", "involved_party": "烧烤店", "contact_phone": "13812345678"}),
    ("昨天下午三点多在中山路和解放路交叉口有人乱扔建筑垃圾",
     {"location": "中山路和解放路交叉口", "event_time": "昨天下午三点多"}),
    ("喂你好我家在城关镇新华村三组门前的水渠堵了已经半个月了", {"location": "城关镇新华村三组"}),
    ("投诉幸福里小区物业不作为，垃圾三天没人清", {"location": "幸福里小区", "involved_party": "幸福里小区物业"}),
    ("举报长江路56号一家黑网吧接纳未成年人", {"location": "长江路56号", "involved_party": "黑网吧"}),
    ("我姓李，幸福小区5号楼的，电梯又坏了，联系电话 139 1234 5678",
     {"contact_name": "李", "contact_phone": "13912345678", "location": "幸福小区5号楼"}),
    ("你好我叫刘建国我们村的自来水管道破了", {"contact_name": "刘建国"}),
    ("有事打我电话一三八一二三四五六七八", {"contact_phone": "13812345678"}),
    ("房东不退押金，我该怎么办", {"involved_party": "房东"}),
])
def test_facts_said_in_the_opening_are_taken(text, expected):
    found = mentioned.mentioned_facts([text], ALL)
    for slot, value in expected.items():
        assert found.get(slot) == value, (slot, found)


@pytest.mark.parametrize("text, slot", [
    ("小区门口路灯坏了", "location"),               # which estate? the form must ask
    ("我们这条街路灯整排都不亮", "location"),
    ("公交站的站牌让车撞歪了", "location"),
    ("我想问一下地铁三号线什么时候通车", "location"),   # a line number is no place
    ("商家电话13900001111，一直打不通", "contact_phone"),  # someone else's number
    ("我是业主，物业乱收停车费", "contact_name"),
    ("楼道的灯坏了，麻烦派人修一下", "event_time"),
])
def test_what_is_not_unmistakable_is_left_to_the_form(text, slot):
    assert slot not in mentioned.mentioned_facts([text], ALL)


def test_only_wanted_slots_and_the_first_mention_count():
    found = mentioned.mentioned_facts(["人民路88号门口太吵", "不对，是中山路12号"], ["location"])
    assert found == {"location": "人民路88号门口"}


@pytest.mark.parametrize("text", [
    "喂你好就是我们那个小区的化粪池满了都冒出来了",      # 个小区: a measure word is no name
    "你好我们村口那座小桥的栏杆断了一截",
    "摩托车到底能不能进市区",                             # 市区 narrows nothing down
    "前进路15号门口",                                     # read from 进 it would be 路15号: better ask
])
def test_a_place_read_from_inside_a_word_is_not_taken(text):
    assert "location" not in mentioned.mentioned_facts([text], ["location"])
