"""Hotspots on a small written history (test_hotspots_fixture.py), on SQLite and PostgreSQL, with the
real e5 encoder: the real clusters are found whole and at the top, decoys form none."""
import datetime as dt

import pytest

from bot.office import hotspot_heat
from bot.office.hotspot_places import PlaceReader, place_key
from bot.office.hotspot_settings import HeatSettings, hotspot_settings, parse_settings
from bot.office.hotspots import CITYWIDE, Request, find_hotspots, hotspots_json, title_of
from bot.settings import SettingsError
from tests.support.tickets import Clock
from tests.unit.bot.office import test_hotspots_fixture as history


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return hotspot_settings().with_cache(tmp_path_factory.mktemp("hotspot-cache"))


@pytest.fixture(scope="module")
def places():
    return PlaceReader.from_catalogue()


@pytest.fixture
def clock():
    return Clock(2026, 10, 1, 9, 0)


@pytest.fixture
def numbers(store, clock):
    return history.load_history(store, clock)


def test_real_clusters_are_found_whole_at_the_top_and_decoys_form_none(store, numbers, settings, places):
    found = find_hotspots(store, *history.PERIOD, settings, places=places)
    expected = {name: history.numbers_of(numbers, rows) for name, rows in history.CLUSTERS.items()}
    assert sorted(map(sorted, (set(h.tickets) for h in found))) == sorted(map(sorted, expected.values()))
    decoys = {n for rows in history.DECOYS.values() for n in history.numbers_of(numbers, rows)}
    assert not any(decoys & set(h.tickets) for h in found)
    by_tickets = {frozenset(h.tickets): h for h in found}
    barbecue = by_tickets[frozenset(expected["烧烤"])]
    assert (barbecue.place, barbecue.count, barbecue.citizens) == ("幸福里小区", 8, 7)
    assert "烧烤" in barbecue.title and len(barbecue.title) <= 20
    assert by_tickets[frozenset(expected["社保APP"])].place == CITYWIDE
    assert by_tickets[frozenset(expected["垃圾"])].place == "紫荆花园"      # a place the catalogue lacks


def test_heat_ranks_many_citizens_over_weeks_first_and_only_the_new_fast_cluster_alerts(store, numbers, settings,
                                                                                        places):
    found = find_hotspots(store, *history.PERIOD, settings, places=places)
    assert [h.heat for h in found] == sorted((h.heat for h in found), reverse=True)
    assert found[0].place == "幸福里小区"
    heat = {h.place: h.heat for h in found}
    assert heat["幸福里小区"] > heat["江湾新村"] > heat["人民路"] > heat["紫荆花园"]
    alerts = [h for h in found if h.alert]
    assert [h.place for h in alerts] == ["红旗家园"]
    assert alerts[0].reason == "近48小时新增5件（5位市民），7天前尚无同类诉求"
    data = hotspots_json(found, top=2)
    assert len(data) == 2 and {"title", "place", "from", "to", "count", "citizens", "heat", "tickets"} <= set(data[0])
    assert data[0]["from"] == "2026-10-27" and data[0]["to"] == "2026-11-21"


def test_a_period_without_the_older_requests_sees_a_smaller_hotspot(store, numbers, settings, places):
    found = find_hotspots(store, dt.date(2026, 11, 10), dt.date(2026, 11, 22), settings, places=places)
    barbecue = next(h for h in found if h.place == "幸福里小区")
    assert barbecue.count == 4 and barbecue.first.date() == dt.date(2026, 11, 13)
    assert find_hotspots(store, dt.date(2026, 9, 1), dt.date(2026, 9, 30), settings, places=places) == []


def test_a_handler_sees_hotspots_of_its_own_department_only(store, numbers, settings, places):
    assert find_hotspots(store, *history.PERIOD, settings, places=places, scope="chengguan") == []


