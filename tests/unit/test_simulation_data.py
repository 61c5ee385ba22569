"""The simulator's pools (eval/simulation/*.yml, and the fresh held-out sets in
eval/simulation_fresh/*.yml and eval/simulation_fresh2/*.yml): they load, reach their minimum
sizes, name real knowledge-base entries and routes, and share no sentence with the training data
or with each other."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "eval"))
from simulation.pools import (EMERGENCY_NUMBERS, MINIMUM_SIZES, REQUEST_TYPES, ROUTES, Pools,  # noqa: E402
                              draw, render_phone)
from simulation.checks import same_place  # noqa: E402

STYLES = {"short", "dialect", "typo", "voice", "blunt"}
# The fresh held-out sets (run as the honest measurement, never tuned on; once one is tuned on, a new
# one is written) and the sizes their brief asks for.
FRESH_DIRS = {"fresh": PROJECT_ROOT / "eval" / "simulation_fresh",
              "fresh2": PROJECT_ROOT / "eval" / "simulation_fresh2"}
FRESH_MINIMUM_SIZES = {"openings_per_type": 30, "letters": 30, "emergencies": 30, "not_accepted": 30,
                       "kb_questions": 60, "innocuous": 20}
POOL_SETS = {"default": (None, MINIMUM_SIZES, 2000),
             **{name: (directory, FRESH_MINIMUM_SIZES, 1500) for name, directory in FRESH_DIRS.items()}}


@pytest.fixture(scope="module", params=sorted(POOL_SETS))
def pool_set(request):
    directory, minimum, longest = POOL_SETS[request.param]
    return Pools.load(directory), minimum, longest


@pytest.fixture(scope="module")
def pools(pool_set) -> Pools:
    return pool_set[0]


def _knowledge_ids() -> set:
    ids = set()
    for path in (PROJECT_ROOT / "knowledge").glob("*.yml"):
        ids.update(e["id"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"])
    return ids


def test_every_group_reaches_its_minimum_size(pool_set):
    pools, minimum, _ = pool_set
    for request_type in REQUEST_TYPES:
        assert len(pools.openings[request_type]) >= minimum["openings_per_type"], request_type
    assert len(pools.letters) >= minimum["letters"]
    assert len(pools.emergencies) >= minimum["emergencies"]
    assert len(pools.not_accepted) >= minimum["not_accepted"]
    assert len(pools.kb_questions) >= minimum["kb_questions"]
    assert len(pools.innocuous) >= minimum["innocuous"]


def test_openings_cover_every_style(pools):
    for request_type, openings in pools.openings.items():
        assert {o["style"] for o in openings} == STYLES, request_type


def test_letters_are_long_letters_of_every_type(pool_set):
    pools, _, longest = pool_set
    assert {letter["type"] for letter in pools.letters} == set(REQUEST_TYPES)
    for letter in pools.letters:
        assert 300 <= len(letter["text"]) <= longest, letter["text"][:30]
        assert re.search(r"尊敬的|您好", letter["text"]), letter["text"][:30]


def test_labels_are_known(pools):
    assert all(set(e["numbers"]) <= set(EMERGENCY_NUMBERS) and e["numbers"] for e in pools.emergencies)
    assert {n["route"] for n in pools.not_accepted} == set(ROUTES)
    assert all(i["type"] in REQUEST_TYPES for i in pools.innocuous)


def test_every_knowledge_base_id_exists(pools):
    missing = {q["id"] for q in pools.kb_questions} - _knowledge_ids()
    assert not missing


def test_no_pool_sentence_appears_in_the_training_data(pools):
    """Read the training files programmatically: the pools were written without looking at them."""
    training = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "nlu_data").rglob("*.yml"))
    copied = [s for s in pools.all_sentences() if len(s) >= 4 and s in training]
    assert not copied, copied[:10]


def test_citizens_are_drawn_the_same_way_for_a_seed_with_unique_phones(pools):
    first, second = draw(pools, seed=7), draw(pools, seed=7)
    assert [c.phone_said for c in first["openings"]] == [c.phone_said for c in second["openings"]]
    phones = [c.phone for group in first.values() for c in group]
    assert len(phones) == len(set(phones))
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)


@pytest.mark.parametrize("name", sorted(FRESH_DIRS))
def test_a_fresh_set_is_its_own(name):
    """A fresh set shares no opening, letter, screening sentence or fact with the developers' pools
    or with any other fresh set."""
    fresh = set(Pools.load(FRESH_DIRS[name]).all_sentences())
    others = {"default": None, **{other: d for other, d in FRESH_DIRS.items() if other != name}}
    for other, directory in others.items():
        shared = fresh & set(Pools.load(directory).all_sentences())
        assert not shared, (other, sorted(shared)[:10])


@pytest.mark.parametrize("name", sorted(FRESH_DIRS))
def test_a_fresh_set_is_chosen_with_the_pools_option(name):
    sys.path.insert(0, str(PROJECT_ROOT / "eval"))
    import simulate
    directory = str(FRESH_DIRS[name])
    assert simulate._arguments([]).pools is None
    assert simulate._arguments(["--pools", directory]).pools == directory


def test_phones_and_places_are_rendered_and_compared_as_citizens_say_them():
    assert render_phone("{p3}-{p4a}-{p4b}", "13812345678") == "138-1234-5678"
    assert render_phone("{spoken}", "13812345678") == "幺三八幺二三四五六七八"
    assert same_place("就在万达广场东门那儿", "万达广场东门")
    assert same_place("在那个建设路菜市场门口", "建设路菜市场门口")
    assert not same_place("人民路和解放路交叉口", "黄河路中段加油站旁边")
