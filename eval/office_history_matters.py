"""What citizens raise in the held-out office history (eval/office_history.py): the planted
clusters, the decoys and the one-off matters, with the words people use for them.

Written for this evaluation by hand; the department catalogue (settings/departments.yml) and the
router's labelled requests were read only to learn which matters each department handles — no
sentence was taken from them, so a hotspot method tuned on those files meets new wording here.

A matter: its family (a coarse topic: two matters of one family at one place would be one
hotspot, so the generator never puts one family twice at one place outside a planted cluster),
its department id, request types with weights, the core sentences (「{p}」 is where the place goes
when the citizen names it in the sentence), details and asks that may follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Tuple


@dataclass(frozen=True)
class Matter:
    key: str
    family: str
    dept: str
    types: Dict[str, int]
    cores: Tuple[str, ...]
    details: Tuple[str, ...] = ()
    asks: Tuple[str, ...] = ()
    titles: Tuple[str, ...] = ()
    place_kind: str = "compound"        # which kind of place it happens at; "" = no place (consultations)
    night: bool = False                 # reported mostly in the evening and at night


@dataclass(frozen=True)
class Cluster:
    """A planted hotspot: one matter at one place, reported by several citizens over weeks."""
    matter: Matter
    place: str                                  # the canonical place (the truth file names it)
    forms: Tuple[Tuple[str, int], ...]          # how citizens name the place, with weights
    reserved: Tuple[str, ...]                   # place names no one-off of this family may use
    reports: Tuple[int, int]                    # how many reports (min, max)
    weeks: Tuple[int, int]                      # how long it lasts (min, max)
    extra_cores: Tuple[str, ...] = field(default=())


def _m(key, family, dept, types, cores, details=(), asks=(), titles=(), place_kind="compound", night=False):
    return Matter(key, family, dept, dict(types), tuple(cores), tuple(details), tuple(asks), tuple(titles),
                  place_kind, night)


COMPLAIN = {"complain": 6, "seek_help": 2, "report": 1}
HELP = {"seek_help": 6, "complain": 2, "suggest": 1}

# ------------------------------------------------------------------------------ planted clusters

NIGHT_MARKET = _m("night_market", "noise_business", "chengguan", COMPLAIN, [
    "{p}楼下的夜市天天闹到后半夜，根本没法睡觉",
    "{p}那边晚上摆摊的用大喇叭循环叫卖，吵得人头疼",
    "{p}门口的夜市一到晚上就支起桌子喝酒划拳，声音特别大",
    "{p}外面的小吃摊占了整条人行道，晚上十二点多还在放音乐",
    "夜市的商贩在{p}门口一直营业到凌晨一两点，噪音扰民",
    "{p}旁边的夜宵摊子每晚吆喝声、音响声不断，孩子写作业都受影响",
    "{p}那一片晚上全是流动摊贩，油烟加噪音，窗户都不敢开",
    "我们{p}的住户被夜市折腾惨了，天天半夜才消停",
    "{p}那儿的夜市摊主拿音箱放歌，一放就是一晚上",
    "晚上{p}的大排档吵吵嚷嚷，还有人喝多了在楼下喊",
], details=["从上个月开始就这样了", "已经持续快一个月了", "家里有老人心脏不好", "孩子马上要中考了",
            "我们打过110，警察来了一会儿走了又照旧", "楼里好多人都有意见", "周末更严重，三点才散"],
   asks=["希望城管晚上来管一管", "请把夜市规范一下，至少十点以后别吵", "能不能给夜市划个固定时间",
         "麻烦尽快处理"], titles=["夜市噪音扰民", "夜市占道经营扰民", "夜间摊贩噪音"], night=True)

STREET_LIGHTS = _m("street_light", "street_light", "chengguan", HELP, [
    "{p}的路灯一排都不亮了，晚上黑咕隆咚的",
    "{p}从东头到西头好几盏路灯坏了，走夜路心里发慌",
    "{p}一到晚上路灯全灭，已经有人骑车摔了",
    "{p}那段路的灯不亮好些天了，也没人来修",
    "晚上下班走{p}，路灯都是黑的，只能打手机电筒",
    "{p}的路灯时亮时不亮，最近干脆全不亮了",
    "{p}整条街的照明坏了，老人晚上都不敢出门遛弯",
    "{p}边上的路灯杆子灯泡都坏了，一片漆黑",
], details=["已经快两个星期了", "附近还有个工地，路面坑坑洼洼", "前两天一个老太太在那儿摔了一跤",
            "孩子晚自习放学要走这条路", "之前报过一次，修好没几天又坏了"],
   asks=["请尽快派人修一下", "希望赶紧把灯修好", "麻烦相关部门来看看"],
   titles=["路灯不亮", "路灯损坏", "道路照明故障"], place_kind="road", night=True)

MARKET_SEWAGE = _m("market_sewage", "sewage", "shuiwu", HELP, [
    "{p}门口的下水道往外冒污水，臭气熏天",
    "{p}后面的排水沟堵了，污水漫到路上",
    "{p}一下雨就满地脏水，下水井盖往外翻水",
    "{p}那里的污水管好像坏了，黑水顺着路边流",
    "去{p}买菜得踩着污水走，鞋都湿了",
    "{p}周边污水横流，味道大得受不了，苍蝇特别多",
    "{p}的化粪池还是下水道满了，脏水一直往外溢",
    "{p}卖鱼那排的污水出不去，积了一大片",
], details=["已经好多天了", "夏天一热味道更大", "附近还有幼儿园", "商户自己掏过一次没用",
            "晚上蚊子多得不得了"],
   asks=["请排水部门来疏通一下", "希望彻底解决，不要治标不治本", "麻烦派人处理"],
   titles=["市场污水外溢", "下水道堵塞冒水", "污水横流"], place_kind="market")

NIGHT_WORKS = _m("night_construction", "construction_noise", "zhujian", COMPLAIN, [
    "{p}的工地晚上十一点以后还在打桩施工",
    "{p}那个工地天天夜里干活，搅拌车进进出出轰隆响",
    "{p}项目半夜还在浇混凝土，震得窗户嗡嗡的",
    "{p}旁边的工地凌晨两点还在施工，有没有夜间施工许可",
    "{p}工地的塔吊和电锯声音晚上不停，严重影响休息",
    "{p}施工队每天晚上加班，噪音和灯光照得人睡不着",
    "{p}的建筑工地夜里施工，渣土车还到处撒土",
    "{p}在建的楼盘连着好几个晚上通宵作业",
], details=["连续一个多星期了", "我们第二天还要上班", "家里婴儿老被吵醒", "问工人说是赶工期",
            "白天干也就算了，晚上实在受不了"],
   asks=["请住建部门查一下他们有没有夜间施工许可", "希望晚上十点后停工", "请依法处理"],
   titles=["工地夜间施工扰民", "夜间施工噪音", "建筑工地违规夜间作业"], place_kind="site", night=True)

UNPAID_WAGES = _m("unpaid_wages", "unpaid_wages", "renshe", {"complain": 5, "seek_help": 4, "report": 1}, [
    "我在{p}上班，厂里已经三个月没发工资了",
    "{p}拖欠我们工资，老板一直说下个月发",
    "{p}欠着我们十几个工人的工资不给",
    "我从{p}辞职了，最后两个月工资到现在也没结",
    "{p}的老板找不到人了，我们的血汗钱怎么办",
    "{p}说效益不好，工资一拖再拖，社保也停了",
    "在{p}干了半年，工资只发了一半",
    "{p}车间的工人都没拿到工资，财务说没钱",
], details=["我们有劳动合同", "有考勤记录和工资条", "家里等着这钱交房租", "一起的工人有二十多个",
            "找过厂里好几次都推脱"],
   asks=["请劳动监察帮我们讨个说法", "希望尽快帮忙追回工资", "请问该怎么维权"],
   titles=["拖欠工资", "企业欠薪", "讨要工资"], place_kind="company")

BUS_STOP = _m("bus_stop_removed", "bus_stop", "jiaotong", {"suggest": 4, "complain": 3, "seek_help": 2}, [
    "{p}的公交站突然撤了，现在得走一站多地去坐车",
    "{p}那个站牌被拆了，没有任何通知",
    "原来{p}有个公交站，最近取消了，老人出行太不方便",
    "公交车现在不在{p}停了，我们小区的人都得绕远",
    "{p}的站点撤了以后，上下班多走二十分钟",
    "不知道为什么把{p}的公交站取消了，能不能恢复",
    "{p}附近没有公交站了，带孩子看病很不方便",
], details=["附近好几个小区几千户人", "我母亲七十多了腿脚不好", "下雨天走过去全湿了",
            "问司机说是线路调整", "原来那个站人挺多的"],
   asks=["建议把站点恢复", "希望至少在附近重新设一个站", "请交通部门考虑一下居民的需要"],
   titles=["公交站撤销", "建议恢复公交站点", "公交站点取消"], place_kind="stop")

GARBAGE_SMELL = _m("garbage_station", "garbage", "chengguan", COMPLAIN, [
    "{p}的垃圾站臭得不行，隔着几十米都能闻到",
    "{p}旁边的垃圾中转站天天不清，垃圾堆成山",
    "{p}那个垃圾站污水流了一地，味道冲鼻子",
    "{p}的垃圾桶满了好几天没人运，招来一堆苍蝇老鼠",
    "{p}的垃圾房夏天太臭了，窗户根本不能开",
    "{p}门口垃圾站的车每天早上五点来压缩，又臭又吵",
], details=["天热了更严重", "旁边就是居民楼", "小孩上学天天从那儿过", "物业说不归他们管"],
   asks=["请环卫部门及时清运", "希望给垃圾站除臭消毒", "能不能把垃圾站挪远一点"],
   titles=["垃圾站异味", "垃圾清运不及时", "垃圾中转站扰民"])

WATER_OUTAGE = _m("water_outage", "water_supply", "gongshui", HELP, [
    "{p}这周第三次停水了，也不提前通知",
    "{p}水压特别低，高层根本上不去水",
    "{p}天天一到做饭时间就没水",
    "{p}的自来水断断续续的，洗澡洗一半没水了",
    "{p}从昨天下午停水到现在，家里老人孩子都没法弄",
    "{p}水龙头出来的水发黄，还老是停水",
    "住{p}的，最近老停水，打自来水公司电话一直占线",
], details=["已经反复好几次了", "家里有瘫痪在床的老人", "楼上楼下都一样", "天这么热没水太难受了"],
   asks=["请供水公司查查原因", "希望停水前能提前通知", "麻烦尽快恢复供水"],
   titles=["频繁停水", "水压不足", "停水无通知"])

BBQ_SMOKE = _m("bbq_smoke", "restaurant_fumes", "shengtai", COMPLAIN, [
    "{p}底商的烧烤店油烟直接往楼上排",
    "{p}楼下几家烧烤没装油烟净化器，烟呛得人咳嗽",
    "{p}的饭店排烟口对着居民窗户，一股油烟味",
    "{p}那排烧烤店每天晚上烟熏火燎的，衣服都不敢晾",
    "{p}下面的串店排烟管道就挨着我家窗户",
    "{p}的烧烤摊炭火烟太大了，整栋楼都是烟味",
], details=["夏天窗户都不敢开", "家里有哮喘病人", "跟老板说过没用", "晚上一直烤到一两点"],
   asks=["请环保部门查一查油烟排放", "希望让他们装净化设备", "请依法整治"],
   titles=["餐饮油烟扰民", "烧烤油烟污染", "油烟直排"], night=True)

FLYING_WIRES = _m("flying_wires", "ebike_charging", "xiaofang", {"report": 4, "complain": 3, "seek_help": 2}, [
    "{p}好多人从楼上扯电线下来给电动车充电",
    "{p}楼道里停满了电动车还在里面充电，太危险了",
    "{p}有人把电瓶拎回家充电，还从窗户吊线",
    "{p}一楼私拉电线给电动车充电，线就挂在树上",
    "{p}的楼道飞线充电，上次隔壁单元差点着火",
    "{p}电动车堵着楼梯口充电，一旦着火都跑不出去",
], details=["都是老楼没有充电桩", "物业管不了", "晚上线就耷拉在过道上", "下雨天电线泡在水里"],
   asks=["请消防部门来检查一下", "建议给小区装充电桩", "请督促整改消除隐患"],
   titles=["飞线充电安全隐患", "楼道电动车充电", "私拉电线充电"])

SCHOOL_TRAFFIC = _m("school_traffic", "school_traffic", "gongan", {"complain": 3, "suggest": 3, "seek_help": 2}, [
    "{p}门口每天放学车停得乱七八糟，堵得走不动",
    "{p}接孩子的车都停在马路上，校车都进不去",
    "早上送孩子到{p}，门口堵成一锅粥，差点撞到孩子",
    "{p}附近上下学高峰期家长车辆乱停乱放",
    "{p}门口没有交警疏导，每天都堵半个小时",
    "{p}那条路上学时间双排停车，非常危险",
], details=["孩子过马路很危险", "周边小区的车也出不去", "学校说不归他们管", "已经发生过小剐蹭"],
   asks=["希望交警上下学时段来疏导", "建议设置临时停车区", "请加强违停管理"],
   titles=["学校门口交通拥堵", "接送孩子车辆乱停", "校门口违停"], place_kind="school")

TRAINING_REFUND = _m("training_refund", "training_refund", "jiaoyu", {"complain": 5, "report": 2, "seek_help": 3}, [
    "{p}突然关门了，我们交的一万多学费退不了",
    "{p}的老师都走了，课也不上了，退费没人管",
    "孩子在{p}报了两年的课，现在机构跑路了",
    "{p}停课一个多月，说是装修，钱也不退",
    "我在{p}预交了课时费，现在门都锁了",
    "{p}的负责人电话打不通了，家长都在群里着急",
], details=["合同上写着可以退", "有好几十个家长", "还剩四十多节课没上", "交钱的时候说随时可以退"],
   asks=["希望教育部门介入帮我们退费", "请查一下这家机构", "请问我们该怎么维权"],
   titles=["培训机构退费难", "校外培训机构跑路", "培训机构停课不退费"], place_kind="company")

CLUSTERS = (
    Cluster(NIGHT_MARKET, "幸福里小区北门",
            (("幸福里小区北门", 5), ("幸福里北门", 4), ("幸福里小区3号楼", 3), ("幸福里3栋", 2),
             ("解放路幸福里门口", 2), ("幸福里小区北门外", 2), ("幸福里那个夜市", 1)),
            ("幸福里小区", "幸福里", "解放路"), (16, 24), (6, 9)),
    Cluster(STREET_LIGHTS, "钢城路东段",
            (("钢城路东段", 4), ("钢城路", 4), ("钢城路靠钢厂家属院那一段", 2), ("钢厂家属院门口的钢城路", 2),
             ("钢城路东头", 2), ("钢城路从钢厂家属院到工人新村那段", 1)),
            ("钢城路", "钢厂家属院", "工人新村"), (10, 16), (3, 6)),
    Cluster(MARKET_SEWAGE, "江湾菜市场",
            (("江湾菜市场", 5), ("江湾菜场", 3), ("江湾路菜市场", 3), ("江湾菜市场后门", 2),
             ("江湾菜市场门口", 2), ("江湾农贸市场", 1)),
            ("江湾菜市场", "江湾路", "江湾农贸市场"), (10, 15), (3, 5)),
    Cluster(NIGHT_WORKS, "星河湾二期工地",
            (("星河湾二期工地", 4), ("星河湾工地", 4), ("科技园路星河湾项目", 2), ("星河湾旁边的工地", 2),
             ("星河湾二期", 2), ("科技园路那个在建楼盘", 1)),
            ("星河湾", "科技园路"), (12, 20), (4, 8)),
    Cluster(UNPAID_WAGES, "金沙工业园鑫达塑料制品厂",
            (("金沙工业园鑫达塑料制品厂", 3), ("鑫达塑料厂", 4), ("金沙工业园的鑫达", 2),
             ("鑫达塑料制品有限公司", 2), ("金沙镇鑫达塑料", 2)),
            ("鑫达", "金沙工业园"), (9, 14), (3, 7)),
    Cluster(BUS_STOP, "西苑小区公交站",
            (("西苑小区公交站", 4), ("西苑小区站", 3), ("西苑路西苑小区门口的站", 2), ("西苑一区门口那个公交站", 2),
             ("西苑小区门口", 2)),
            ("西苑小区", "西苑一区", "西苑路"), (8, 13), (4, 8)),
    Cluster(GARBAGE_SMELL, "东风小区垃圾站",
            (("东风小区垃圾站", 4), ("东风小区西门垃圾中转站", 2), ("东风小区", 3), ("东风市场旁边的垃圾站", 2),
             ("东风小区5号楼后面", 1)),
            ("东风小区", "东风市场"), (9, 14), (4, 7)),
    Cluster(WATER_OUTAGE, "翡翠湾小区",
            (("翡翠湾小区", 5), ("翡翠湾", 4), ("翡翠湾小区7号楼", 2), ("滨江大道翡翠湾", 2), ("翡翠湾七栋", 1)),
            ("翡翠湾", "翡翠湾小区"), (10, 18), (2, 5)),
    Cluster(BBQ_SMOKE, "朝阳新村南门底商",
            (("朝阳新村南门", 4), ("朝阳新村2号楼底商", 2), ("朝阳新村", 3), ("朝阳路朝阳新村那几家烧烤店", 2),
             ("朝阳新村南门的烧烤店", 2)),
            ("朝阳新村", "朝阳路"), (9, 15), (4, 8)),
    Cluster(FLYING_WIRES, "纺织厂宿舍",
            (("纺织厂宿舍", 5), ("纺织厂家属楼", 2), ("纺织路纺织厂宿舍", 2), ("纺织厂宿舍4号楼", 2),
             ("老纺织厂宿舍", 1)),
            ("纺织厂宿舍", "纺织小区", "纺织路"), (8, 12), (3, 7)),
    Cluster(SCHOOL_TRAFFIC, "江湾小学门口",
            (("江湾小学门口", 5), ("江湾小学", 3), ("江湾路江湾小学", 2), ("江湾小学校门口那条路", 2)),
            ("江湾小学", "江湾路"), (9, 14), (3, 6)),
    Cluster(TRAINING_REFUND, "创业大厦启航教育",
            (("创业大厦12楼的启航教育", 2), ("启航教育", 4), ("启航教育培训学校", 2), ("科技园路创业大厦启航教育", 2),
             ("创业大厦那个启航培训", 1)),
            ("启航", "创业大厦"), (9, 16), (2, 4)),
)

# Decoys of the first kind: the clusters' matters, one report each at many other places.
DECOY_MATTERS = (NIGHT_MARKET, STREET_LIGHTS, NIGHT_WORKS, UNPAID_WAGES, WATER_OUTAGE, BBQ_SMOKE)

# ------------------------------------------------------------------------------ one-off matters

ONE_OFFS: List[Matter] = [
    # 城管
    _m("illegal_building", "illegal_building", "chengguan", {"report": 5, "complain": 3}, [
        "{p}有住户在楼顶私搭乱建，盖了个彩钢房", "{p}有人把阳台往外扩建了一米多", "{p}楼下商铺私自打通承重墙扩门面", "{p}一楼住户把院子圈起来盖了间房",
        "{p}有人在绿化带上违建车库"], ["说是自己家花钱买的", "挡住了消防通道"], ["请城管核查拆除"],
       ["违章建筑"]),
    _m("occupy_road", "street_vendor", "chengguan", COMPLAIN, [
        "{p}的水果摊把人行道全占了", "{p}的早餐摊把盲道都占了，桌子摆到马路边", "{p}卖菜的三轮车天天停在路中间", "{p}路口修车铺把车摆满了人行道", "{p}有商户门前堆货占道经营"],
       ["行人只能走机动车道", "推婴儿车过不去"], ["希望规范一下"], ["占道经营"], place_kind="road"),
    _m("square_dance", "noise_leisure", "chengguan", COMPLAIN, [
        "{p}的广场舞音响开得震天响", "{p}有一伙人天天晚上拿音箱唱歌，唱到十点多", "{p}早上有人打陀螺甩鞭子，啪啪响", "每天早上六点{p}就有人放音乐跳舞", "{p}晚上跳广场舞的喇叭声太大"],
       ["上夜班的人白天没法睡", "说了好几次不听"], ["请协调一下音量和时间"], ["广场舞噪音"], place_kind="park"),
    _m("manhole", "manhole", "chengguan", HELP, [
        "{p}有个井盖丢了，黑窟窿很危险", "{p}雨水篦子被人偷了，剩个大坑", "{p}的井盖松了，车过去咣当一声", "{p}的井盖碎了一半，车一压就响", "{p}人行道上的井盖下沉了"],
       ["晚上根本看不见", "已经有电动车掉进去"], ["赶紧派人来补上"], ["井盖缺失"], place_kind="road"),
    _m("dead_tree", "tree", "chengguan", HELP, [
        "{p}有棵行道树歪了，快倒了", "{p}的树长得太密，把楼上几户的阳光都挡了", "{p}的杨树飞絮太严重了，能不能处理一下", "{p}的大树枯死了好久，树枝往下掉", "{p}的树枝挡住了红绿灯"],
       ["刮风天很危险", "下面停着车"], ["请园林部门处理一下"], ["树木隐患"], place_kind="road"),
    _m("ads_flyers", "flyers", "chengguan", COMPLAIN, [
        "{p}的电线杆和墙上贴满了小广告", "{p}楼道里全是喷涂的开锁电话"], ["刚刷过没几天又贴满了"],
       ["请清理并处罚"], ["小广告"]),
    # 住建
    _m("elevator", "elevator", "zhujian", HELP, [
        "{p}的电梯三天两头坏，上周还困过人", "{p}的电梯年检标志过期好几个月了", "{p}电梯按钮失灵，老人上下楼只能爬楼梯", "{p}电梯维修基金用不了，电梯停了一个月",
        "{p}的电梯运行的时候咣当咣当响"], ["住的都是老人", "物业说没钱修"], ["请督促尽快修好"], ["电梯故障"]),
    _m("property_fee", "property", "zhujian", COMPLAIN, [
        "{p}的物业乱收费，停车费一年涨了两次", "{p}物业不让我们自己装修找的工人进门", "{p}的物业换了，新物业要重新收押金", "{p}物业什么都不管，还要涨物业费",
        "{p}的物业把公共收益都揣自己兜里了"], ["业主委员会也没用", "账目从来不公开"], ["请住建部门监管一下"],
       ["物业服务问题"]),
    _m("leaking_roof", "leaking", "zhujian", HELP, [
        "{p}顶楼漏雨，墙都发霉了", "{p}地下室常年积水，墙根都泡烂了", "一下大雨{p}楼道里就往下滴水", "{p}楼上卫生间往我家漏水", "{p}外墙开裂渗水"],
       ["找开发商说过了保修期", "楼上不配合"], ["请帮忙协调维修"], ["房屋漏水"]),
    _m("new_house_delay", "housing_delivery", "zhujian", {"complain": 5, "seek_help": 3}, [
        "{p}的房子说好去年交房，到现在还没交", "{p}交房后房产证一直办不下来", "{p}交房的房子墙体空鼓，开发商不修"],
       ["我们交了全款", "开发商一直拖"], ["请住建部门督促开发商"], ["房屋交付问题"]),
    _m("old_estate_renovation", "renovation", "zhujian", {"consult": 4, "suggest": 3, "seek_help": 2}, [
        "{p}什么时候能纳入老旧小区改造", "{p}改造把下水道挖开了一个月没恢复", "{p}的改造工程质量太差"],
       ["楼都三十多年了"], ["希望早点安排"], ["老旧小区改造"]),
    # 生态环境
    _m("factory_smell", "industrial_pollution", "shengtai", {"report": 5, "complain": 4}, [
        "{p}附近的厂子晚上偷偷排废气，味道刺鼻", "{p}旁边的养猪场臭味飘得整个村都是", "{p}的小河沟被排了废水，颜色发红", "{p}有家厂往河里排黑水", "{p}的工厂烟囱冒黑烟"],
       ["一到晚上就排", "河里的鱼都死了"], ["请环保部门突击检查"], ["企业排污"], place_kind="village"),
    _m("burning_straw", "burning", "shengtai", {"report": 5, "complain": 3}, [
        "{p}有人在地里焚烧秸秆，烟很大", "{p}有人烧垃圾，塑料味呛人"], ["整个村子都是烟"], ["请制止"],
       ["露天焚烧"], place_kind="village"),
    _m("shop_noise", "noise_shop", "shengtai", COMPLAIN, [
        "{p}的KTV晚上音响声震得楼板都在抖", "{p}楼下的酒吧夜里低音炮咚咚响", "{p}一楼的棋牌室天天吵到后半夜", "{p}那家健身房放音乐声音特别大", "{p}的空调外机对着我家窗户轰轰响"],
       ["晚上十一点以后还这样"], ["请查一下噪音超标没有"], ["商铺噪音"], night=True),
    # 交通
    _m("taxi", "taxi", "jiaotong", COMPLAIN, [
        "在{p}打车，司机不打表要一口价", "{p}的出租车拒载，说太近了不去", "网约车司机在{p}绕路多收钱"],
       ["车牌号我记下来了"], ["请依法处理"], ["出租车违规"], place_kind="transit"),
    _m("bus_service", "bus_service", "jiaotong", {"complain": 4, "suggest": 4}, [
        "{p}的公交车等四十分钟才来一趟", "在{p}坐公交，司机开车太猛", "建议在{p}增加一条公交线路"],
       ["早高峰根本挤不上去"], ["希望增加班次"], ["公交服务"], place_kind="stop"),
    _m("road_damage", "road_damage", "jiaotong", HELP, [
        "{p}路面坑坑洼洼，下雨全是积水", "{p}刚修的路没几个月又挖开了", "{p}的减速带坏了，钢钉都翘出来扎胎", "{p}的路塌了个大坑", "{p}的柏油路面开裂翘起来了"],
       ["骑车的容易摔"], ["请安排修路"], ["道路破损"], place_kind="road"),
    # 公安
    _m("illegal_parking", "parking", "gongan", COMPLAIN, [
        "{p}门口有辆车长期占着消防通道", "{p}有人用地锁占公共车位", "{p}大货车晚上都停在路边，一停一排", "{p}的僵尸车停了一年多没人管", "{p}路边车辆双排停放"],
       ["救护车都进不来"], ["请交警来处理"], ["违法停车"], place_kind="road"),
    _m("neighbour_noise", "neighbour", "gongan", COMPLAIN, [
        "{p}楼上每天半夜打麻将", "{p}楼上小孩天天半夜跑跳，沟通了没用", "{p}有家住户天天半夜吵架摔东西", "{p}有人在楼道里喝酒闹事", "{p}楼下有人天天晚上飙摩托车"],
       ["说了也不听"], ["请派出所管一管"], ["邻里纠纷"], night=True),
    _m("traffic_light", "traffic_light", "gongan", {"suggest": 5, "seek_help": 3}, [
        "{p}路口的红绿灯坏了", "{p}的人行横道绿灯时间太短", "建议{p}路口加个红绿灯"],
       ["老人走一半就红灯了"], ["希望调整一下"], ["信号灯问题"], place_kind="road"),
    _m("dog", "dog", "gongan", COMPLAIN, [
        "{p}有人遛狗不拴绳，吓到小孩", "{p}到处是狗屎，狗主人从来不清理", "{p}楼上养了好几条狗，楼道里臭烘烘", "{p}有条大狗天天夜里叫", "{p}的流浪狗越来越多，咬伤过人"],
       ["跟狗主人说了没用"], ["请管一管"], ["犬只扰民"]),
    # 市场监管
    _m("short_weight", "short_weight", "shichang", {"complain": 6, "report": 3}, [
        "在{p}买菜，秤缺斤少两", "{p}卖海鲜的给虾注水", "{p}有摊位卖病死猪肉，价格便宜得离谱", "{p}有个摊位的秤做了手脚", "在{p}买的肉回家一称少了三两"],
       ["我让旁边摊位复称了"], ["请市场监管部门查处"], ["缺斤少两"], place_kind="market"),
    _m("food_safety", "food_safety", "shichang", {"report": 5, "complain": 4}, [
        "在{p}吃饭吃出了虫子", "{p}卖的蛋糕没有生产日期", "{p}的外卖后厨没有健康证", "{p}的饭店后厨脏得不得了", "在{p}买的熟食过期了还在卖"],
       ["吃完拉肚子了", "有照片"], ["请查处"], ["食品安全"], place_kind="food_shop"),
    _m("prepaid_card", "prepaid", "shichang", {"complain": 6, "seek_help": 3}, [
        "在{p}办了卡，现在店关门了", "{p}的充值卡不给退", "{p}换老板了，之前办的卡不认了",
        "{p}推销办卡，说好的项目都不给做", "{p}收了一学期的钱，没去几天就不让退"],
       ["卡里还有两千多"], ["希望帮忙退钱"], ["预付卡纠纷"], place_kind="service_shop"),
    _m("online_purchase", "consumer", "shichang", {"complain": 6, "seek_help": 2}, [
        "在本地商家买的冰箱坏了不给换", "网上买的衣服质量有问题商家不退", "买的二手车里程表被调过"],
       ["商家一直推脱"], ["请帮忙维权"], ["消费纠纷"], place_kind=""),
    # 人社
    _m("social_security_consult", "social_insurance_consult", "renshe", {"consult": 9}, [
        "社保断了三个月还能补缴吗", "灵活就业人员的社保怎么交", "养老保险从外地转回来要什么手续",
        "退休金怎么算的，我想查一下", "失业金怎么领", "退休手续在哪里办"],
       ["我快到退休年龄了", "之前在外地交了几年"], ["麻烦告诉我一下"], ["社保咨询"], place_kind=""),
    _m("labor_contract", "labor", "renshe", {"complain": 4, "seek_help": 4, "consult": 2}, [
        "{p}不给我们签劳动合同", "{p}试用期六个月还不给交社保", "{p}让我们每天干十二个小时，没有休息日", "{p}辞退我不给补偿", "{p}加班从来不给加班费"],
       ["我干了三年了"], ["请劳动监察处理"], ["劳动纠纷"], place_kind="company"),
    # 医保、卫健
    _m("medical_insurance", "medical_insurance", "yibao", {"consult": 8, "complain": 1}, [
        "异地就医怎么备案", "门诊慢特病怎么申请", "医保卡丢了怎么补办", "在外地住院能报销多少",
        "孩子的医保在哪里交"], ["我在外地工作"], ["请告诉我流程"], ["医保咨询"], place_kind=""),
    _m("hospital_service", "hospital", "weijian", {"complain": 6, "suggest": 2}, [
        "{p}挂号排队三个小时", "{p}的停车场太小，排队进去要一个小时", "{p}要求患者必须在医院药房买药", "{p}的医生态度很差", "{p}乱收检查费"],
       ["带着老人等了一上午"], ["希望改进"], ["医疗服务"], place_kind="hospital"),
    # 教育
    _m("school_enrolment", "school_enrolment", "jiaoyu", {"consult": 7, "seek_help": 2}, [
        "孩子今年上小学，学区怎么划的", "随迁子女入学要准备什么材料", "初中报名什么时候开始",
        "户口在外地孩子能在这边上学吗"], ["我们是租房住的"], ["请告知"], ["入学咨询"], place_kind=""),
    _m("school_fees", "school_fees", "jiaoyu", {"complain": 5, "report": 3}, [
        "{p}乱收资料费", "{p}午托费涨了却没说明用途", "{p}让家长轮流去学校值班站岗", "{p}要求家长必须买指定的校服", "{p}老师私下办补习班收费"],
       ["每个学生好几百"], ["请核查"], ["学校收费"], place_kind="school"),
    # 民政、公积金、税务、不动产、户籍
    _m("civil_affairs", "civil_affairs", "minzheng", {"consult": 7, "seek_help": 3}, [
        "低保怎么申请", "高龄补贴什么时候发", "结婚登记要预约吗", "老年人助餐点在哪里",
        "残疾人两项补贴怎么申请"], ["我母亲八十多了"], ["请告诉我流程"], ["民政咨询"], place_kind=""),
    _m("housing_fund", "housing_fund", "gongjijin", {"consult": 9}, [
        "公积金怎么提取出来付房租", "公积金贷款最多能贷多少", "离职了公积金怎么转移",
        "公积金账户被冻结了怎么办"], ["我在这边交了五年"], ["麻烦说一下要什么材料"], ["公积金咨询"], place_kind=""),
    _m("tax", "tax", "shuiwuju", {"consult": 9}, [
        "个税专项附加扣除怎么填", "个体户怎么开发票", "二手房交易要交哪些税", "年度汇算退税什么时候到账"],
       [], ["请解答"], ["税务咨询"], place_kind=""),
    _m("hukou", "hukou", "gongan", {"consult": 9}, [
        "孩子落户需要什么材料", "居住证怎么办理", "身份证丢了在哪补办", "户口迁出要本人去吗"],
       [], ["请告诉我"], ["户籍咨询"], place_kind=""),
    _m("property_registration", "land", "ziran", {"consult": 7, "seek_help": 2}, [
        "不动产证办理要多长时间", "房子继承过户要什么手续", "宅基地能不能翻建"],
       [], ["请告知"], ["不动产登记"], place_kind=""),
    # 公用事业
    _m("power_cut", "power", "gongdian", HELP, [
        "{p}突然停电了，也没有通知", "{p}一到晚上用电高峰就跳闸", "{p}的电线杆歪了，电线垂得很低", "{p}的电压不稳，灯一闪一闪的", "{p}变压器嗡嗡响还冒火花"],
       ["冰箱里的东西都坏了"], ["请尽快抢修"], ["停电"]),
    _m("gas", "gas", "ranqi", HELP, [
        "{p}燃气表不走字了", "{p}燃气公司上门安检要收费，是不是真的", "{p}开户通气一直排不上号", "{p}楼道里好像有燃气味", "{p}的燃气管道改造拖了半年"],
       ["不敢开火"], ["请派人来检查"], ["燃气问题"]),
    _m("water_quality", "water_quality", "gongshui", HELP, [
        "{p}的自来水有股怪味", "{p}的二次供水水箱很久没清洗了", "{p}消防栓漏水，一直流", "{p}的水表坏了读数不对", "{p}水管爆了往外喷水"],
       ["已经好几天了"], ["请处理"], ["供水问题"]),
    # 商务、文旅、农业、应急、司法、妇联、残联、烟草
    _m("tourism", "tourism", "wenlv", {"complain": 6, "consult": 2}, [
        "跟团游导游强制购物", "{p}景区门票乱涨价", "{p}的网吧让未成年人进去上网"],
       ["有录音"], ["请处理"], ["文旅投诉"], place_kind="park"),
    _m("farm", "farm", "nongye", {"consult": 4, "complain": 4}, [
        "{p}买的种子不发芽", "{p}种地补贴没发下来", "{p}买到了假化肥"],
       ["一季的收成都耽误了"], ["请帮忙"], ["涉农问题"], place_kind="village"),
    _m("safety_hazard", "work_safety", "yingji", {"report": 7}, [
        "{p}有个小作坊存放了很多易燃物", "{p}的加油站旁边有人违规卖散装油", "{p}的仓库里工人不戴安全帽"],
       ["就挨着居民区"], ["请检查"], ["安全隐患"], place_kind="company"),
    _m("legal_aid", "legal_aid", "sifa", {"consult": 6, "seek_help": 3}, [
        "打官司请不起律师能申请法律援助吗", "邻居纠纷能找人调解吗", "公证遗嘱去哪里办"],
       [], ["请告知"], ["法律咨询"], place_kind=""),
    _m("women_children", "family", "fulian", {"seek_help": 6, "consult": 2}, [
        "我老公经常打我，我该找谁", "离婚以后对方不给抚养费", "邻居家孩子好像经常被打"],
       [], ["请帮帮我"], ["妇女儿童权益"], place_kind=""),
    _m("disabled", "disabled", "canlian", {"consult": 6, "seek_help": 3}, [
        "残疾证怎么评定", "{p}没有无障碍通道轮椅进不去", "残疾人就业有什么扶持"],
       [], ["请告诉我"], ["助残"], place_kind=""),
    _m("tobacco", "tobacco", "yancao", {"report": 7}, [
        "{p}卖烟给中学生", "{p}好像在卖假烟"], [], ["请查处"], ["烟草违规"], place_kind="food_shop"),
    _m("heating_fee", "heating", "reli", {"consult": 5, "complain": 3}, [
        "{p}今年供暖费怎么交", "{p}去年暖气不热能不能退费", "{p}想报停暖气要什么手续"],
       [], ["请告知"], ["供热咨询"]),
    _m("commerce", "commerce", "shangwu", {"complain": 4, "suggest": 3}, [
        "{p}的超市关门了，附近买菜不方便", "{p}的加油站油品有问题", "建议{p}附近增设便民菜店"],
       [], ["请关注"], ["商贸服务"]),
    _m("fire_exit", "fire_exit", "xiaofang", {"report": 6, "complain": 2}, [
        "{p}的消防通道被锁了", "{p}的灭火器都过期了", "{p}的安全出口堆满了货"],
       [], ["请检查"], ["消防隐患"], place_kind="shop"),
]

# Families close enough that a reader would call two of them at one place the same matter (noise is
# noise, whoever makes it): outside a cluster, one report per topic and place. Others: their family.
TOPICS: Dict[str, str] = {
    "noise_business": "noise", "noise_leisure": "noise", "noise_shop": "noise", "neighbour": "noise",
    "construction_noise": "noise", "dog": "noise",
    "water_supply": "water", "water_quality": "water", "leaking": "water", "sewage": "water",
    "restaurant_fumes": "smell", "industrial_pollution": "smell", "garbage": "smell", "burning": "smell",
    "parking": "traffic", "school_traffic": "traffic", "traffic_light": "traffic", "street_vendor": "traffic",
    "street_light": "lights", "power": "lights",
    "unpaid_wages": "labour", "labor": "labour",
    "prepaid": "refund", "training_refund": "refund",
    "bus_stop": "bus", "bus_service": "bus",
    "manhole": "road", "road_damage": "road",
}


def topic(family: str) -> str:
    return TOPICS.get(family, family)


# Decoys of the second kind: unrelated matters at a cluster's place, one report each.
SAME_PLACE_OTHER_MATTERS: Dict[str, Tuple[str, ...]] = {
    "幸福里小区": ("elevator", "property_fee", "leaking_roof", "dog", "power_cut", "gas", "illegal_building"),
    "江湾菜市场": ("short_weight", "food_safety", "illegal_parking", "fire_exit", "tobacco"),
    "星河湾": ("elevator", "property_fee", "new_house_delay", "power_cut", "water_quality"),
    "钢城路": ("manhole", "dead_tree", "illegal_parking", "ads_flyers", "illegal_building"),
}