def test_the_ways_people_name_one_place_share_one_key(places):
    keys = {places.find(t).key for t in ("幸福里小区3号楼", "幸福里小区", "幸福里", "幸福里小区北门")}
    assert keys == {"幸福里"}
    assert places.find("邮电局宿舍门口").key == places.find("邮电宿舍").key
    assert places.find("人民路188号").key == places.find("人民路12号").key == "人民路"
    assert places.find("紫荆花园2栋").key == "紫荆花园"
    assert places.find("我住中山区，路灯坏了") is None and places.find("解放街道") is None
    assert place_key("红旗家园东区") == "红旗家园"


def test_titles_never_show_personal_data():
    request = Request("1", "您好，我叫王建国，电话13812345678，幸福里小区3号楼501室楼下烧烤太吵", dt.datetime(2026, 11, 1),
                      "c", None, [], "王建国")
    title = title_of(request)
    assert "13812345678" not in title and "王建国" not in title and "501" not in title


def test_heat_follows_the_documented_formula():
    end = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    steady = [end - dt.timedelta(days=d) for d in (28, 21, 14, 7.5, 3, 0.5)]
    # volume 6; growth (2 in the last 7 days / 7) ÷ (4 before / 21 days) = 1.5, factor 1.5 ** 0.5;
    # lasting 1 + 0.5 × 27.5 / 28: 6 × 1.2247 × 1.491 = 10.96
    assert hotspot_heat.heat_of(steady, 6, end, HeatSettings()).heat == 11.0
    burst = [end - dt.timedelta(hours=h) for h in (70, 50, 30, 20, 10, 2)]
    fading = [end - dt.timedelta(days=d) for d in (28, 26, 24, 22, 20, 2)]
    heat = lambda times: hotspot_heat.heat_of(times, 6, end, HeatSettings()).heat  # noqa: E731
    assert heat(burst) > heat(fading) and heat(steady) > heat(fading)
    repeat = hotspot_heat.heat_of(steady, 3, end, HeatSettings()).heat
    assert repeat < heat(steady)          # three citizens calling twice weigh less than six


def test_bad_settings_are_refused_in_chinese():
    with pytest.raises(SettingsError, match="similarity 应在 0.0 到 1.0 之间"):
        parse_settings({"similarity": 2})
    with pytest.raises(SettingsError, match="encoder 应为"):
        parse_settings({"encoder": "bert"})
    with pytest.raises(SettingsError, match="min_requests"):
        parse_settings({"min_requests": 1})


# An older system's short, form-like records: one template, the matter a few characters of it.
TEMPLATED_MATTERS = ["井盖丢失", "路灯不亮", "下水道堵塞", "占道经营", "广场舞声音大", "楼道堆放杂物", "违章停车堵路",
                     "垃圾没人清运"]
TEMPLATED_PLACES = ["北关新村", "百花苑", "红旗家园", "府前花园", "朝晖苑", "光明花园"]


def templated_rows():
    """Each place gets every matter once (different citizens): nothing repeats at one place, except
    the planted cluster: 楼道堆放杂物 at 百花苑, four more times from four more citizens."""
    rows, phone = [], 300
    tails = ["，希望尽快处理", "，请有关部门管一管", "，已经好几天了", "，严重影响生活"]
    for p, place in enumerate(TEMPLATED_PLACES):
        for m, matter in enumerate(TEMPLATED_MATTERS):
            phone += 1
            rows.append(((11, 1 + (p + m) % 20, 10), f"13900000{phone}", "complain", place,
                         f"{matter}{tails[(p + m) % 4]}，已经{3 + m}天了"))
    for k in range(4):
        phone += 1
        rows.append(((11, 5 + 3 * k, 9), f"13900000{phone}", "complain", "百花苑",
                     f"楼道堆放杂物{tails[k]}，已经{5 + k}天了"))
    return rows


def test_on_short_templated_records_different_matters_at_one_place_stay_apart(store, clock, settings, places):
    numbers = history.load_history(store, clock, templated_rows())
    found = find_hotspots(store, *history.PERIOD, settings, places=places)
    assert len(found) == 1
    hotspot = found[0]
    assert hotspot.place == "百花苑" and hotspot.count == 5 and "楼道堆放杂物" in hotspot.title
    assert all("楼道堆放杂物" in text for text, number in numbers.items() if number in hotspot.tickets)
