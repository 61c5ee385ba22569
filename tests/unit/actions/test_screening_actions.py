from rasa_sdk.executor import CollectingDispatcher

from bot import channel_events

from actions.screening import (EMERGENCY_CHECK_QUESTION, ActionAskEmergencyCheck, ActionEmergencyReferral,
                               ActionNotAcceptedReferral)
from tests.support.actions import slot_events, tracker


def run(action, **kwargs):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(**kwargs), {})
    return dispatcher.messages[0]["text"], events


def transfer_of(action, **kwargs):
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker(**kwargs), {})
    return channel_events.first_transfer(channel_events.read(dispatcher.messages))


def test_fire_is_referred_to_119_and_any_form_is_closed():
    text, events = run(ActionEmergencyReferral(), text="厨房着火了", intent="emergency_fire",
                       slots={"description": "烧烤摊太吵", "location": "人民路"})
    assert "119" in text
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot_events(events)["description"] is None


def test_a_crash_with_bleeding_names_122_and_120():
    text, _ = run(ActionEmergencyReferral(), text="车祸了，有人流了好多血", intent="emergency_traffic")
    assert text.index("122") < text.index("120")
    # the phone puts the caller through to the number named first
    assert transfer_of(ActionEmergencyReferral(), text="车祸了，有人流了好多血", intent="emergency_traffic")["to"] == "122"
    assert transfer_of(ActionEmergencyReferral(), text="厨房着火了", intent="emergency_fire")["to"] == "119"


def test_the_net_adds_a_number_the_classifier_missed():
    text, _ = run(ActionEmergencyReferral(), text="有人打架还拿着刀，已经有人晕倒了", intent="emergency_police")
    assert "110" in text and "120" in text


def test_an_emergency_only_the_classifier_suspects_gets_one_check_question():
    said = dict(text="门口那辆车停了好几天了", intent="emergency_traffic",
                ranking=[{"name": "emergency_traffic", "confidence": 0.5}, {"name": "report", "confidence": 0.3}])
    dispatcher = CollectingDispatcher()
    events = ActionEmergencyReferral().run(dispatcher, tracker(**said), {})
    assert dispatcher.messages == [] and [e["name"] for e in events] == ["action_ask_emergency_check"]
    text, events = run(ActionAskEmergencyCheck(), **said)
    assert text == EMERGENCY_CHECK_QUESTION and "122" not in text
    slots = slot_events(events)
    assert slots["emergency_check"] is True and slots["request_guess"] == "report"
    assert slots["request_text"] == "门口那辆车停了好几天了"


def test_yes_to_the_check_refers_with_the_suspected_number():
    text, events = run(ActionEmergencyReferral(), text="是", intent="affirm",
                       slots={"emergency_check": True, "emergency_kind": "medical", "request_text": "老人不舒服"})
    assert text.startswith("请立即拨打120")
    assert slot_events(events)["emergency_check"] is None


def test_no_to_the_check_carries_on_with_what_was_said():
    from actions.consultation import ActionAnswerConsultation
    from actions.screening import ActionCarryOn
    _, events = run(ActionCarryOn(), text="不是", intent="deny")
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_answer_consultation"]
    dispatcher = CollectingDispatcher()
    slots = slot_events(ActionAnswerConsultation().run(dispatcher, tracker(
        "不是", "deny", slots={"emergency_check": True, "request_text": "门口那辆车停了好几天了",
                             "request_guess": "report"}), {}))
    assert slots["kb_outcome"] == "none" and slots["request_guess"] == "report"
    assert slots["request_text"] == "门口那辆车停了好几天了" and slots["emergency_check"] is None


def test_not_accepted_litigation_points_to_court():
    text, events = run(ActionNotAcceptedReferral(), text="帮我把这个官司判了", intent="not_accepted_litigation")
    assert "法院" in text and "建议" in text
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


