"""The catalogue a city edits: its mistakes are reported clearly, all at once."""
import copy

import pytest

from bot.routing import CatalogueError, load_catalogue
from bot.routing.router import Router

from .conftest import SMALL, write_catalogue

REQUIRED = ["公安局", "民政局", "人力资源和社会保障局", "住房和城乡建设局", "城市管理", "自然资源", "生态环境局",
            "交通运输局", "教育局", "卫生健康", "市场监督管理局", "商务局", "文化广电和旅游局", "农业农村局", "水务局",
            "医疗保障局", "应急管理局", "住房公积金", "税务局", "供电", "供水", "燃气", "热力"]


def test_the_shipped_catalogue_has_every_department_of_the_issue():
    names = [d.name for d in load_catalogue().departments]
    missing = [want for want in REQUIRED if not any(want in name for name in names)]
    assert not missing


def test_merged_hotline_numbers_are_on_the_right_departments():
    hotlines = {d.id: d.hotline for d in load_catalogue().departments}
    assert hotlines["shichang"] == "12315" and hotlines["renshe"] == "12333"
    assert hotlines["gongjijin"] == "12329" and hotlines["shuiwuju"] == "12366"
    assert hotlines["gongdian"] == "95598" and hotlines["shengtai"] == "12369"


def test_the_shipped_territory_has_districts_with_streets_and_places():
    catalogue = load_catalogue()
    districts = [o for o in catalogue.offices if o.street is None]
    assert len(districts) >= 3
    assert all(any(o.district == d.district and o.street for o in catalogue.offices) for d in districts)
    assert catalogue.places["翡翠湾小区"] == "binjiang/binjiangjd"


def _problems(tmp_path, data) -> list:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write_catalogue(tmp_path, data))
    return caught.value.problems


def test_a_department_without_a_name_is_reported(tmp_path):
    data = copy.deepcopy(SMALL)
    del data["departments"][1]["name"]
    assert _problems(tmp_path, data) == ["第2个部门（id=gongdian）缺少 name（部门名称）"]


def test_a_duplicate_department_id_is_reported_with_both_positions(tmp_path):
    data = copy.deepcopy(SMALL)
    data["departments"][1]["id"] = "reli"
    assert _problems(tmp_path, data) == ["部门 id 重复：reli（第1个和第2个部门）"]


def test_every_problem_is_reported_in_one_go(tmp_path):
    data = copy.deepcopy(SMALL)
    data["departments"].append({"id": "reli", "name": "重复", "duties": ["x"]})
    data["departments"].append({"id": "nameless", "duties": ["x"]})
    data["departments"][0]["hotline"] = "call us"
    problems = _problems(tmp_path, data)
    assert len(problems) == 3
    message = str(CatalogueError("departments.yml", problems))
    assert "3 处错误" in message and "缺少 name" in message and "id 重复" in message and "hotline" in message


def test_a_department_without_duties_is_reported(tmp_path):
    data = copy.deepcopy(SMALL)
    data["departments"][0]["duties"] = []
    assert "duties（权责清单）应为非空的文字列表" in _problems(tmp_path, data)[0]


def test_a_place_name_claimed_by_two_offices_is_reported(tmp_path):
    data = copy.deepcopy(SMALL)
    data["territory"][0]["streets"][1]["places"].append("鼓楼")
    problems = [p for p in _problems(tmp_path, data) if "地名" in p]
    assert len(problems) == 1 and problems[0].startswith("地名“鼓楼”同时属于 d1/s1 和 d1/s2（departments.yml 的甲街道")


def test_a_missing_or_broken_file_is_reported(tmp_path):
    with pytest.raises(CatalogueError, match="文件不存在"):
        load_catalogue(tmp_path / "none.yml")
    (tmp_path / "bad.yml").write_text("departments: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="不是合法的 YAML"):
        load_catalogue(tmp_path / "bad.yml")


def test_training_requests_for_an_unknown_department_are_reported(tmp_path):
    training = tmp_path / "training.yml"
    training.write_text("requests:\n  shuiwu: [河道里有垃圾]\n", encoding="utf-8")
    data = copy.deepcopy(SMALL)
    data["router"]["training_files"] = [str(training)]
    with pytest.raises(CatalogueError, match="未知的部门 id：shuiwu"):
        Router.build(load_catalogue(write_catalogue(tmp_path, data)))


def test_the_catalogue_file_can_be_chosen_by_environment(small_catalogue, monkeypatch):
    monkeypatch.setenv("HOTLINE_DEPARTMENTS_FILE", str(small_catalogue))
    assert [d.id for d in load_catalogue().departments] == ["reli", "gongdian"]
