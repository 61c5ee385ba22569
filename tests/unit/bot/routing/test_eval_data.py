"""The evaluation set stays honest: big enough, valid labels, and never part of the training data."""
import importlib.util
from collections import Counter
from pathlib import Path

from bot.settings import PROJECT_ROOT
from bot.routing import load_catalogue
from bot.routing.training import catalogue_examples, load_requests

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


def test_no_eval_case_is_in_the_training_data():
    catalogue = load_catalogue()
    module = _eval_module()
    training = catalogue_examples(catalogue) + load_requests(catalogue.router.training_files, catalogue)
    assert module.leaked(module.load_cases(ROOT / "eval" / "routing_cases.yml"), training) == []
