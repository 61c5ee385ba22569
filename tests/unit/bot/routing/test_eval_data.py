"""The evaluation set stays honest: big enough, valid labels, and never part of the training data."""
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.routing import load_catalogue
from bot.routing.training import catalogue_examples, labelled_examples, load_requests

ROOT = PROJECT_ROOT


def _eval_module():
    spec = importlib.util.spec_from_file_location("routing_eval", ROOT / "eval" / "routing_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_eval_cases_are_many_cover_every_department_and_use_known_ids():
    catalogue = load_catalogue()
    cases = _eval_module().load_cases(ROOT / "eval" / "routing_cases.yml")
    assert len(cases) >= 200
    per_department = Counter(c["department"] for c in cases)
    assert set(per_department) == {d.id for d in catalogue.departments}
    assert min(per_department.values()) >= 5
    offices = {o.id for o in catalogue.offices}
    assert all(c.get("territory") in offices for c in cases if c.get("territory"))


@pytest.mark.parametrize("name", ["routing_cases.yml", "routing_heldout_voices.yml", "routing_multi_dev.yml"])
def test_no_eval_case_is_in_the_training_data(name):
    catalogue = load_catalogue()
    module = _eval_module()
    training = [(e.text, e.department) for e in labelled_examples(catalogue)]
    assert module.leaked(module.load_cases(ROOT / "eval" / name), training) == []


def test_the_held_out_voices_and_the_co_handler_set_use_known_ids_and_every_voice():
    catalogue = load_catalogue()
    known = {d.id for d in catalogue.departments}
    module = _eval_module()
    held = module.load_cases(ROOT / "eval" / "routing_heldout_voices.yml")
    assert len(held) >= 250 and {c["voice"] for c in held} == {"letter", "dialect", "voice", "place_only", "multi"}
    multi = module.load_cases(ROOT / "eval" / "routing_multi_dev.yml")
    assert sum(1 for c in multi if c["also"]) >= 60 and sum(1 for c in multi if not c["also"]) >= 60
    for case in held + multi:
        assert case["department"] in known and set(case.get("also") or []) <= known - {case["department"]}


def test_the_training_files_never_include_an_evaluation_set():
    catalogue = load_catalogue()
    assert not [p for p in catalogue.router.training_files if p.parent.name == "eval"]
