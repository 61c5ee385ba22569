"""属地 as citizens name places, against the shipped division list (no router: matching alone)."""
import pytest

from bot.routing import load_catalogue
from bot.routing.territory import PlaceMatcher


@pytest.fixture(scope="module")
def places():
    catalogue = load_catalogue()
    return PlaceMatcher(catalogue.places, catalogue.offices)


def _id(places, text, place=None):
    territory = places.locate(text, place).territory
    return territory.id if territory else None


@pytest.mark.parametrize("text", ["幸福里小区门口天天有人摆摊", "我住幸福里，楼下烧烤太吵", "幸福里那边的路灯坏了",
                                  "投诉幸福里物业不作为"])
def test_a_compound_is_found_with_or_without_its_suffix(places, text):
    assert _id(places, text) == "zhongshan/jiefang"


def test_a_short_form_is_derived_from_the_list(places):
    # 和平里小区 is listed; people say 和平里.
    assert places.locate("和平里北门垃圾堆了一周").territory.matched == "和平里"


@pytest.mark.parametrize("text, office, matched", [
    ("人民路88号门口有个坑", "zhongshan/renmin", "人民路88号"),
    ("人民路 250 号的垃圾没人清", "zhongshan/jiefang", "人民路250号"),
    ("人民路二百零六号停水", "zhongshan/jiefang", "人民路206号"),
    ("人民路一九九号停水", "zhongshan/renmin", "人民路199号"),
    ("人民路上的井盖丢了", "zhongshan/renmin", "人民路"),            # no number: the road's default office
    ("滨江大道350号晚上噪音大", "binjiang/jiangwan", "滨江大道350号"),
    ("滨江大道100号晚上噪音大", "binjiang/binjiangjd", "滨江大道100号"),
])
def test_a_house_number_chooses_the_office_by_the_place_rule(places, text, office, matched):
    territory = places.locate(text).territory
    assert (territory.id, territory.matched) == (office, matched)


def test_a_crossing_is_located_by_its_roads(places):
    assert _id(places, "解放北路与人民路交叉口红绿灯坏了") == "zhongshan/jiefang"


@pytest.mark.parametrize("text", ["沙洲村三组的路坏了", "沙洲村3组停电", "沙洲三组的路坏了", "我是沙洲村的"])
def test_a_village_is_found_with_its_group(places, text):
    assert _id(places, text) == "binjiang/jinsha"


def test_communities_and_listed_places_belong_to_their_street(places):
    assert _id(places, "北关社区的活动室一直锁着") == "zhongshan/jiefang"
    assert _id(places, "铁路医院门口乱停车") == "beicheng/beizhan"
    assert _id(places, "县实小门口早上堵车") == "qingshan/chengguanzhen"


def test_a_district_alone_gives_the_district_without_a_street(places):
    territory = places.locate("中山区有没有办居住证的地方").territory
    assert territory.id == "zhongshan" and territory.street is None and territory.office == "中山区人民政府"


def test_a_district_with_a_street_place_gives_the_street(places):
    territory = places.locate("中山区解放路有人占道经营").territory
    assert territory.id == "zhongshan/jiefang" and territory.district == "中山区"


def test_a_common_word_is_not_a_place_inside_another_word(places):
    assert _id(places, "长江滩涂上有人挖沙") is None           # 江滩 is a place, 长江滩涂 is not
    assert _id(places, "我以前住福州鼓楼区，社保怎么转") is None  # another city's 鼓楼
    assert _id(places, "哈尔滨南岗区学府路的暖气不热") is None    # another city's 学府路


def test_the_place_answer_comes_before_the_text(places):
    assert _id(places, "解放路上的路灯坏了", place="西苑三区5栋") == "beicheng/xiyuan"


def test_find_all_gives_every_mention_with_its_position(places):
    text = "从人民路到幸福里小区"
    found = places.find_all(text)
    assert sorted((m.start, m.matched) for m in found) == [(1, "人民路"), (5, "幸福里小区")]
    assert all(text[m.start:m.start + len(m.matched)] == m.matched for m in found)


# ---------------------------------------------------------------------------------- unknown places

@pytest.mark.parametrize("text, unknown", [
    ("我住在紫荆花园3栋，楼上漏水", "紫荆花园"),
    ("投诉紫荆花园物业", "紫荆花园"),
    ("幸福大道188号有人占道经营", "幸福大道188号"),
    ("红星村五组的路坏了", "红星村五组"),
    ("东湖苑门口的井盖丢了", "东湖苑"),
    ("幸福路和光明路交叉口积水很深", "幸福路和光明路交叉口"),
])
def test_an_unknown_place_is_reported_and_not_guessed(places, text, unknown):
    located = places.locate(text)
    assert located.territory is None and located.unknown_place == unknown


def test_an_unknown_place_beside_a_district_keeps_the_district(places):
    located = places.locate("滨江区紫荆花园停电了")
    assert located.territory.id == "binjiang" and located.territory.street is None
    assert located.unknown_place == "紫荆花园"


def test_an_unknown_place_answer_is_reported(places):
    located = places.locate("楼上漏水一个月了", place="紫荆花园3栋2单元")
    assert located.territory is None and located.unknown_place == "紫荆花园"


@pytest.mark.parametrize("text", [
    "我们小区停水了", "那个小区的物业不管事", "市区堵车太严重了", "路灯不亮", "坐103路公交车司机态度差",
    "地铁3号线太挤", "隔壁小区装修太吵", "城中村的垃圾没人管", "社区医院看病太贵", "住在老旧小区，电梯坏了",
    "村里的路灯坏了", "中小学门口堵车", "幸福里小区3栋停电", "马路和小路路口没有红绿灯",
])
def test_words_that_only_look_like_places_are_not_reported(places, text):
    assert places.locate(text).unknown_place is None
