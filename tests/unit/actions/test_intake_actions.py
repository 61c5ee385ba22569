import asyncio

from rasa_sdk.executor import CollectingDispatcher

from bot import channel_events

from actions.consultation import ActionAnswerConsultation
from actions.intake import ActionCancelRequest, ActionCorrectField, ActionOpenTicket, ActionAskConfirmed, ActionStartRequest, ValidateTicketForm
from tests.support.actions import slot_events, tracker

FILLED = {"request_type": "complain", "draft_id": "d-1", "description": "楼下烧烤摊每天吵到半夜两点",
          "location": "人民路88号", "event_time": "每晚十一点后", "involved_party": "老王烧烤",
          "contact_name": "张先生", "contact_phone": "13812345678", "consent": True, "anonymous": None}


def start(text, intent, ranking=None, entities=None):
    """Triage (knowledge first) then the draft, as the rules run them. Complaints are no questions,
    so these never reach the knowledge base."""
    read = tracker(text, intent, ranking)
    read.latest_message["entities"] = entities or []
    triaged = slot_events(ActionAnswerConsultation().run(CollectingDispatcher(), read, {}))
    assert triaged["kb_outcome"] == "none"
    return slot_events(ActionStartRequest().run(CollectingDispatcher(), tracker(text, intent, ranking, slots=triaged), {}))


def test_start_request_keeps_what_the_citizen_said():
    slots = start("楼下烧烤摊天天吵到半夜", "complain")
    assert slots["request_type"] == "complain" and slots["description"] == "楼下烧烤摊天天吵到半夜"
    assert slots["draft_id"] and slots["location"] is None


def test_start_request_does_not_guess_between_close_types():
    ranking = [{"name": "complain", "confidence": 0.45}, {"name": "report", "confidence": 0.41}]
    assert start("隔壁饭店油烟", "complain", ranking)["request_type"] is None


def test_a_bare_request_leaves_the_description_to_ask_for():
    assert start("我要投诉", "complain")["description"] is None


def test_a_request_taken_instead_of_refused_carries_the_route_to_check(store):
    review = [{"entity": "not_accepted_review", "value": "discipline"}]
    read = tracker("尊敬的书记您好，小区路灯坏了", "seek_help")
    read.latest_message["entities"] = review
    triaged = slot_events(ActionAnswerConsultation().run(CollectingDispatcher(), read, {}))
    assert triaged["review_route"] == "discipline"
    dispatcher = CollectingDispatcher()
    ActionOpenTicket().run(dispatcher, tracker("确认", "affirm", slots={**FILLED, "review_route": "discipline"}), {})
    ticket = store.list()[0]
    assert ticket.facts["needs_review"]["route"] == "discipline"


def test_a_letter_keeps_its_whole_text_and_gets_a_summary_line(store):
    letter = ("关于小区电梯长期停运的求助\n尊敬的李市长：您好！" + "我们楼的电梯从八月份开始就坏了，物业一直说在等配件。" * 12
              + "恳请领导督促物业尽快修好电梯。此致敬礼！")
    dispatcher = CollectingDispatcher()
    ActionOpenTicket().run(dispatcher, tracker("确认", "affirm", slots={**FILLED, "description": letter}), {})
    ticket = store.list()[0]
    assert ticket.text == letter and 0 < len(ticket.facts["summary"]) <= 40
    assert "电梯" in ticket.facts["summary"]


def form_turn(slot, text, intent, slots=None):
    """The validation action on a message received while the form asks for `slot`."""
    dispatcher = CollectingDispatcher()
    read = tracker(text, intent, slots={"requested_slot": slot, **(slots or {})})
    extracted = asyncio.run(ValidateTicketForm().get_extraction_events(dispatcher, read, {}))
    return slot_events(extracted), dispatcher


def test_an_address_the_classifier_calls_an_emergency_is_the_place():
    slots, _ = form_turn("location", "解放路和中山路交叉口", "emergency_traffic", {"request_type": "complain"})
    assert slots["location"] == "解放路和中山路交叉口"


def test_a_real_emergency_in_the_form_is_left_to_the_referral_rule():
    slots, _ = form_turn("location", "楼下着火了，烟特别大", "emergency_fire", {"request_type": "complain"})
    assert slots == {}


def test_a_question_of_their_own_is_noted_and_the_fact_asked_again(monkeypatch):
    monkeypatch.setattr("actions.consultation.knowledge_base", lambda: (_ for _ in ()).throw(RuntimeError("no index")))
    slots, dispatcher = form_turn("location", "这种事一般多久能有人来处理？", "consult",
                                  {"request_type": "complain", "description": "路灯坏了"})
    assert slots["location"] is None and "多久能有人来处理" in slots["description"]
    assert "记下了" in dispatcher.messages[0]["text"]


