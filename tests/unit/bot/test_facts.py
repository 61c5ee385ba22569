import pytest

from bot.tickets import facts


@pytest.mark.parametrize("said, phone", [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("我的电话是一三八一二三四五六七八", "13812345678"),
    ("幺三八幺二三四五六七八", "13812345678"),
])
def test_mobile_numbers_are_read_however_they_are_said(said, phone):
    assert facts.check_phone(said).value == phone


@pytest.mark.parametrize("said", ["12345", "23812345678", "电话不给", "0245-1234567"])
def test_not_a_phone_number_is_asked_again(said):
    # 0245-1234567: a local number never starts with 1, so this is no landline either.
    checked = facts.check_phone(said)
    assert checked.value is None and "11位手机号码" in checked.problem


@pytest.mark.parametrize("said, phone", [("0419-2123456", "0419-2123456"), ("(024)23456789", "024-23456789")])
def test_landlines_with_an_area_code_are_accepted(said, phone):
    assert facts.check_phone(said).value == phone


def test_this_number_is_the_callers_number_when_known():
    assert facts.check_phone("就用这个号", caller_number="13812345678").value == "13812345678"
    assert facts.check_phone("就用这个号").value is None


@pytest.mark.parametrize("said", ["", "不知道", "不清楚。", "  "])
def test_a_place_cannot_be_empty(said):
    checked = facts.check_location(said)
    assert checked.value is None and "地点不能为空" in checked.problem


@pytest.mark.parametrize("read, said, value", [
    (facts.read_time, "不清楚", facts.UNKNOWN),
    (facts.read_time, "记不清了", facts.UNKNOWN),
    (facts.read_time, "昨晚十一点", "昨晚十一点"),
    (facts.read_time, "大概国庆节以后吧", "大概国庆节以后"),
    (facts.read_time, "是在上周三晚上", "上周三晚上"),
    (facts.read_party, "不清楚", facts.UNKNOWN),
    (facts.read_party, "记不清了", facts.UNKNOWN),
    (facts.read_party, "那个摊主，不认识", "摊主（不认识）"),
    (facts.read_party, "叫什么物业来着想不起来了", "物业（名称记不清）"),
])
def test_time_and_parties_may_be_unknown(read, said, value):
    # The form reads each with its own reader: fillers of that kind come off.
    assert read(said).value == value


@pytest.mark.parametrize("said", ["就在人民路口那儿", "在那个建设路菜市场门口"])
def test_a_place_is_read_without_its_fillers(said):
    assert facts.check_location(said).value in ("人民路口", "建设路菜市场门口")


def test_names_drop_the_lead_in():
    assert facts.check_name("我叫王强").value == "王强"
    assert facts.check_name("张先生").value == "张先生"
    assert facts.check_name("13812345678").value is None
    assert facts.check_name("免贵姓周").value == "周"
    assert facts.check_name("不想说").value == facts.NAME_NOT_GIVEN



def test_a_description_over_the_limit_is_refused_with_its_length_never_cut():
    long = "楼下烧烤摊每天吵到半夜。" * 500
    checked = facts.check_description(long)
    assert checked.value is None and str(len(long)) in checked.problem and str(facts.DESCRIPTION_LIMIT) in checked.problem
    assert facts.check_description(long[:facts.DESCRIPTION_LIMIT]).value == long[:facts.DESCRIPTION_LIMIT]
