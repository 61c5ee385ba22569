from bot.screening.referrals import emergency_message, not_accepted_message, route_of_intent


def test_emergency_message_names_the_number_first_and_what_to_do():
    text = emergency_message(["fire"])
    assert "119" in text and "撤离" in text
    assert text.index("119") < 40


def test_several_emergencies_name_every_number_once():
    text = emergency_message(["police", "medical", "police"])
    assert text.startswith("请立即拨打110") and "同时请拨打120" in text
    assert text.count("110") == 1 and text.count("120") == 1


def test_litigation_goes_to_court_arbitration_or_reconsideration():
    text = not_accepted_message("litigation")
    assert "法院" in text and "仲裁" in text and "行政复议" in text


def test_each_route_says_why_and_where_to_go():
    for route, where in [("petition", "信访"), ("discipline", "纪委监委"), ("info_disclosure", "信息公开"),
                         ("other_organs", "人大"), ("secrets", "隐私"), ("jurisdiction", "12345"),
                         ("unlawful", "合法")]:
        text = not_accepted_message(route)
        assert text.startswith("很抱歉") and "建议：" in text and where in text, route


def test_jurisdiction_names_the_configured_city(monkeypatch):
    from bot import settings
    settings.hotline_settings.cache_clear()
    monkeypatch.setenv("HOTLINE_CITY", "辽阳市")
    try:
        assert "辽阳市" in not_accepted_message("jurisdiction")
    finally:
        settings.hotline_settings.cache_clear()


def test_route_of_intent():
    assert route_of_intent("not_accepted_petition") == "petition"
    assert route_of_intent("complain") is None
