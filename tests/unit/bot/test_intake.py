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
    assert intake.required_slots("complain", None)[-4:] == ["contact_name", "contact_phone", "consent", "confirmed"]
    assert "involved_party" in intake.required_slots("report", None)
    anonymous = intake.required_slots("report", True)
    assert anonymous[-2:] == ["anonymous", "confirmed"] and "contact_phone" not in anonymous
    assert "anonymous" not in intake.required_slots("complain", None)


def test_the_field_to_correct_is_read_from_the_words():
    assert intake.field_named_in("电话写错了") == "contact_phone"
    assert intake.field_named_in("地址不对") == "location"
    assert intake.field_named_in("嗯") is None
    assert intake.field_named_in("类型选错了") == "request_type"


@pytest.mark.parametrize("text, intent, field, kind, detail", [
    ("/affirm", "affirm", None, intake.CONFIRM, None),
    ("没问题，提交吧", "affirm", None, intake.CONFIRM, None),
    ("对的", "inform", None, intake.CONFIRM, None),          # the words decide, not the classifier
    ("/deny", "deny", None, intake.CHANGE, None),
    ('/correct_field{"field": "location"}', "correct_field", "location", intake.CHANGE, "location"),
    ("地址写错了", "correct_field", None, intake.CHANGE, "location"),
    ("电话不对，要改一下", "deny", None, intake.CHANGE, "contact_phone"),
    ("不是投诉，是建议", "deny", None, intake.RETYPE, "suggest"),
    ("我这个应该算举报", "report", None, intake.RETYPE, "report"),
    ("今天天气怎么样", "out_of_scope", None, None, None),
])
def test_a_typed_answer_to_the_summary_is_matched_to_its_options(text, intent, field, kind, detail):
    reply = intake.read_summary_reply(text, intent, field)
    assert reply.kind == kind
    assert detail in (None, reply.field, reply.request_type)
    if detail:
        assert detail in (reply.field, reply.request_type)


def test_the_fact_to_change_is_read_from_a_button_or_words():
    assert intake.read_field_choice("/correct_field", "contact_name") == "contact_name"
    assert intake.read_field_choice("地址") == "location"
    assert intake.read_field_choice("电话号码") == "contact_phone"
    assert intake.read_field_choice("类型") == "request_type"
    assert intake.read_field_choice("都行") is None


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


@pytest.mark.parametrize("text, corrected", [
    ("不是投诉，是建议", "suggest"), ("不是咨询 我是要投诉", "complain"), ("我这个应该算举报", "report"),
    ("类型改成求助吧", "seek_help"), ("我要投诉", None), ("不是的", None), ("我想投诉也想提个建议", None),
])
def test_a_corrected_request_type_is_read(text, corrected):
    from bot.tickets.answers import read_type_correction
    assert read_type_correction(text) == corrected
