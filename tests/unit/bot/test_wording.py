"""settings/wording.yml holds every sentence the actions say, and a broken one is named."""
import datetime as dt
import re

import pytest

from bot.settings import PROJECT_ROOT, SettingsError
from bot.wording import _sentences, say


def test_every_sentence_the_actions_use_is_in_the_file():
    used = set()
    for path in (PROJECT_ROOT / "actions").glob("*.py"):
        used |= set(re.findall(r'say\(\s*"([a-z_0-9]+)"', path.read_text(encoding="utf-8")))
    used |= {"choose_anonymous", "choose_consent", "choose_request_type"}   # looked up by slot name
    assert used and used <= set(_sentences()), used - set(_sentences())


def test_values_are_filled_in_and_dates_written_the_chinese_way():
    text = say("ticket_opened", type="投诉", number="202612060001", deadline=dt.date(2026, 12, 18), limit=10)
    assert "工单编号：202612060001" in text and "2026年12月18日前" in text and "10个工作日" in text


def test_a_missing_sentence_or_value_is_named():
    with pytest.raises(SettingsError, match="no_such_sentence"):
        say("no_such_sentence")
    with pytest.raises(SettingsError, match="number"):
        say("ticket_opened", type="投诉")


def test_no_action_says_chinese_of_its_own():
    """User-facing wording lives in settings/wording.yml (and domain.yml), not in the actions."""
    import ast
    for path in (PROJECT_ROOT / "actions").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(n)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not re.search(r"[\u4e00-\u9fff]{4,}", node.value), f"{path.name}:{node.lineno} {node.value!r}"
