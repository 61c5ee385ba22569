"""POST /model/parse is a stable contract: intent names and the emergency safety net."""
import pytest

from bot.screening.emergency import detect
from tests.support.conversation import parse

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("text, intent", [
    ("我要投诉楼下的烧烤摊，天天吵到半夜两点", "complain"),
    ("举报一个黑作坊，在居民楼里偷偷做食品", "report"),
    ("我们小区门口的路灯坏了好几天了，麻烦派人修一下", "seek_help"),
    ("建议在地铁站附近多设几个共享单车停放点", "suggest"),
    ("请问社保卡丢了怎么补办", "consult"),
    ("请问120急救车怎么收费", "consult"),
    ("请问劳动仲裁怎么申请", "consult"),
])
def test_request_types(rasa_url, text, intent):
    assert parse(rasa_url, text)["intent"]["name"] == intent


@pytest.mark.parametrize("text, intent", [
    ("救命啊，我家厨房着火了", "emergency_fire"),
    ("我爸突然晕倒了，叫不醒", "emergency_medical"),
    ("有人在楼下拿刀砍人", "emergency_police"),
    ("十字路口两辆车撞了", "emergency_traffic"),
])
def test_emergencies(rasa_url, text, intent):
    assert parse(rasa_url, text)["intent"]["name"] == intent


def test_not_accepted_names_start_with_the_prefix(rasa_url):
    result = parse(rasa_url, "法院判决不公平，你们12345帮我改判")
    assert result["intent"]["name"] == "not_accepted_litigation"


@pytest.mark.parametrize("text", [
    "隔壁单元冒黑烟了",
    "电梯卡在三楼了里面困着人",
    "有小孩掉进河里了",
    "楼下有个老人摔倒了起不来",
    "前面追尾了好几辆车",
])
def test_whatever_the_rules_see_parse_reports_as_an_emergency(rasa_url, text):
    """The NLU component runs the same rules: an emergency the rules see is never lost."""
    expected = detect(text)
    assert expected is not None
    assert parse(rasa_url, text)["intent"]["name"].startswith("emergency")


def test_ranking_is_returned_for_the_dialogue(rasa_url):
    ranking = parse(rasa_url, "我要投诉物业乱收费")["intent_ranking"]
    assert len(ranking) >= 5 and all("confidence" in r for r in ranking)