def test_two_misunderstandings_in_a_row_offer_a_person():
    from actions.conversation import ActionClarify
    events = [{"event": "user", "text": t, "parse_data": {"intent": {"name": i}}}
              for t, i in [("你好", "greet"), ("asdf", "nlu_fallback")]]
    dispatcher = CollectingDispatcher()
    result = ActionClarify().run(dispatcher, tracker("asdf", "nlu_fallback", events=events), {})
    assert dispatcher.messages[0]["response"] == "utter_clarify"
    assert slot_events(result) == {"misunderstood": 2}          # the citizen's second message
    events.append({"event": "user", "text": "qwer", "parse_data": {"intent": {"name": "out_of_scope"}}})
    dispatcher = CollectingDispatcher()
    ActionClarify().run(dispatcher, tracker("qwer", "out_of_scope", events=events, slots={"misunderstood": 2}), {})
    assert "转人工" in dispatcher.messages[0]["text"]


def test_unsure_of_the_kind_the_confirmed_caller_hears_both_numbers():
    said = dict(text="那边有个人躺在地上一动不动", intent="emergency_police",
                ranking=[{"name": "emergency_police", "confidence": 0.4}, {"name": "emergency_medical", "confidence": 0.35},
                         {"name": "seek_help", "confidence": 0.1}])
    _, events = run(ActionAskEmergencyCheck(), **said)
    assert slot_events(events)["emergency_kind"] == "police,medical"
    text, _ = run(ActionEmergencyReferral(), text="是", intent="affirm",
                  slots={"emergency_check": True, "emergency_kind": "police,medical", "request_text": said["text"]})
    assert text.startswith("请立即拨打110") and "120" in text


def test_what_the_rules_see_leads_when_the_classifier_guessed_another_kind():
    text, _ = run(ActionEmergencyReferral(), text="快来人 三号楼起火了 有人困在里面喊救命", intent="emergency_police")
    assert text.startswith("请立即拨打119")


def test_an_answer_the_form_took_is_no_misunderstanding():
    """「就在那个菜市场后门」 may be nlu_fallback to the classifier; the form took it as the place, so
    the unclear message after it is the first misunderstanding of a run, not the second."""
    from actions.conversation import ActionClarify
    events = [{"event": "user", "text": t, "parse_data": {"intent": {"name": "nlu_fallback"}}}
              for t in ("啥玩意", "就在那个菜市场后门", "qwer")]
    dispatcher = CollectingDispatcher()
    result = ActionClarify().run(dispatcher, tracker("qwer", "nlu_fallback", events=events, slots={"misunderstood": 1}), {})
    assert dispatcher.messages[0]["response"] == "utter_clarify" and slot_events(result) == {"misunderstood": 3}


def test_a_stray_no_has_nothing_to_cancel_but_a_question_is_a_request():
    from actions.conversation import ActionClarify
    dispatcher = CollectingDispatcher()
    assert ActionClarify().run(dispatcher, tracker("不用了", "deny", events=[]), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_nothing_to_cancel"
    result = ActionClarify().run(CollectingDispatcher(), tracker("我姓王，投诉楼下饭店油烟", "inform"), {})
    assert {"event": "followup", "name": "action_answer_consultation", "timestamp": None} in result


def test_a_vague_message_is_asked_what_it_is_about_with_the_types():
    from actions.conversation import ActionClarify
    dispatcher = CollectingDispatcher()
    ActionClarify().run(dispatcher, tracker("那个事怎么办", "out_of_scope", events=[]), {})
    assert dispatcher.messages[0]["response"] == "utter_clarify_vague"


def test_a_matter_outside_the_service_says_where_to_go():
    from actions.conversation import ActionClarify
    dispatcher = CollectingDispatcher()
    ActionClarify().run(dispatcher, tracker("明天的高铁票能不能改签", "out_of_scope", events=[]), {})
    text = dispatcher.messages[0]["text"]
    assert "不属于" in text and "12306" in text
