"""The division list a city replaces with its own: every mistake in it reported at once, in Chinese."""
import copy

import pytest

from bot.routing import CatalogueError, load_catalogue
from bot.routing.territory import PlaceMatcher

from .conftest import SMALL, write_catalogue

DIVISIONS = """# 测试用区划表
code,name,level,parent,aliases
d1,东区,区,,
d1/s1,甲街道,街道,d1,
d1/s2,乙街道,街道,d1,
d1/s1/001,红枫社区,社区,d1/s1,
d1/s2/101,柳塘村,村,d1/s2,柳塘
"""
PLACES = """name,kind,division,numbers,aliases
长安路,道路,d1/s1,1-99,
长安路,道路,d1/s2,100-,
红枫苑,小区,d1/s1/001,,红枫苑小区
"""


def _catalogue_data():
    # Only what the territory needs: the router section belongs to the router's tests.
    return {"departments": copy.deepcopy(SMALL["departments"]), "territory": copy.deepcopy(SMALL["territory"])}


def _write(tmp_path, divisions=DIVISIONS, places=PLACES):
    (tmp_path / "divisions.csv").write_text(divisions, encoding="utf-8")
    (tmp_path / "places.csv").write_text(places, encoding="utf-8")
    return write_catalogue(tmp_path, _catalogue_data())


def _problems(path) -> list:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    return caught.value.problems


def test_the_lists_beside_the_catalogue_add_their_names(tmp_path):
    catalogue = load_catalogue(_write(tmp_path))
    assert catalogue.places["红枫社区"] == "d1/s1" and catalogue.places["柳塘村"] == "d1/s2"
    assert catalogue.places["红枫苑小区"] == "d1/s1" and catalogue.places["鼓楼"] == "d1/s1"
    # 长安路 has only ranges: without a number it is known down to the district.
    assert catalogue.places["长安路"] == "d1"
    matcher = PlaceMatcher(catalogue.places, catalogue.offices)
    assert matcher.locate("长安路120号").territory.id == "d1/s2"
    assert matcher.locate("长安路5号").territory.id == "d1/s1"
    assert matcher.locate("长安路上").territory.id == "d1"
    assert matcher.locate("柳塘二组").territory.id == "d1/s2"


def test_without_the_lists_the_territory_section_alone_is_used(tmp_path):
    catalogue = load_catalogue(write_catalogue(tmp_path, _catalogue_data()))
    assert set(catalogue.places) == {"东区", "东区人民政府", "东湖", "甲街道", "甲街道办事处", "鼓楼",
                                     "乙街道", "乙街道办事处", "鼓楼巷"}


def test_every_problem_of_the_division_list_is_reported_in_one_go(tmp_path):
    divisions = DIVISIONS + ("d1/s3,丙街道,街道,d1,\n"          # not in territory
                             "d1/s1/002,南湖社区,社区,d9,\n"      # unknown parent
                             "d1/s1/003,北湖社区,小区,d1/s1,\n"   # unknown level
                             "d1/s1/001,重复社区,社区,d1/s1,\n"   # duplicate code
                             "d1/s2/102,东湖村,村,d1,\n")         # a village right under a district
    problems = _problems(_write(tmp_path, divisions=divisions))
    assert problems == [
        "divisions.csv 第10行的级别“小区”不认识，应为 区/县/街道/镇/乡/社区/村 之一",
        "区划代码重复：d1/s1/001（divisions.csv 第6行和第11行）",
        "divisions.csv 第8行（丙街道）的代码 d1/s3 在 departments.yml 的 territory 里没有对应的属地办事处",
        "divisions.csv 第9行（南湖社区）的上级“d9”不在区划表里",
        "divisions.csv 第12行（东湖村）是村，上级应为街道/镇/乡，而“东区”是区",
    ]


def test_a_name_given_to_two_offices_is_reported_with_both_places(tmp_path):
    places = PLACES + "鼓楼,地标,d1/s2,,\n"
    assert _problems(_write(tmp_path, places=places)) == [
        "地名“鼓楼”同时属于 d1/s1 和 d1/s2（departments.yml 的甲街道；places.csv 第5行）；同名道路分段请写门牌范围"]


def test_bad_or_overlapping_number_ranges_and_unknown_divisions_are_reported(tmp_path):
    places = PLACES + ("长安路,道路,d1/s1,90-120,\n"
                       "幸福路,道路,d1/s1,99-1,\n"
                       "清水巷,道路,d7,,\n")
    problems = _problems(_write(tmp_path, places=places))
    assert "places.csv 第6行（幸福路）的门牌范围“99-1”应写成 1-199 或 200-（从小到大）" in problems
    assert "places.csv 第7行（清水巷）所属区划“d7”不在区划表里，也不是 territory 里的属地 id" in problems
    assert any(p.startswith("道路“长安路”的门牌范围重叠：1–99号（places.csv 第2行）和 90–120号（places.csv 第5行）")
               for p in problems)
    assert len(problems) == 4


def test_a_missing_column_is_reported(tmp_path):
    problems = _problems(_write(tmp_path, places="name,division\n长安路,d1/s1\n"))
    assert problems == ["places.csv 缺少列：kind（应有 name,kind,division）"]


def test_the_shipped_lists_validate_and_are_large(tmp_path):
    catalogue = load_catalogue()
    kinds = list(catalogue.places.kinds.values())
    assert len(catalogue.places) >= 300
    assert kinds.count("社区") >= 40 and kinds.count("村") >= 15 and kinds.count("道路") >= 40
    assert {r.office_id for r in catalogue.places.rules["人民路"]} == {"zhongshan/renmin", "zhongshan/jiefang"}


def test_the_summary_counts_names_by_kind_and_the_rules(tmp_path):
    from bot.routing.places import territory_summary
    catalogue = load_catalogue(_write(tmp_path))
    summary = territory_summary(catalogue.offices, catalogue.places)
    assert summary.startswith("1 个区县，2 个街道/乡镇，") and "社区 1" in summary and "村 2" in summary
    assert summary.endswith("门牌分段规则 2 条")
