"""What a dispatcher sees: the suggested department, the runner-up and the territorial office."""
import time

import pytest

from bot.routing import EmptyRequestError, Router, load_catalogue, load_router, route

CLEAR_CASES = [
    ("我家暖气片冰凉的，屋里才十二度", "reli"),
    ("小区从中午开始停电，到现在还没来电", "gongdian"),
    ("辞职以后住房公积金怎么全部取出来", "gongjijin"),
    ("老板拖欠我们三个月工资不发", "renshe"),
    ("身份证掉了，补办要带什么", "gongan"),
    ("在饭店吃的菜里有苍蝇，老板不承认", "shichang"),
    ("低保申请要什么条件", "minzheng"),
    ("工厂往河里偷排污水", "shengtai"),
    ("出租车司机绕路还不打表", "jiaotong"),
    ("医保异地就医备案怎么办", "yibao"),
]


@pytest.mark.parametrize("text,expected", CLEAR_CASES)
def test_clear_requests_go_to_the_responsible_department(router, text, expected):
    decision = router.route(text)
    assert decision.department.id == expected
    assert decision.confidence >= 0.5 and not decision.abstain


def test_runner_up_is_another_department_with_lower_confidence(router):
    decision = router.route("楼下烧烤店的油烟直接排进我家窗户")
    assert decision.runner_up.id != decision.department.id
    assert 0 <= decision.runner_up.confidence <= decision.confidence <= 1
    assert decision.confidence + decision.runner_up.confidence <= 1.0 + 1e-9


def test_the_merged_hotline_number_comes_with_the_department(router):
    decision = router.route("买到的电饭煲是假货，商家不给退")
    assert (decision.department.name, decision.department.hotline) == ("市市场监督管理局", "12315")


def test_a_named_compound_maps_to_its_street_office_and_district(router):
    territory = router.route("幸福里小区门口每天早上都有人占道摆摊").territory
    assert territory.office == "解放街道办事处"
    assert territory.district == "中山区" and territory.district_office == "中山区人民政府"
    assert territory.matched == "幸福里小区"


def test_a_district_named_alone_maps_to_the_district_government(router):
    territory = router.route("青山县有没有安全的应急避难场所").territory
    assert territory.office == "青山县人民政府" and territory.street is None


def test_a_street_place_is_more_specific_than_the_district_name(router):
    assert router.route("滨江区江湾路上的井盖丢了").territory.office == "江湾街道办事处"


def test_no_place_named_means_no_territory(router):
    assert router.route("社保卡丢了去哪里补办").territory is None
    assert router.route("我以前在北京朝阳区交的社保怎么转过来").territory is None   # not our city


def test_a_place_name_does_not_change_the_department(router):
    plain = router.route("门口的路灯坏了一个多月")
    placed = router.route("锦绣花园门口的路灯坏了一个多月")
    assert placed.department.id == plain.department.id == "chengguan"


def test_overlapping_place_names_resolve_to_the_longest(small_catalogue):
    router = Router.build(load_catalogue(small_catalogue))
    assert router.route("鼓楼巷停电了").territory.office == "乙街道办事处"
    assert router.route("鼓楼附近停电了").territory.office == "甲街道办事处"


@pytest.mark.parametrize("text", ["", "   ", "？？！", "你好，谢谢"])
def test_a_request_with_nothing_to_route_is_refused_clearly(router, text):
    with pytest.raises(EmptyRequestError, match="诉求内容为空"):
        router.route(text)


def test_unrecognisable_text_is_left_to_a_dispatcher_with_three_candidates(router):
    decision = router.route("qwxz")
    assert decision.abstain and decision.to_json()["abstain"] is True
    assert len(decision.candidates) == 3 and len({c.id for c in decision.candidates}) == 3
    assert decision.co_handlers == ()


def test_json_has_exactly_the_documented_keys(router):
    data = router.route("人民路停水了").to_json()
    assert set(data) == {"department", "confidence", "runner_up", "candidates", "co_handlers", "abstain",
                         "territory", "unknown_place", "why"}
    assert set(data["department"]) == {"id", "name", "hotline"}
    assert set(data["runner_up"]) == {"id", "name", "hotline", "confidence"}
    assert [c["id"] for c in data["candidates"]][:2] == [data["department"]["id"], data["runner_up"]["id"]]
    assert set(data["why"]) == {"duty", "similar", "place"}
    assert data["territory"]["office"] == "人民街道办事处"


def test_the_shared_router_is_built_once_and_rebuilt_when_the_catalogue_changes(small_catalogue, monkeypatch):
    monkeypatch.setenv("HOTLINE_DEPARTMENTS_FILE", str(small_catalogue))
    first = load_router()
    assert load_router() is first
    assert route("暖气不热").department.name == "热力公司"
    text = small_catalogue.read_text(encoding="utf-8").replace("热力公司", "市热力集团")
    small_catalogue.write_text(text, encoding="utf-8")
    import os
    os.utime(small_catalogue, ns=(time.time_ns(), time.time_ns() + 10**9))   # coarse file-system clocks
    assert route("暖气不热").department.name == "市热力集团"