def test_form_asks_contact_unless_an_anonymous_report():
    form = ValidateTicketForm()
    ask = lambda slots: asyncio.run(form.required_slots([], CollectingDispatcher(), tracker(slots=slots), {}))  # noqa: E731
    assert ask({"request_type": "complain"})[-2:] == ["consent", "confirmed"]
    assert ask({"request_type": "report", "anonymous": True})[-2:] == ["anonymous", "confirmed"]
    assert ask({"request_type": "complain", "confirmed": False})[-2:] == ["field", "confirmed"]


def test_a_bad_phone_is_refused_with_a_reason():
    dispatcher = CollectingDispatcher()
    result = ValidateTicketForm().validate_contact_phone("12345", dispatcher, tracker(), {})
    assert result == {"contact_phone": None} and "11位手机号码" in dispatcher.messages[0]["text"]


def test_summary_shows_the_facts_with_confirm_and_change_buttons():
    dispatcher = CollectingDispatcher()
    ActionAskConfirmed().run(dispatcher, tracker(slots=FILLED), {})
    message = dispatcher.messages[0]
    assert "人民路88号" in message["text"] and "老王烧烤" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert channel_events.read([{"custom": message["custom"]}]) == [channel_events.summary_shown()]


def test_confirming_opens_one_ticket_even_when_retried(store):
    replies = []
    for _ in range(2):
        dispatcher = CollectingDispatcher()
        events = ActionOpenTicket().run(dispatcher, tracker("确认", "affirm", slots=FILLED), {})
        replies.append(dispatcher.messages[0]["text"])
    assert "工单编号" in replies[0] and replies[0] == replies[1]
    assert len(store.list()) == 1
    ticket = store.list()[0]
    # The channels learn of the ticket from its event, not from the sentence.
    [opened] = channel_events.read(dispatcher.messages)
    assert opened == {"event": "ticket_opened", "number": ticket.number, "deadline": ticket.deadline.isoformat(),
                      "request_type": ticket.request_type, "follow_up_of": None}
    assert f"工单编号：{ticket.number}" in replies[0]
    assert ticket.channel == "socketio" and ticket.contact_phone == "13812345678"
    assert ticket.facts["location"] == "人民路88号"
    assert slot_events(events)["description"] is None


def test_nothing_to_confirm_opens_nothing(store):
    dispatcher = CollectingDispatcher()
    ActionOpenTicket().run(dispatcher, tracker("确认", "affirm", slots={}), {})
    assert "没有待提交" in dispatcher.messages[0]["text"] and store.list() == []


def test_correcting_a_field_clears_only_that_field():
    events = ActionCorrectField().run(CollectingDispatcher(), tracker("电话写错了", "correct_field", slots=FILLED), {})
    assert slot_events(events) == {"field": None, "contact_phone": None, "confirmed": None}


def test_the_ticket_records_the_channel_named_by_the_gateway(store):
    ActionOpenTicket().run(CollectingDispatcher(), tracker("确认", "affirm", slots=FILLED, metadata={"channel": "wechat"}), {})
    assert store.list()[0].channel == "wechat"


def test_the_ticket_gets_a_suggested_department_and_territory(store):
    ActionOpenTicket().run(CollectingDispatcher(), tracker("确认", "affirm", slots=FILLED), {})
    ticket = store.get(store.list()[0].number)
    assert ticket.department == "市城市管理综合执法局"
    routing = ticket.events[0].detail["routing"]
    assert routing["runner_up"]["name"] != ticket.department and routing["territory"]["matched"].startswith("人民路")
    assert routing["territory"]["office"] == "人民街道办事处" and routing["why"]["duty"]


def test_photos_received_by_a_gateway_are_attached_to_the_ticket(store):
    photo = {"kind": "image", "path": "var/wechat_media/x/1.jpg", "sha256": "ab", "bytes": 10}
    ActionOpenTicket().run(CollectingDispatcher(), tracker("确认", "affirm", slots=FILLED,
                                                           metadata={"channel": "wechat", "attachments": [photo]}), {})
    assert store.list()[0].facts["attachments"] == [photo]


def test_a_button_question_answered_in_words_stays_in_the_form():
    slots, _ = form_turn("anonymous", "匿名吧", "report", {"request_type": "report"})
    assert slots == {"anonymous": True}
    slots, dispatcher = form_turn("consent", "随便你们", "out_of_scope", {"request_type": "complain"})
    assert slots == {"consent": None} and "同意" in dispatcher.messages[0]["text"]
    slots, _ = form_turn("request_type", "我是要举报他们", "complain", {})
    assert slots == {"request_type": "report"}   # the type named in words, not the classifier's
    slots, _ = form_turn("request_type", "就是那个事", "complain", {})
    assert slots == {}   # nothing named: the intent is mapped by domain.yml


