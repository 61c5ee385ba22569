import pytest

from bot import intake


def test_a_bare_request_is_not_a_description():
    for text in ["我要投诉", "想反映个问题", "你好，我想举报", "提个建议"]:
        assert not intake.is_substantive(text), text
    assert intake.is_substantive("楼下烧烤摊每天吵到半夜")


def test_two_close_request_types_are_not_guessed():
    ranking = [{"name": "complain", "confidence": 0.48}, {"name": "report", "confidence": 0.40},
               {"name": "greet", "confidence": 0.12}]
    assert intake.read_request_type("complain", ranking, 0.25) is None
    ranking[1]["confidence"] = 0.1
    assert intake.read_request_type("complain", ranking, 0.25) == "complain"


def test_slots_asked_depend_on_the_type_and_anonymity():
    assert intake.required_slots(None, None) == ["request_type"]
    assert intake.required_slots("complain", None)[-3:] == ["contact_name", "contact_phone", "consent"]
    assert "involved_party" in intake.required_slots("report", None)
    anonymous = intake.required_slots("report", True)
    assert anonymous[-1] == "anonymous" and "contact_phone" not in anonymous
    assert "anonymous" not in intake.required_slots("complain", None)


def test_the_field_to_correct_is_read_from_the_words():
    assert intake.field_named_in("电话写错了") == "contact_phone"
    assert intake.field_named_in("地址不对") == "location"
    assert intake.field_named_in("嗯") is None


def test_summary_lists_what_was_collected():
    lines = intake.summary_lines({"request_type": "complain", "description": "烧烤摊太吵", "location": "人民路",
                                  "contact_name": "张先生", "contact_phone": "13812345678", "consent": True})
    assert lines[0] == "诉求类型：投诉"
    assert "发生地点：人民路" in lines and any("13812345678" in line for line in lines)


@pytest.mark.parametrize("text, named", [
    ("举报一家超市卖过期变质食品", "report"),
    ("关于居民楼内群租房的投诉\n尊敬的领导：" + "楼里住了二十多个人，" * 12, "complain"),
    ("我想咨询一下怎么投诉", None),
    ("路灯不亮谁管？", None),
])
def test_a_type_the_citizen_names_at_the_start_is_the_type(text, named):
    from bot.intake import named_request_type, read_request_type
    assert named_request_type(text) == named
    if named:
        ranking = [{"name": "complain", "confidence": 0.5}, {"name": "report", "confidence": 0.45}]
        assert read_request_type("complain", ranking, 0.25, text) == named
