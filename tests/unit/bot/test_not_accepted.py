"""Not-accepted decisions stand on the matter, never on a salutation, a title or a passing mention."""
import pytest

from bot.intake_text import strip_salutation
from bot.screening.not_accepted import NotAcceptedPolicy, asking_part, judge, matter_route

POLICY = NotAcceptedPolicy(classifier_min_confidence=0.8, classifier_max_chars=80)

MATTERS = [
    ("我要去法院起诉这个开发商", "litigation"),
    ("劳动仲裁裁决下来了公司不执行", "litigation"),
    ("这事我已经去信访局上访过三次了", "petition"),
    ("举报我们村支书贪污扶贫款", "discipline"),
    ("镇长收了开发商的红包", "discipline"),
    ("我要申请公开拆迁补偿的文件", "info_disclosure"),
    ("帮我查一下那个司机的家庭住址和电话", "secrets"),
    ("人大代表选举的事我有意见", "other_organs"),
]


@pytest.mark.parametrize("text, route", MATTERS)
def test_the_matter_itself_names_the_route(text, route):
    assert matter_route(text) == route


PASSING = [
    "法院旁边那条路的路灯坏了一个月了",
    "派出所民警来看过，说让找城管",
    "信用社门口的井盖丢了",
    "请问怎么申请劳动仲裁",
    "请问法律援助中心在哪里",
    "我们小区的领导班子换届了，物业费也涨了",
]


@pytest.mark.parametrize("text", PASSING)
def test_passing_mentions_and_procedure_questions_are_no_grounds(text):
    assert matter_route(text) is None


LETTER = ("关于幸福小区噪音扰民的问题\n尊敬的王书记：您好！我是幸福小区的居民，去年我因为别的纠纷起诉过开发商，"
          "那件事已经了结。现在小区门口新开的KTV每天营业到凌晨三点，音响声震得窗户嗡嗡响，派出所民警来过两次，"
          "说噪音归城管管。我们老人孩子都休息不好。恳请领导督促有关部门尽快解决KTV噪音扰民问题。此致敬礼！")


def test_a_letter_is_judged_by_what_it_asks_not_its_history():
    body = strip_salutation(LETTER)
    assert "KTV" in asking_part(body) and "起诉" not in asking_part(body)
    verdict = judge(None, 0.0, body, is_letter=True, settings=POLICY)
    assert verdict.route is None and verdict.review is None


def test_a_classifier_guess_on_a_letter_is_taken_with_a_review_flag():
    verdict = judge("discipline", 0.97, strip_salutation(LETTER), is_letter=True, settings=POLICY)
    assert verdict.route is None and verdict.review == "discipline"


def test_a_confident_classifier_on_a_short_plain_message_refers():
    verdict = judge("jurisdiction", 0.93, "我在外省的房子被占了你们帮我要回来", is_letter=False, settings=POLICY)
    assert verdict.route == "jurisdiction" and verdict.evidence == "classifier"


def test_an_unsure_classifier_takes_the_request():
    verdict = judge("unlawful", 0.55, "帮我把楼下的车弄走", is_letter=False, settings=POLICY)
    assert verdict.route is None and verdict.review == "unlawful"


def test_plain_words_refer_even_when_the_classifier_missed():
    verdict = judge(None, 0.0, "我想打官司告我们老板", is_letter=False, settings=POLICY)
    assert verdict.route == "litigation" and verdict.evidence == "rule"
