"""Places of the held-out office history (eval/office_history.py), by kind, and the ways a citizen
names a spot there. Names of the fictional city's lists (settings/places.csv) mixed with names
those lists lack, as in real requests; the generator keeps one family of matter at one place
outside a planted cluster, so every pool is large."""
from __future__ import annotations

import random
from typing import Dict, List, Tuple

_CITY_COMPOUNDS = (
    "红旗小区 锦绣花园 东风新村 桂花苑 江景华府 江湾新城 世纪城 金色家园 人才公寓 铁路新村 钢城小区 工人新村 "
    "西苑二区 桃李园 百花苑 北关新村 红旗家园 和平里小区 邮电宿舍 府前花园 文化苑 锦绣华庭 银杏小区 育才小区 "
    "光明花园 临江名都 书院小区 书香家园 冶金小区 创新家园 北站家园 南关新村 向阳家园 城东新村 城南花园 学府花园 "
    "工人家园 建设新村 御景华庭 教师公寓 文昌花园 朝晖苑 桂花园小区 桃李苑 棉纺厂宿舍 江湾新村 江畔人家 湾畔花园 "
    "滨江花园 碧水蓝湾 科学城小区 站前小区 西苑三区 观澜苑 货场宿舍 运通苑 金湾苑 钢花苑 铁路花园 锦华苑 "
    "青山名苑 高新人才苑").split()
_PREFIXES = ("紫荆 丽景 绿洲 泰和 明珠 怡园 春晖 盛世 嘉禾 望江 枫林 梧桐 御府 龙腾 康乐 阳光 翠竹 "
             "金桂 兰亭 清华 东湖 南山 北辰 天悦 瑞景").split()
_SUFFIXES = ("花园 家园 小区 雅居 名邸 华府 新城 公馆").split()
_CITY_ROADS = (
    "人民路 解放北路 解放南路 朝阳路 南门大街 滨江大道 江湾路 科技园路 北站路 建设路 西苑路 东风路 临江路 书院街 "
    "光明巷 冶炼路 创新路 北关街 北站东路 南关路 县前街 和平巷 城东路 城西路 城隍庙街 大学路 学府路 工人路 府前街 "
    "文化路 文昌路 智慧大道 朝阳东路 柳河街 桂花巷 桃李街 江湾东路 湾畔路 滨江东路 炼钢街 百花巷 石桥老街 科学大道 "
    "站前路 纺织路 育才路 西苑东路 观澜路 解放东路 解放西路 货场路 软件园路 金沙大道 金湾路 铁路街 青山路 高炉巷 "
    "鼓楼东街").split()
_ROAD_STEMS = "胜利 友谊 团结 兴业 长江 黄河 泰山 新华 光华 振兴 富民 民主 青年 迎宾 园林 繁荣".split()
_MARKETS = ("临江市场 北站批发市场 南门菜市场 城关农贸市场 府前市场 朝阳农贸市场 百花市场 西苑菜市场 金沙集贸市场 "
            "金湾农贸市场 钢城农贸市场 北关菜市场 东风市场 柳河集市 城东菜市场 建设路菜市场").split()
_SCHOOLS = ("书院中学 人民路小学 南门小学 县二中 朝阳小学 柳河小学 桃源小学 江湾中学 滨江实验小学 白水小学 "
            "石桥小学 育才中学 西苑小学 解放路小学 金沙中学 钢城中学 铁路小学 青山县实验小学 高新实验学校 第一中学 "
            "柳河中学 北城大学").split()
_PARKS = ("人民公园 向阳公园 城墙遗址公园 桃李公园 湾畔公园 百花公园 科技公园 站前公园 观澜公园 钢花公园 青山公园 "
          "中山公园 滨江公园 北湖公园 人民广场 江滩 市民中心广场 站前广场").split()
_HOSPITALS = ("北城区中医院 南门医院 县中医院 县人民医院 市中医院 市第一人民医院 朝阳社区卫生服务中心 柳河镇卫生院 "
              "江湾社区医院 滨江区人民医院 金沙镇卫生院 钢铁厂职工医院 铁路医院 高新医院").split()
_VILLAGES = ("柳河村 杨庄村 沙洲村 金沙村 王家庄村 李家沟村 石桥村 桃源村 白水村 东岗村 河西村 马家店村 "
             "张庄村 后湾村 前进村 红星村 小河村 高坪村 新庄村 黄泥岗村").split()