def test_a_question_asked_again_for_the_same_fact_is_taken_as_the_answer(monkeypatch):
    monkeypatch.setattr("actions.consultation.knowledge_base", lambda: (_ for _ in ()).throw(RuntimeError("no index")))
    first, _ = form_turn("location", "这种事一般多久能有人来处理？", "consult", {"request_type": "complain"})
    assert first["location"] is None and first["asked_back"] == "location"
    again, _ = form_turn("location", "这种事一般多久能有人来处理？", "consult",
                         {"request_type": "complain", "asked_back": "location"})
    assert again == {"location": "这种事一般多久能有人来处理？", "asked_back": None}


def test_a_letter_the_classifier_hesitates_on_is_still_a_request():
    letter = ("关于菜市场占道经营的投诉\n尊敬的赵书记：您好！" + "摊贩把人行道和半条马路都占了，早上车过不去。" * 8 + "恳请领导督促解决。")
    read = tracker(letter, "nlu_fallback", [{"name": "nlu_fallback", "confidence": 0.45},
                                            {"name": "report", "confidence": 0.3}, {"name": "complain", "confidence": 0.25}])
    slots = slot_events(ActionAnswerConsultation().run(CollectingDispatcher(), read, {}))
    assert slots["kb_outcome"] == "none" and slots["request_guess"] == "complain"


def test_the_words_decide_a_button_question_whatever_the_intent():
    slots, _ = form_turn("anonymous", "留下联系方式吧", "affirm", {"request_type": "report"})
    assert slots == {"anonymous": False}


def test_cancelling_tells_the_channels_the_draft_is_gone():
    dispatcher = CollectingDispatcher()
    ActionCancelRequest().run(dispatcher, tracker("不办了", "cancel", slots=FILLED), {})
    assert channel_events.read(dispatcher.messages) == [{"event": "draft_cancelled"}]


def test_facts_in_the_opening_are_not_asked_again():
    slots = start("我姓王，和平区人民路88号楼下烧烤店每天晚上吵到一两点，电话13812345678", "complain")
    assert slots["location"] == "和平区人民路88号" and slots["involved_party"] == "烧烤店"
    assert slots["contact_name"] == "王" and slots["contact_phone"] == "13812345678"
    assert slots["event_time"].startswith("每天晚上")


def test_what_was_said_to_a_seat_fills_the_draft_too():
    said = [{"event": "user", "text": "我要投诉", "parse_data": {}},
            {"event": "pause"},
            {"event": "user", "text": "就是长江路56号那个网吧，天天有学生进去", "parse_data": {}},
            {"event": "resume"}]
    read = tracker("我要投诉", "complain", slots={"request_text": "我要投诉", "request_guess": "complain"}, events=said)
    slots = slot_events(ActionStartRequest().run(CollectingDispatcher(), read, {}))
    assert slots["location"] == "长江路56号" and slots["description"] is None


def summary_turn(text, intent, slots=None, field=None):
    dispatcher = CollectingDispatcher()
    read = tracker(text, intent, slots={**FILLED, "requested_slot": "confirmed", **(slots or {})})
    if field:
        read.latest_message["entities"] = [{"entity": "field", "value": field}]
    return slot_events(asyncio.run(ValidateTicketForm().get_extraction_events(dispatcher, read, {}))), dispatcher


def test_the_summary_is_answered_in_words_or_buttons():
    assert summary_turn("/affirm", "affirm")[0] == {"confirmed": True}
    assert summary_turn("没问题，提交吧", "inform")[0] == {"confirmed": True}
    assert summary_turn("/deny", "deny")[0] == {"confirmed": False}          # then: which one?
    assert summary_turn("地址写错了", "correct_field")[0] == {"location": None, "field": None, "confirmed": None}
    changed, _ = summary_turn('/correct_field{"field": "request_type"}', "correct_field", field="request_type")
    assert changed == {"request_type": None, "field": None, "confirmed": None}


def test_a_corrected_type_keeps_the_draft():
    slots, dispatcher = summary_turn("不是投诉，是建议", "deny")
    assert slots == {"request_type": "suggest", "confirmed": None}
    assert "建议" in dispatcher.messages[0]["text"]
    slots, _ = form_turn("location", "不是投诉是举报", "report", {"request_type": "complain", "draft_id": "d-1"})
    assert slots == {"request_type": "report"}          # the place is still to be asked; the draft stays


def test_an_answer_that_fits_no_option_is_asked_again():
    slots, dispatcher = summary_turn("今天天气怎么样", "out_of_scope")
    assert slots == {"confirmed": None} and "确认" in dispatcher.messages[0]["text"]
    assert summary_turn("算了不办了", "stop")[0] == {}           # left to the cancel rule
    assert summary_turn("/request_human", "request_human")[0] == {}
