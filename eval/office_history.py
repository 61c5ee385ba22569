"""A held-out history of a hotline office, for evaluating hotspots (热点) and statistics.

    .venv/bin/python eval/office_history.py --out var/office_history.csv --seed 1 [--count 3000]
    .venv/bin/hotline tickets import var/office_history.csv --database-url sqlite:///var/history.db
    .venv/bin/hotline hotspots --from 2026-05-01 --to 2026-10-31 --json --database-url ...

It writes a CSV in the import format (`hotline tickets import`, settings/import_columns.yml) of
about six months of requests as an older system would export them, and beside it FILE.truth.json:
the planted clusters (one matter at one place, reported by several different citizens over
weeks, each report worded differently and naming the place in different forms), the decoys (a
cluster's matter once each at many other places; unrelated matters at a cluster's place) and the
one-off requests, each by its 原工单号 (kept by the import in facts["imported"]["原工单号"]) and
by its record index (1 = the first data record; letters span several physical lines, so this is
not the line number). Outside a planted cluster no topic of matter (noise, water, smell, ...:
office_history_matters.TOPICS) occurs twice at one place, so a hotspot method that groups anything
else groups one-offs. The volume follows working
hours, weekdays and public holidays; types, channels, departments, statuses, answers, reply and
closing times and satisfaction vary as in real histories. Deterministic per seed. The wording
(eval/office_history_matters.py, _style.py, _places.py) was written for this evaluation and
shares no sentence with the router's training data; the hotspot code was built without seeing it.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from office_history_matters import (  # noqa: E402
    CLUSTERS, DECOY_MATTERS, ONE_OFFS, SAME_PLACE_OTHER_MATTERS, Cluster, Matter, topic)
from office_history_places import pools, spot  # noqa: E402
from office_history_style import BY_CHANNEL, STYLES, repeat_prefix, typos, when, who  # noqa: E402

from bot.request_types import REQUEST_TYPES  # noqa: E402
from bot.workdays import WorkdayCalendar  # noqa: E402

COLUMNS = ("原工单号", "受理时间", "渠道", "诉求类型", "标题", "诉求内容", "姓名", "联系电话", "发生地点", "承办单位",
           "状态", "答复内容", "答复时间", "办结时间", "满意度", "受理坐席")
CHANNELS = (("电话", 58), ("微信", 16), ("网站", 13), ("APP", 6), ("市长信箱", 4), ("短信", 3))
DEFAULT_END = dt.date(2026, 10, 31)
DAYS = 184
_DAY_HOURS = (0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.6, 2.2, 2.3, 2.0, 1.2, 1.4, 2.0, 2.1, 1.9, 1.5, 1.0,
              0.9, 0.8, 0.7, 0.5, 0.3)
_NIGHT_HOURS = (1.2, 0.8, 0.4, 0.2, 0.1, 0.1, 0.2, 0.4, 0.6, 0.7, 0.7, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.8,
                1.1, 1.6, 2.2, 2.6, 2.0)
_WEEKDAY = (1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.5)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志民海燕波辉鹏春梅鑫宇浩然子涵雨欣佳琪思远文博晓东淑珍德胜凤琴"
DEPARTMENT_NAMES = {
    "gongan": "市公安局", "minzheng": "市民政局", "renshe": "市人力资源和社会保障局", "zhujian": "市住房和城乡建设局",
    "chengguan": "市城市管理综合执法局", "ziran": "市自然资源和规划局", "shengtai": "市生态环境局",
    "jiaotong": "市交通运输局", "jiaoyu": "市教育局", "weijian": "市卫生健康委员会", "shichang": "市市场监督管理局",
    "shangwu": "市商务局", "wenlv": "市文化广电和旅游局", "nongye": "市农业农村局", "shuiwu": "市水务局",
    "yibao": "市医疗保障局", "yingji": "市应急管理局", "xiaofang": "市消防救援支队", "gongjijin": "市住房公积金管理中心",
    "shuiwuju": "国家税务总局示例市税务局", "sifa": "市司法局", "fulian": "市妇女联合会", "canlian": "市残疾人联合会",
    "yancao": "市烟草专卖局", "gongdian": "供电公司", "gongshui": "供水公司", "ranqi": "燃气公司", "reli": "热力公司",
}
_ACTIONS = {
    "chengguan": ("已安排执法队员到现场核查，责令当事人限期整改，并将该点位纳入日常巡查",
                  "已安排维修人员到场处理，目前已恢复正常", "已联合街道开展集中整治"),
    "zhujian": ("已约谈相关单位，责令其按规定整改", "已督促物业和施工单位落实维修责任", "已调阅相关许可手续并现场检查"),
    "shengtai": ("已到现场监测，对超标排放行为立案调查", "已现场检查，责令其限期整改并将复查"),
    "shuiwu": ("已安排排水养护单位疏通管道，并对周边清洗消杀", "已对破损管段进行抢修"),
    "gongshui": ("已查明原因为管网压力不足，已调整供水并抢修", "已安排人员上门检修"),
    "renshe": ("劳动保障监察大队已立案调查，责令企业限期支付", "已向来电人说明维权途径，并约谈用人单位"),
    "jiaotong": ("已将意见转交公交公司研究，将结合客流情况统筹考虑", "已对相关驾驶员进行调查处理"),
    "gongan": ("已安排属地派出所民警到场处理", "交警大队已在高峰时段增派警力疏导", "已依法进行处理"),
    "xiaofang": ("已会同社区开展检查，清理飞线，并督促增设充电设施", "已责令整改消防隐患"),
    "jiaoyu": ("已约谈该机构负责人，督促其制定退费方案", "已责令学校停止违规收费"),
    "shichang": ("已到现场检查，对违规行为立案处理", "已组织双方调解，商家同意退款"),
}
_EXPLAIN = ("已电话联系来电人，详细解释了相关政策和办理流程", "已告知来电人办理所需材料和地点，来电人表示清楚",
            "已向来电人解答，并发送办事指南")
_RATINGS = (("满意", 66), ("基本满意", 20), ("不满意", 14))


def weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


@dataclass
class Citizen:
    name: str
    phone: Optional[str]


@dataclass
class Record:
    at: dt.datetime
    matter: Matter
    group: str                          # "c01".., "decoy_matter:<key>", "decoy_place:<base>", "one_off"
    base: Optional[str]                 # the place (what "one place" means in the truth)
    place: Optional[str]                # how this citizen named it
    citizen: Citizen
    repeat: bool = False
    row: Dict[str, str] = field(default_factory=dict)
    named: bool = False                 # the text itself names the place


class People:
    """Citizens with distinct phones; a few call about several unrelated matters over the months."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.phones: Set[str] = set()
        self.regulars: List[Citizen] = []

    def _phone(self) -> str:
        while True:
            if self.rng.random() < 0.08:
                number = f"0419-{self.rng.randint(2, 8)}{self.rng.randint(0, 999999):06d}"
            else:
                number = f"1{self.rng.choice('3456789')}{self.rng.randint(0, 999999999):09d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def _name(self) -> str:
        surname = self.rng.choice(_SURNAMES)
        roll = self.rng.random()
        if roll < 0.3:
            return surname + self.rng.choice(("先生", "女士", "师傅", "阿姨"))
        return surname + "".join(self.rng.choices(_GIVEN, k=self.rng.choice((1, 2, 2))))

    def new(self) -> Citizen:
        if self.rng.random() < 0.05:
            return Citizen("", None)      # anonymous: the old system kept no contact
        citizen = Citizen(self._name() if self.rng.random() > 0.04 else "", self._phone())
        if self.rng.random() < 0.04:
            self.regulars.append(citizen)
        return citizen

    def anyone(self) -> Citizen:
        if self.regulars and self.rng.random() < 0.06:
            return self.rng.choice(self.regulars)
        return self.new()