_TRANSIT = ("火车北站 长途汽车站 站前广场 老火车站 客运南站 机场大巴站 滨江码头 高铁站出租车上客区").split()
_FOOD_SHOPS = ("好运来饭店 福满楼酒家 乐购超市 老街面馆 便民小卖部 家家乐超市 一品熟食店 大润发超市 小肥羊火锅 "
               "东北饺子馆 兄弟烧饼铺 好邻居便利店 金麦蛋糕店").split()
_SERVICE_SHOPS = ("鑫鑫理发店 力美健身房 蓝天网吧 快捷洗车行 金鼎KTV 秀美美容院 乐童托管班 星光影城 悦动游泳馆 "
                  "小天才英语 靓丽美甲店 宏图驾校报名点").split()
_SHOPS = _FOOD_SHOPS + _SERVICE_SHOPS + "新华商场 百姓大药房 瑞丰加油站 家居建材城".split()
_PARKS_FOR_COMPANIES = ("高新区 金沙工业园 北站物流园 钢城工业区 软件园 滨江商务区 柳河镇 城东开发区").split()
_COMPANIES = ("宏远机械厂 金鹏物流公司 恒信电子 华美服装厂 永兴建材 顺达快递网点 新世纪酒店 美佳家政公司 远航汽修厂 "
              "东方印刷厂 安泰保安公司 华强食品厂 德丰纺织 瑞祥装饰公司 天成建筑劳务公司 佳禾餐饮公司 明辉玻璃厂 "
              "利民塑料厂 博创科技公司 长青物业公司").split()
_SITES = ("御景城三期 中央公馆 滨河湾 城南安置房 人民医院新院区 地铁2号线江湾站 体育中心 万达广场 江湾新城四期 "
          "北站综合体 学府壹号 金沙大桥").split()


def _roads(rng: random.Random) -> List[str]:
    made = [stem + end for stem in _ROAD_STEMS for end in ("路", "街", "大道")]
    rng.shuffle(made)
    return list(_CITY_ROADS) + made[:30]


def pools(rng: random.Random) -> Dict[str, List[str]]:
    """Base places by kind; a base is what "one place" means for the truth."""
    compounds = [p + s for p in _PREFIXES for s in _SUFFIXES]
    rng.shuffle(compounds)
    roads = _roads(rng)
    def shops(names):
        return [f"{road}的{shop}" for shop in names for road in rng.sample(roads[:60], 3)]
    companies = [f"{park}{company}" for company in _COMPANIES for park in rng.sample(_PARKS_FOR_COMPANIES, 2)]
    stops = [f"{name}公交站" for name in list(_CITY_COMPOUNDS[:30]) + list(_SCHOOLS[:10]) + list(_HOSPITALS[:8])]
    return {"compound": list(_CITY_COMPOUNDS) + compounds[:90], "road": roads, "market": list(_MARKETS),
            "school": list(_SCHOOLS), "park": list(_PARKS), "hospital": list(_HOSPITALS),
            "village": list(_VILLAGES), "transit": list(_TRANSIT), "shop": shops(_SHOPS),
            "food_shop": shops(_FOOD_SHOPS), "service_shop": shops(_SERVICE_SHOPS), "company": companies,
            "stop": stops, "site": [f"{s}工地" for s in _SITES]}


_SPOTS: Dict[str, Tuple[str, ...]] = {
    "compound": ("", "", "{n}号楼", "{n}栋", "{n}号楼{u}单元", "东门", "北门", "南门口", "里面", "门口", "{n}号楼楼下"),
    "road": ("", "", "{n}号", "{n}号附近", "东段", "西段", "中段", "路口", "和{road}交叉口"),
    "market": ("", "", "门口", "里面", "东门", "后门"),
    "school": ("", "门口", "对面", "旁边", "后门"),
    "park": ("", "", "里面", "东门", "广场上", "湖边"),
    "hospital": ("", "", "门诊楼", "住院部", "挂号大厅"),
    "village": ("", "{n}组", "村口", "村东头", "{n}组那边"),
    "transit": ("", "", "门口", "出站口"),
    "shop": ("",), "food_shop": ("",), "service_shop": ("",), "company": ("", "", "车间"), "stop": ("",), "site": ("",),
}


def spot(rng: random.Random, kind: str, base: str, roads: List[str]) -> str:
    """The base as one citizen says it: 「锦绣花园3号楼」「人民路和建设路交叉口」「柳河村2组」."""
    pattern = rng.choice(_SPOTS.get(kind, ("",)))
    return base + pattern.format(n=rng.randint(1, 28), u=rng.randint(1, 4), road=rng.choice(roads))
