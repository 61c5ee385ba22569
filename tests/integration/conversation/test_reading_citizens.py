"""The dialogue reads citizens as a seat would: knowledge first, evidence before a referral, letters
taken by what they ask. Phrasings here are kept out of the training data and the simulator's pools."""
import pytest

from actions.screening import EMERGENCY_CHECK_QUESTION

pytestmark = pytest.mark.rasa

REFERRAL_WORDS = ("请立即拨打", "热线不能", "不予受理", "不在政府热线受理范围", "不再重复受理")


def test_a_suspected_emergency_is_checked_first_and_yes_refers(chat):
    # A payload reaches the dialogue with no rule evidence: what a classifier-only guess looks like.
    assert EMERGENCY_CHECK_QUESTION in chat.say("/emergency_medical")
    assert chat.say("/affirm").startswith("请立即拨打120")


def test_no_to_the_check_carries_on_with_the_request(chat):
    assert EMERGENCY_CHECK_QUESTION in chat.say("/emergency_traffic")
    reply = chat.say("不是")
    assert "接着办理" in reply and "请立即拨打" not in reply
    assert chat.form_state()[0] == "ticket_form"


def test_a_rule_emergency_in_the_middle_of_the_form_still_refers(chat):
    chat.say("我要投诉，对面工地晚上十二点还在打桩，吵得孩子睡不着")
    assert chat.form_state()[0] == "ticket_form"
    assert chat.say("等等，工地那边好像着火了，冒好大的烟").startswith("请立即拨打119")
    assert chat.form_state()[0] is None


def test_a_question_phrased_as_a_complaint_gets_the_knowledge_base_first(chat):
    reply = chat.say("物业服务差还乱收钱，我该去哪里反映啊？")
    assert "解决了" in chat.buttons or "都不是" in chat.buttons, reply
    assert chat.form_state()[0] is None


LETTER = ("关于红星路菜市场周边占道经营的投诉\n尊敬的赵书记：您好！我是红星路42号的住户，在这里住了十几年。"
          "去年夏天开始，菜市场门口的摊贩越摆越多，把人行道和半条机动车道都占了，早上六点到九点车根本过不去，"
          "老人孩子只能走到马路中间。我们打过几次电话，派出所民警和城管都来过，来的时候摊子收了，走了又摆出来。"
          "上个月还有一辆电动车为了躲摊子摔倒了。恳请领导督促城管部门长期管起来，给居民留出一条走路的道。"
          "谢谢领导！此致敬礼！")


def test_a_letter_to_an_official_is_taken_as_a_request_not_turned_away(chat, ticket_store_of_stack):
    reply = chat.say(LETTER)
    assert not any(word in reply for word in REFERRAL_WORDS), reply
    assert EMERGENCY_CHECK_QUESTION not in reply
    assert chat.form_state()[0] == "ticket_form"
