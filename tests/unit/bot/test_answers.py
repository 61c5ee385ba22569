"""The slot readers, table-driven: what citizens say and what the ticket stores."""
import pytest

from bot.tickets import answers
from bot.tickets.answers import NAME_NOT_GIVEN, UNKNOWN


@pytest.mark.parametrize("said, place", [
    ("就在人民路和解放路交叉口那儿", "人民路和解放路交叉口"),
    ("万达广场东门", "万达广场东门"),
    ("幸福小区3号楼2单元502", "幸福小区3号楼2单元502"),
    ("红旗镇李家村三组", "红旗镇李家村三组"),
    ("在那个建设路菜市场门口", "建设路菜市场门口"),
    ("在水一方小区", "在水一方小区"),
    ("就在在水一方小区门口", "在水一方小区门口"),
    ("我家住在水一方小区", "在水一方小区"),
    ("地址是：幸福小区3号楼2单元502。", "幸福小区3号楼2单元502"),
    ("我家住在和平区人民路88号", "和平区人民路88号"),
    ("嗯，就在第一中学对面吧", "第一中学对面"),
    ("在火车站附近", "火车站附近"),
    ("人民医院旁边那个公厕", "人民医院旁边那个公厕"),
    ("发生在滨河公园东门这边", "滨河公园东门"),
    ("是在长江路上", "长江路上"),
    ("就在我们小区楼下呢", "我们小区楼下"),
    ("老百货大楼后面。", "老百货大楼后面"),
    ("沈阳北站", "沈阳北站"),
    ("东大桥", "东大桥"),
    ("位置在开发区管委会门口", "开发区管委会门口"),
    ("  高新区科技路与创业大道交汇处  ", "高新区科技路与创业大道交汇处"),
])
def test_a_place_is_kept_without_the_fillers(said, place):
    assert answers.read_location(said) == answers.Checked(place)


@pytest.mark.parametrize("said", [
    "", "   ", "。。", "？！", "不知道", "不清楚。", "说不上来", "我也说不上来具体在哪", "具体在哪不清楚",
    "那儿", "就在这", "这里", "在那边", "记不住了",
])
def test_an_unknown_or_empty_place_is_asked_again(said):
    checked = answers.read_location(said)
    assert checked.value is None and "地点不能为空" in checked.problem


@pytest.mark.parametrize("said, time", [
    ("大概国庆节以后吧", "大概国庆节以后"),
    ("上周三晚上十点多", "上周三晚上十点多"),
    ("从去年冬天一直到现在", "从去年冬天一直到现在"),
    ("每天早上六点多开始", "每天早上六点多开始"),
    ("昨晚十一点", "昨晚十一点"),
    ("就是今天上午", "今天上午"),
    ("时间是5月3日下午", "5月3日下午"),
    ("在春节前后", "春节前后"),
    ("好像是上周吧，具体几点记不清了", "好像是上周（具体几点记不清了）"),
    ("2024年3月至今", "2024年3月至今"),
    ("一直都这样，好几个月了", "一直都这样，好几个月"),
    ("晚上八点到凌晨两点", "晚上八点到凌晨两点"),
])
def test_a_time_is_kept_verbatim_ish(said, time):
    assert answers.read_time(said).value == time


@pytest.mark.parametrize("said", [
    "记不清了", "不清楚", "不知道", "忘了", "不记得了", "说不上来", "没注意", "这个不知道", "不太清楚",
    "具体什么时候不记得了", "", "嗯，不晓得",
])
def test_an_unknown_time_is_recorded_as_unknown(said):
    assert answers.read_time(said) == answers.Checked(UNKNOWN)


@pytest.mark.parametrize("said, party", [
    ("那个摊主，不认识", "摊主（不认识）"),
    ("楼上502的", "楼上502的"),
    ("叫什么物业来着想不起来了", "物业（名称记不清）"),
    ("那家店叫啥不知道", "那家店（名称记不清）"),
    ("对方是幸福里物业公司", "幸福里物业公司"),
    ("那个人", "那个人"),
    ("隔壁烧烤店", "隔壁烧烤店"),
    ("开发商，名字记不清了", "开发商（名字记不清了）"),
    ("城管吧", "城管"),
])
def test_a_party_keeps_its_useful_part(said, party):
    assert answers.read_party(said).value == party


@pytest.mark.parametrize("said", ["不认识", "不知道", "不清楚", "没有", "不知道是谁", "无"])
def test_an_unknown_party_is_recorded_as_unknown(said):
    assert answers.read_party(said) == answers.Checked(UNKNOWN)