class Calendar:
    """Which day and hour a request comes: weekdays and working hours heavier, holidays lighter."""

    def __init__(self, rng: random.Random, end: dt.date):
        self.rng = rng
        self.days = [end - dt.timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
        workdays = WorkdayCalendar()
        self.weights = [self._weight(d, workdays) for d in self.days]

    @staticmethod
    def _weight(day: dt.date, workdays: WorkdayCalendar) -> float:
        weight = _WEEKDAY[day.weekday()]
        working = workdays.is_workday(day)
        if not working and day.weekday() < 5:
            return 0.45          # a public holiday
        if working and day.weekday() >= 5:
            return 0.9           # a make-up working day
        return weight

    def moment(self, day: dt.date, night: bool, channel: str) -> dt.datetime:
        hours = _NIGHT_HOURS if night else _DAY_HOURS
        if channel not in ("电话",):    # online channels are used around the clock
            hours = tuple(0.5 * h + 0.6 for h in hours)
        hour = self.rng.choices(range(24), weights=hours, k=1)[0]
        return dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59), self.rng.randint(0, 59)))

    def any_day(self) -> dt.date:
        return self.rng.choices(self.days, weights=self.weights, k=1)[0]


class Places:
    """Free places per kind: outside a planted cluster, one topic of matter once at one place."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools = pools(rng)
        self.used: Set[Tuple[str, str]] = set()

    def blocked(self, family: str, base: str) -> bool:
        if (topic(family), base) in self.used:
            return True
        return any(topic(c.matter.family) == topic(family) and any(r in base or base in r for r in c.reserved)
                   for c in CLUSTERS)

    def use(self, family: str, base: str) -> None:
        self.used.add((topic(family), base))

    def take(self, matter: Matter) -> Optional[str]:
        pool = self.pools.get(matter.place_kind, [])
        free = [b for b in pool if not self.blocked(matter.family, b)]
        if not free:
            return None
        base = self.rng.choice(free)
        self.use(matter.family, base)
        return base

    def say(self, matter: Matter, base: str) -> str:
        return spot(self.rng, matter.place_kind, base, self.pools["road"])


# ------------------------------------------------------------------------------ the records


def _cluster_records(rng, index: int, cluster: Cluster, calendar: Calendar, people: People,
                     end: dt.date) -> List[Record]:
    weeks = rng.randint(*cluster.weeks)
    span = weeks * 7
    # Some clusters are still growing when the history ends: the "new and growing fast" case.
    latest = len(calendar.days) - span
    start = calendar.days[rng.randint(7, latest - 1)] if index % 4 else end - dt.timedelta(days=span - 1)
    count = rng.randint(*cluster.reports)
    reporters: List[Citizen] = []
    records = []
    for _ in range(count):
        # Density grows over the weeks (u ** 0.6 leans late): more neighbours join in.
        day = start + dt.timedelta(days=min(span - 1, int(span * rng.random() ** 0.6)))
        repeat = bool(reporters) and rng.random() < 0.15
        citizen = rng.choice(reporters) if repeat else people.new()
        if not repeat:
            reporters.append(citizen)
        channel = weighted(rng, CHANNELS)
        moment = calendar.moment(day, cluster.matter.night, channel)
        place = weighted(rng, cluster.forms)
        records.append(Record(moment, cluster.matter, f"c{index + 1:02d}", cluster.place, place, citizen,
                              repeat, {"渠道": channel}))
    return records


def _single(rng, matter: Matter, group: str, base: Optional[str], places: Places, calendar: Calendar,
            people: People) -> Record:
    channel = weighted(rng, CHANNELS)
    moment = calendar.moment(calendar.any_day(), matter.night, channel)
    place = places.say(matter, base) if base else None
    return Record(moment, matter, group, base, place, people.anyone(), False, {"渠道": channel})


def _decoys(rng, places: Places, calendar: Calendar, people: People) -> List[Record]:
    records = []
    for matter in DECOY_MATTERS:
        for _ in range(rng.randint(8, 12)):
            base = places.take(matter)
            if base:
                records.append(_single(rng, matter, f"decoy_matter:{matter.key}", base, places, calendar, people))
    by_key = {m.key: m for m in ONE_OFFS}
    for base, keys in SAME_PLACE_OTHER_MATTERS.items():
        for key in keys:
            matter = by_key[key]
            places.use(matter.family, base)
            record = _single(rng, matter, f"decoy_place:{base}", base, places, calendar, people)
            record.place = base + rng.choice(("", "", "里", "门口", "附近"))
            records.append(record)
    return records


def _one_offs(rng, count: int, places: Places, calendar: Calendar, people: People) -> List[Record]:
    matters = list(ONE_OFFS)
    records = []
    while len(records) < count and matters:
        matter = rng.choice(matters)
        base = places.take(matter) if matter.place_kind else None
        if matter.place_kind and base is None:
            matters.remove(matter)      # every place of its kind has had this family once
            continue
        records.append(_single(rng, matter, "one_off", base, places, calendar, people))
    return records


# ------------------------------------------------------------------------------ the columns


def _text(rng, record: Record) -> Tuple[str, str]:
    """(title, text) in the citizen's own way of writing."""
    matter, channel = record.matter, record.row["渠道"]
    record.named = bool(record.place) and rng.random() < 0.85
    named = record.place if record.named else rng.choice(("我们这儿", "我家附近", "这边"))
    core = _tidy(rng.choice(matter.cores).format(p=named if record.place else ""))
    parts = [p for p in (who(rng), when(rng, core)) if p]
    parts += rng.sample(matter.details, k=min(len(matter.details), rng.choice((0, 1, 1, 2))))
    if matter.asks and rng.random() < 0.75:
        parts.append(rng.choice(matter.asks))
    if record.repeat:
        parts.insert(0, repeat_prefix(rng).rstrip("，"))
    styles = BY_CHANNEL[channel]
    if record.row["诉求类型"] in ("咨询", "建议"):     # nobody asks a question in anger
        styles = tuple((s, w) for s, w in styles if s not in ("angry", "dialect")) or (("short", 1),)
    style = weighted(rng, styles)
    text = STYLES[style](rng, parts, place=record.place or "")
    if style != "letter" and rng.random() < 0.12:
        text = typos(rng, text)
    title = ""
    if channel != "电话" and matter.titles and rng.random() < 0.7:
        title = rng.choice(matter.titles)
        if record.place and rng.random() < 0.4:
            title = f"{record.place}{title}"
    return title, text


