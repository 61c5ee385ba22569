"""The emergency safety net: situations happening now are caught; questions about services are not."""
import pytest

from bot.screening.emergency import detect, detect_all, intent_for, kind_of_intent


@pytest.mark.parametrize("text, kind", [
    ("救命啊我家厨房着火了", "fire"),
    ("楼道里全是浓烟", "fire"),
    ("家里煤气味很重怎么办", "fire"),
    ("电梯卡在三楼了里面困着人", "fire"),
    ("有个小孩掉进河里了", "fire"),
    ("我爸突然晕倒了叫不醒", "medical"),
    ("老人摔倒了起不来", "medical"),
    ("我老婆羊水破了", "medical"),
    ("他喝了农药", "medical"),
    ("楼下有人打架还拿着刀", "police"),
    ("有小偷正在撬门", "police"),
    ("我的包被抢了", "police"),
    ("有人站在天台上要跳楼", "police"),
    ("十字路口两辆车撞了", "traffic"),
    ("我被电动车撞了", "traffic"),
    ("前面追尾了堵住了", "traffic"),
    ("喂 我这边刚撞了 在高架上 车动不了了", "traffic"),
])
def test_situations_happening_now_are_emergencies(text, kind):
    assert detect(text).kind == kind


@pytest.mark.parametrize("text", [
    "请问120急救车怎么收费",
    "火灾保险怎么理赔",
    "交通事故认定书多久能出来",
    "万一家里着火了应该怎么办",
    "上个月出了车祸现在赔偿还没谈好",
    "小区要搞消防演练是哪天",
    "楼下烧烤摊天天吵到半夜",
    "被噪音困扰好几年了",
    "气死我了，快被这物业气炸了",
    "我想咨询一下低保怎么申请",
    "天然气交了费还是打不着火，是不是停气了",
    "后山有人偷偷砍树往外拉木头",
    "公交站牌让车给撞歪了，麻烦来修",
    "台阶塌了一块，老人出门不方便",
    "燃气泄漏报警器在哪买",
    "",
])
def test_questions_and_ordinary_requests_are_not_emergencies(text):
    assert detect_all(text) == []


def test_a_crash_with_injured_people_needs_two_numbers():
    kinds = [m.kind for m in detect_all("前面两辆车撞了，有人流了好多血")]
    assert kinds == ["medical", "traffic"]


def test_something_happening_now_wins_over_a_question_word():
    # "现在" marks the present even though the text also asks how much something costs.
    assert detect("现在家里着火了，灭火器多少钱也来不及买了").kind == "fire"


def test_intent_names_follow_the_parse_contract():
    assert intent_for("fire") == "emergency_fire"
    assert kind_of_intent("emergency_traffic") == "traffic"
    assert kind_of_intent("complain") is None


@pytest.mark.parametrize("text, kind", [
    ("天然气管子被铲车铲断了，正在往外冒", "fire"),
    ("小孩被开水烫伤得很严重", "medical"),
    ("我爸在院子里触电了", "medical"),
    ("有人在撬我家的门，我一个人在家好害怕", "police"),
    ("小偷正在翻我家窗户，我很担心", "police"),
    ("楼下有人跳楼了", "police"),
    ("一伙人正在砸我的店", "police"),
    ("楼道里的电瓶车冒火花了", "fire"),
    ("街上有人拿着枪", "police"),
])
def test_more_situations_happening_now(text, kind):
    assert detect(text).kind == kind


@pytest.mark.parametrize("text", [
    "这个弯道老是出车祸，建议装个反光镜",
    "怕楼道里电瓶车充电起火，能不能管管",
    "有人偷排污水到河里",
    "上回追尾撞坏的路灯杆还歪着",
    "担心那个加油站旁边的烧烤摊着火",
    "小区的配电箱老是跳闸，希望派人检修",
    "上个月有辆电动车在楼道里起火过，建议装个充电棚",
])
def test_habits_fears_and_damage_left_behind_are_no_emergency_now(text):
    assert detect(text) is None


# A letter recounts what happened months ago and says 「现在」 about something else: the event it
# recounts is not happening now. An emergency told in a present sentence of the same letter is.
@pytest.mark.parametrize("letter", [
    "尊敬的领导：我们小区的电梯用了二十年了。三月份有一次，我八十岁的母亲被困在电梯里四十多分钟。"
    "现在电梯还是老样子，物业说没钱修，希望有关部门督促更换。",
    "去年冬天楼下饭店着过一次火，烧了半条街。现在他们又在楼道里堆煤气罐，请来查一查。",
    "5月底那天晚上我在路口被电动车撞了，腿骨折了。现在肇事的人一直不赔钱，我想投诉。",
])
def test_a_letter_recounting_a_past_event_is_not_an_emergency(letter):
    assert detect_all(letter) == []


@pytest.mark.parametrize("text, kind", [
    ("去年楼里着过一次火。现在三楼又着火了，快来人！", "fire"),
    ("三月份我母亲被困过一次电梯。现在电梯里又困着人，按铃没人应。", "fire"),
    ("以前他就打过我。现在他拿着刀在门口，快来！", "police"),
])
def test_an_emergency_told_as_happening_now_is_caught_in_a_letter_with_past_events(text, kind):
    assert detect(text).kind == kind
