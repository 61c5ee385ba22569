"""A small history written for the hotspot tests (no tests here): real clusters among decoys.

Real clusters (several citizens, one place, one matter, phrased differently each time):
  幸福里小区 烧烤摊 noise and smoke   8 requests, 7 citizens, over four weeks
  人民路 street lights out           4 requests, 4 citizens, over two weeks
  红旗家园 no water                  5 requests, 5 citizens, all in the last two days (an alert)
  江湾新村 lift broken               4 requests, 4 citizens, over three weeks
  紫荆花园 (a place the catalogue does not know) rubbish not collected, 3 citizens
  全市 the social-security app cannot log in, 6 citizens naming no place (a citywide matter)
Decoys: the same matter at other places, other matters at the same places, one citizen calling four
times, and one-off requests of every kind.
"""
from __future__ import annotations

import datetime as dt
from typing import Dict, List, Tuple

from bot.tickets.store import TicketDraft, TicketStore

PERIOD = (dt.date(2026, 10, 1), dt.date(2026, 11, 22))
AFTER = (2026, 11, 22, 20, 0)      # the local time the tests look from

# (day in November or October as (month, day, hour), phone, type, place fact, text)
Row = Tuple[Tuple[int, int, int], str, str, str, str]

BARBECUE: List[Row] = [
    ((10, 27, 23), "13900000001", "complain", "幸福里小区3号楼", "楼下烧烤摊每天晚上吵到凌晨两点，油烟直接往窗户里灌，孩子没法睡觉"),
    ((11, 2, 22), "13900000002", "complain", "幸福里小区", "小区门口的露天烧烤太吵了，半夜还在喝酒划拳"),
    ((11, 6, 0), "13900000003", "complain", "幸福里", "幸福里这边夜市烧烤油烟熏人，晚上窗户都不敢开，噪音也大"),
    ((11, 9, 23), "13900000004", "report", "幸福里小区5栋", "有人在楼下占道摆烧烤摊，每晚营业到深夜，烟雾和吵闹严重扰民"),
    ((11, 13, 22), "13900000001", "complain", "幸福里小区3号楼", "又来反映烧烤摊的事，还是天天吵到后半夜，没人管吗"),
    ((11, 17, 21), "13900000005", "complain", "幸福里小区北门", "北门外烧烤摊夜里烟熏火燎，吵得老人睡不着"),
    ((11, 20, 23), "13900000006", "complain", "幸福里小区", "晚上楼下烧烤喧哗到一两点，严重影响休息，希望城管来管一管"),
    ((11, 21, 22), "13900000007", "complain", "幸福里小区2单元", "楼下夜宵烧烤店油烟大还吵，每天折腾到凌晨"),
]
LIGHTS: List[Row] = [
    ((11, 5, 20), "13900000011", "seek_help", "人民路188号", "人民路这一段路灯坏了好几盏，晚上黑乎乎的走路不安全"),
    ((11, 9, 19), "13900000012", "seek_help", "人民路", "人民路的路灯一直不亮，晚上骑车看不清路"),
    ((11, 14, 21), "13900000013", "seek_help", "人民路公交站附近", "公交站旁边那几盏路灯晚上不亮，已经一个多星期了"),
    ((11, 18, 20), "13900000014", "complain", "人民路120号", "路灯坏了半个月还没人修，晚上太黑了差点摔倒"),
]
WATER: List[Row] = [
    ((11, 21, 7), "13900000021", "seek_help", "红旗家园", "红旗家园从今天早上开始停水，也没有提前通知"),
    ((11, 21, 12), "13900000022", "seek_help", "红旗家园6号楼", "家里水龙头一滴水都没有，停水大半天了，什么时候能来水"),
    ((11, 21, 19), "13900000023", "complain", "红旗家园", "小区停水一整天了，做饭洗澡都没法弄，物业说不清原因"),
    ((11, 22, 8), "13900000024", "seek_help", "红旗家园东区", "到现在还没有水，已经停了一天多，老人孩子没水喝"),
    ((11, 22, 15), "13900000025", "complain", "红旗家园3栋", "停水两天了还没恢复供水，也没人送水"),
]
LIFT: List[Row] = [
    ((10, 30, 9), "13900000031", "seek_help", "江湾新村5栋", "我们楼的电梯坏了，住十八楼的老人下不了楼"),
    ((11, 8, 10), "13900000032", "complain", "江湾新村", "小区电梯三天两头出故障停运，上周还困过人"),
    ((11, 15, 18), "13900000033", "seek_help", "江湾新村7号楼", "电梯又停了，物业说在等配件，已经停了一个星期"),
    ((11, 19, 8), "13900000034", "complain", "江湾新村", "电梯老是坏，天天爬楼梯，物业维修太慢"),
]
RUBBISH: List[Row] = [
    ((11, 10, 9), "13900000041", "complain", "紫荆花园", "小区的垃圾好几天没人清运，堆得到处都是，臭气熏天"),
    ((11, 14, 10), "13900000042", "complain", "紫荆花园2栋", "垃圾桶满了没人拉走，苍蝇蚊子成群"),
    ((11, 19, 17), "13900000043", "complain", "紫荆花园", "垃圾站的垃圾一直不清理，夏天都过了还是臭得不行"),
]
APP: List[Row] = [
    ((11, 16, 9), "13900000051", "consult", "", "社保APP登录不上去，一直提示系统繁忙，怎么办"),
    ((11, 16, 14), "13900000052", "consult", "", "手机上的社保软件登不进去，没法查养老金缴费记录"),
    ((11, 17, 10), "13900000053", "complain", "", "社保app一直登录失败，验证码收不到，耽误办事"),
    ((11, 18, 11), "13900000054", "consult", "", "社保手机应用无法登录是什么原因，什么时候能修好"),
    ((11, 19, 16), "13900000055", "complain", "", "社保APP登录老是报错进不去，打客服电话也打不通"),
    ((11, 20, 9), "13900000056", "consult", "", "社保软件登录不了，提示网络异常，换了手机也不行"),
]
CLUSTERS: Dict[str, List[Row]] = {"烧烤": BARBECUE, "路灯": LIGHTS, "停水": WATER, "电梯": LIFT, "垃圾": RUBBISH,
                                  "社保APP": APP}

