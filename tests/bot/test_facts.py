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
def test_not_a_chinese_mobile_number_is_asked_again(said):
    checked = facts.check_phone(said)
    assert checked.value is None and "11位手机号码" in checked.problem


@pytest.mark.parametrize("said", ["", "不知道", "不清楚。", "  "])
def test_a_place_cannot_be_empty(said):
    checked = facts.check_location(said)
    assert checked.value is None and "地点不能为空" in checked.problem


def test_time_and_parties_may_be_unknown():
    assert facts.check_optional("不清楚").value == facts.UNKNOWN
    assert facts.check_optional("昨晚十一点").value == "昨晚十一点"


def test_names_drop_the_lead_in():
    assert facts.check_name("我叫王强").value == "王强"
    assert facts.check_name("张先生").value == "张先生"
    assert facts.check_name("13812345678").value is None


def test_a_place_named_in_the_request_is_found():
    assert facts.guess_location("和平区人民路88号的烧烤摊太吵").startswith("和平区人民路88号")
    assert facts.guess_location("太吵了") is None