_DOUBLED = re.compile(r"(门口|工地|的工地|公交站)(?:的)?\1")


def _tidy(text: str) -> str:
    """「江湾小学门口门口」 when a place said with 门口 meets a sentence that adds it again."""
    return _DOUBLED.sub(r"\1", text)


def _status(rng, record: Record, end: dt.datetime) -> Dict[str, str]:
    """What happened to the request by the end of the history: answered and closed, or still open."""
    consult = record.matter.types.get("consult", 0) and record.row["诉求类型"] == "咨询"
    reply_days = rng.uniform(0.1, 2.5) if consult else rng.uniform(0.8, 12)
    if rng.random() < 0.08:
        reply_days *= 2.2     # late: past the time limit
    replied = record.at + dt.timedelta(days=reply_days)
    closed = replied + dt.timedelta(days=rng.uniform(0.2, 3))
    dept = DEPARTMENT_NAMES[record.matter.dept]
    fmt = "%Y-%m-%d %H:%M:%S"
    if closed <= end:
        rating = weighted(rng, _RATINGS) if rng.random() < 0.88 else ""
        if record.group.startswith("c") and record.repeat and rating:
            rating = "不满意"     # asked again because nothing changed
        return {"承办单位": dept, "状态": "已办结", "答复内容": _answer(rng, record, consult),
                "答复时间": replied.strftime(fmt), "办结时间": closed.strftime(fmt), "满意度": rating}
    if replied <= end:
        return {"承办单位": dept, "状态": "已答复", "答复内容": _answer(rng, record, consult),
                "答复时间": replied.strftime(fmt)}
    if end - record.at < dt.timedelta(days=1) and rng.random() < 0.35:
        return {"状态": "已受理"}
    return {"承办单位": dept, "状态": weighted(rng, (("办理中", 7), ("已派单", 2), ("退单", 1)))}