# The same matters at other places, one request each: never a hotspot.
SAME_MATTER_ELSEWHERE: List[Row] = [
    ((11, 3, 23), "13900000101", "complain", "北关新村", "楼下烧烤摊每天晚上吵到半夜，油烟很大"),
    ((11, 8, 22), "13900000102", "complain", "百花苑", "小区外面的烧烤店夜里太吵，影响睡觉"),
    ((11, 12, 23), "13900000103", "complain", "朝晖苑", "夜市烧烤油烟熏得窗户不敢开"),
    ((11, 18, 22), "13900000104", "complain", "锦绣花园", "楼下烧烤摊喧哗到凌晨，希望城管管一管"),
    ((11, 7, 20), "13900000105", "seek_help", "解放路", "解放路的路灯坏了好几天了，晚上很黑"),
    ((11, 15, 20), "13900000106", "seek_help", "朝阳路", "朝阳路路灯不亮，晚上走路不安全"),
    ((11, 21, 9), "13900000107", "seek_help", "光明花园", "小区停水了，也没有通知什么时候来水"),
    ((11, 12, 9), "13900000108", "seek_help", "府前花园", "我们楼的电梯坏了好几天没人修"),
]
# Other matters at the places of the clusters: not part of them.
SAME_PLACE_OTHER_MATTER: List[Row] = [
    ((11, 4, 10), "13900000111", "complain", "幸福里小区", "物业费涨价没有开业主大会，乱收费"),
    ((11, 11, 15), "13900000112", "report", "幸福里小区", "小区里有人私搭乱建，在楼顶加盖了房子"),
    ((11, 16, 16), "13900000113", "complain", "幸福里小区", "快递柜收费太贵，超时就要交钱"),
    ((11, 10, 11), "13900000114", "suggest", "红旗家园", "建议在小区里多划一些停车位，晚上车没地方停"),
    ((11, 13, 14), "13900000115", "complain", "红旗家园", "小区绿化带被人改成菜地，没人管"),
    ((11, 6, 14), "13900000116", "complain", "人民路", "人民路上的共享单车乱停乱放，把盲道都占了"),
    ((11, 14, 15), "13900000117", "complain", "江湾新村", "小区里有人养狗不拴绳，还到处大小便"),
]
# One citizen calling again and again about one matter: a repeat caller, not a hotspot.
REPEAT_CALLER: List[Row] = [
    ((11, 3, 10), "13900000121", "complain", "东风小区", "隔壁装修天天电钻响，早上七点就开始"),
    ((11, 5, 10), "13900000121", "complain", "东风小区", "邻居装修噪音还是很大，上次反映没有效果"),
    ((11, 9, 10), "13900000121", "complain", "东风小区", "装修电钻声每天从早响到晚，实在受不了"),
    ((11, 14, 10), "13900000121", "complain", "东风小区", "再次投诉邻居装修扰民"),
]
ONE_OFFS: List[Row] = [
    ((10, 5, 10), "13900000201", "consult", "", "医保卡在外地住院怎么报销"),
    ((10, 9, 11), "13900000202", "consult", "", "公积金提取需要带哪些材料"),
    ((10, 12, 15), "13900000203", "complain", "东风市场", "菜市场有商户缺斤少两"),
    ((10, 15, 9), "13900000204", "complain", "", "公司拖欠了我三个月工资，老板联系不上"),
    ((10, 18, 14), "13900000205", "suggest", "", "建议增开一条到高铁站的公交线路"),
    ((10, 21, 16), "13900000206", "report", "滨江大道", "有饭店把污水直接排进雨水管"),
    ((10, 24, 10), "13900000207", "consult", "", "孩子上小学的入学登记什么时候开始"),
    ((10, 28, 13), "13900000208", "complain", "市一中", "学校周边的小卖部卖过期零食"),
    ((11, 1, 9), "13900000209", "seek_help", "纺织小区", "下水道堵了，污水冒到楼道里"),
    ((11, 3, 15), "13900000210", "complain", "", "网购的电器坏了商家不给退货"),
    ((11, 5, 11), "13900000211", "consult", "", "新生儿落户需要办理哪些手续"),
    ((11, 7, 9), "13900000212", "report", "江滩", "江边有人电鱼"),
    ((11, 8, 16), "13900000213", "complain", "人民广场", "广场舞音响声音太大，晚上九点还在跳"),
    ((11, 10, 14), "13900000214", "seek_help", "育才小区", "小区门口的井盖丢了，很危险"),
    ((11, 12, 10), "13900000215", "consult", "", "失业金怎么申领，要交什么材料"),
    ((11, 13, 17), "13900000216", "complain", "老火车站", "出租车拒载还绕路"),
    ((11, 15, 11), "13900000217", "suggest", "中山公园", "公园里的公共厕所太少了，建议多建几个"),
    ((11, 16, 20), "13900000218", "complain", "", "驾校收了钱一直不安排练车"),
    ((11, 17, 13), "13900000219", "report", "高新人才苑", "小区里有人违规群租，一套房住了二十多人"),
    ((11, 18, 9), "13900000220", "consult", "", "老年人乘公交免费卡怎么办理"),
    ((11, 19, 10), "13900000221", "complain", "翡翠湾", "开发商交房延期半年还不给说法"),
    ((11, 20, 14), "13900000222", "seek_help", "沙洲村三组", "村里的路被大货车压坏了，坑坑洼洼"),
    ((11, 21, 10), "13900000223", "complain", "", "培训机构倒闭了，预交的学费退不回来"),
    ((11, 22, 11), "13900000224", "consult", "", "个人所得税汇算清缴怎么操作"),
]
DECOYS: Dict[str, List[Row]] = {"same_matter_elsewhere": SAME_MATTER_ELSEWHERE,
                                "same_place_other_matter": SAME_PLACE_OTHER_MATTER,
                                "repeat_caller": REPEAT_CALLER, "one_offs": ONE_OFFS}


def all_rows() -> List[Row]:
    rows = [r for group in CLUSTERS.values() for r in group] + [r for g in DECOYS.values() for r in g]
    return sorted(rows, key=lambda r: r[0])


def load_history(store: TicketStore, clock, rows: List[Row] = None) -> Dict[str, str]:
    """Open every row as a ticket at its own time (clock: tests.support.tickets.Clock); returns
    text -> ticket number. The clock is left at AFTER."""
    numbers = {}
    for i, ((month, day, hour), phone, kind, place, text) in enumerate(rows or all_rows()):
        clock.set(2026, month, day, hour, 0)
        facts = {"location": place} if place else {}
        draft = TicketDraft(request_type=kind, text=text, channel="phone", sender_id=f"phone:{phone}",
                            facts=facts, contact_name="张先生", contact_phone=phone)
        numbers[text] = store.open_ticket(draft, request_key=f"history-{i}").number
    clock.set(*AFTER)
    return numbers


def numbers_of(numbers: Dict[str, str], rows: List[Row]) -> set:
    return {numbers[r[4]] for r in rows}