@pytest.mark.parametrize("said, name", [
    ("免贵姓周", "周"),
    ("我姓李，木子李", "李"),
    ("叫我小王就行", "小王"),
    ("王女士", "王女士"),
    ("陈阿姨", "陈阿姨"),
    ("我叫张伟", "张伟"),
    ("姓王，王女士", "王女士"),
    ("我姓欧阳", "欧阳"),
    ("我是王女士", "王女士"),
    ("张伟。", "张伟"),
    ("姓周叫周建国", "周建国"),
    ("我姓陈，叫我陈阿姨吧", "陈阿姨"),
    ("名字是刘洋", "刘洋"),
    ("姓张，弓长张", "张"),
    ("李先生", "李先生"),
    ("老赵", "老赵"),
    ("就叫我赵师傅", "赵师傅"),
    ("嗯，张三", "张三"),
    ("你就叫我老李吧", "老李"),
])
def test_a_name_is_what_the_citizen_wants_to_be_called(said, name):
    assert answers.read_name(said) == answers.Checked(name)


@pytest.mark.parametrize("said", ["不想说名字", "不方便透露", "名字就不说了", "保密", "不想留", "匿名吧", "叫什么都行", "随便"])
def test_a_refused_name_is_stored_as_not_given(said):
    assert answers.read_name(said) == answers.Checked(NAME_NOT_GIVEN)


@pytest.mark.parametrize("said", ["13812345678", "", "不知道", "我叫123", "。。", "这个问题我也说不清楚到底怎么回事"])
def test_a_name_that_is_not_one_is_asked_again(said):
    checked = answers.read_name(said)
    assert checked.value is None and "称呼" in checked.problem


@pytest.mark.parametrize("said, phone", [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("138.1234.5678", "13812345678"),
    ("138，1234，5678", "13812345678"),
    ("一三八、一二三四、五六七八", "13812345678"),
    ("13812345678，13987654321", "13812345678"),
    ("+86 13812345678", "13812345678"),
    ("+86-138-1234-5678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("（+86）13812345678", "13812345678"),
    ("幺三八一二三四五六七八", "13812345678"),
    ("一三八 一二三四 五六七八", "13812345678"),
    ("我手机是一三九零零一二三四五六，白天都能打通", "13900123456"),
    ("我的电话是13912345678，晚上别打", "13912345678"),
    ("13812345678 或者 13987654321", "13812345678"),
    ("家里座机0419-2123456，手机15012345678", "15012345678"),
    ("0419-2123456", "0419-2123456"),
    ("0419 2123456", "0419-2123456"),
    ("（0419）2123456", "0419-2123456"),
    ("010-62345678", "010-62345678"),
    ("04192123456", "0419-2123456"),
    ("01062345678", "010-62345678"),
    ("座机是零四一九 二一二三四五六", "0419-2123456"),
])
def test_phone_numbers_are_read_however_they_are_said(said, phone):
    assert answers.read_phone(said) == answers.Checked(phone)


@pytest.mark.parametrize("said", ["12345", "23812345678", "电话不给", "1381234567", "138123456789", ""])
def test_not_a_phone_number_is_asked_again(said):
    checked = answers.read_phone(said)
    assert checked.value is None and "11位手机号码" in checked.problem


def test_a_landline_without_area_code_asks_for_the_area_code():
    checked = answers.read_phone("2123456")
    assert checked.value is None and "区号" in checked.problem


@pytest.mark.parametrize("said", ["就用这个号", "本机", "就是我打进来的这个号码", "用这个手机号就行"])
def test_this_number_means_the_callers_number(said):
    assert answers.read_phone(said, caller_number="+86 138 1234 5678").value == "13812345678"
    unknown_caller = answers.read_phone(said)
    assert unknown_caller.value is None and "来电的号码" in unknown_caller.problem


@pytest.mark.parametrize("said", [
    "不知道", "不晓得", "记不住了", "说不上来", "没注意", "不太清楚", "这个不知道", "具体在哪不清楚",
    "我也说不上来具体在哪", "真的想不起来了", "没看清。", "嗯，不记得了",
])
def test_unknown_has_many_forms(said):
    assert answers.is_unknown(said)


@pytest.mark.parametrize("said", ["人民路", "不知道怎么回事就停水了", "上周三", "清楚得很", "我知道"])
def test_known_things_are_not_unknown(said):
    assert not answers.is_unknown(said)