def _answer(rng, record: Record, consult: bool) -> str:
    if consult:
        return rng.choice(_EXPLAIN) + "。"
    actions = _ACTIONS.get(record.matter.dept) or ("已转相关单位核实处理",)
    return rng.choice(("经核实，{a}。", "接到工单后，我单位立即派人到现场查看，{a}，已电话回复来电人。",
                       "{a}。感谢您对我们工作的监督。")).format(a=rng.choice(actions))


def _fill(rng, record: Record, end: dt.datetime) -> None:
    record.row["诉求类型"] = REQUEST_TYPES[weighted(rng, record.matter.types.items())]
    title, text = _text(rng, record)
    record.row.update({"受理时间": record.at.strftime("%Y-%m-%d %H:%M:%S"), "标题": title, "诉求内容": text,
                       "姓名": record.citizen.name,
                       "联系电话": record.citizen.phone or "", "发生地点": _place_column(rng, record),
                       "受理坐席": f"坐席{rng.randint(1, 24):02d}" if record.row["渠道"] == "电话" else ""})
    record.row.update(_status(rng, record, end))


def _place_column(rng, record: Record) -> str:
    """The operator's 发生地点: usually what the citizen said, sometimes left empty when the text
    names it (a place is then only in the text)."""
    if not record.place:
        return ""
    return "" if record.named and rng.random() < 0.12 else record.place


# ------------------------------------------------------------------------------ writing


def generate(seed: int, count: int, end: dt.date = DEFAULT_END) -> List[Record]:
    rng = random.Random(seed)
    calendar, people, places = Calendar(rng, end), People(rng), Places(rng)
    records: List[Record] = []
    for index, cluster in enumerate(CLUSTERS):
        records += _cluster_records(rng, index, cluster, calendar, people, end)
        for reserved in cluster.reserved:
            places.use(cluster.matter.family, reserved)
    records += _decoys(rng, places, calendar, people)
    records += _one_offs(rng, max(0, count - len(records)), places, calendar, people)
    records.sort(key=lambda r: r.at)
    last = dt.datetime.combine(end, dt.time(23, 59, 59))
    for record in records:
        _fill(rng, record, last)
    _number(records)
    return records


def _number(records: List[Record]) -> None:
    per_day: Counter = Counter()
    for record in records:
        day = record.at.date()
        per_day[day] += 1
        record.row["原工单号"] = f"LS{day:%Y%m%d}{per_day[day]:04d}"


def truth(records: List[Record], seed: int, end: dt.date) -> dict:
    groups: Dict[str, List[Tuple[int, Record]]] = {}
    for index, record in enumerate(records, start=1):
        groups.setdefault(record.group, []).append((index, record))

    def numbers(items):
        return [r.row["原工单号"] for _, r in items]

    clusters = []
    for index, cluster in enumerate(CLUSTERS):
        items = groups[f"c{index + 1:02d}"]
        phones = {r.citizen.phone or f"anon-{i}" for i, r in items}
        clusters.append({
            "id": f"c{index + 1:02d}", "matter": cluster.matter.key, "department": cluster.matter.dept,
            "place": cluster.place, "place_forms": [f for f, _ in cluster.forms],
            "from": items[0][1].at.date().isoformat(), "to": items[-1][1].at.date().isoformat(),
            "count": len(items), "citizens": len(phones), "rows": [i for i, _ in items], "numbers": numbers(items)})
    decoys_matter = [{"matter": g.split(":", 1)[1], "places": [r.base for _, r in items],
                      "rows": [i for i, _ in items], "numbers": numbers(items)}
                     for g, items in groups.items() if g.startswith("decoy_matter:")]
    decoys_place = [{"place": g.split(":", 1)[1], "matters": [r.matter.key for _, r in items],
                     "rows": [i for i, _ in items], "numbers": numbers(items)}
                    for g, items in groups.items() if g.startswith("decoy_place:")]
    one_offs = groups.get("one_off", [])
    return {"seed": seed, "records": len(records), "from": records[0].at.date().isoformat(), "to": end.isoformat(),
            "key_column": "原工单号",
            "note": "rows: record index, 1 = the first data record (not the physical line); numbers: 原工单号, "
                    "kept by the import in facts['imported']['原工单号']. Only the clusters are hotspots.",
            "clusters": clusters, "decoys_same_matter": decoys_matter, "decoys_same_place": decoys_place,
            "one_offs": {"count": len(one_offs), "rows": [i for i, _ in one_offs], "numbers": numbers(one_offs)}}


def write(records: List[Record], out: Path, seed: int, end: dt.date) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([record.row.get(c, "") for c in COLUMNS])
    truth_path = out.with_name(out.stem + ".truth.json")
    truth_path.write_text(json.dumps(truth(records, seed, end), ensure_ascii=False, indent=1), encoding="utf-8")
    return truth_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="the CSV to write (FILE.truth.json beside it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=3000, help="records in all (clusters and decoys included)")
    parser.add_argument("--end", type=dt.date.fromisoformat, default=DEFAULT_END,
                        help="the last day of the history (it covers the 184 days up to it)")
    args = parser.parse_args(argv)
    records = generate(args.seed, args.count, args.end)
    truth_path = write(records, args.out, args.seed, args.end)
    clusters = sum(1 for r in records if r.group.startswith("c"))
    print(f"{len(records)} records ({clusters} in {len(CLUSTERS)} planted clusters) -> {args.out}; "
          f"truth -> {truth_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
