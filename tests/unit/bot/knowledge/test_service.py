"""The dialogue's decision: answer, offer the top three, or no match (go to the ticket form)."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge import ConfigError, Hit, KnowledgeBase, decide_from_hits, load_settings


def hits(*scores: float) -> list[Hit]:
    return [Hit(f"e{i}", "问", "答", "部门", "12345", "来源", s) for i, s in enumerate(scores)]


@pytest.fixture
def thresholds():
    return load_settings(answer_threshold=0.8, offer_threshold=0.7, margin=0.03, k=3)


def test_confident_clear_match_is_answered(thresholds):
    d = decide_from_hits(hits(0.9, 0.75, 0.7), thresholds)
    assert d.action == "answer" and d.best.id == "e0" and len(d.hits) == 1


def test_close_runner_up_is_offered_instead_of_answered(thresholds):
    d = decide_from_hits(hits(0.85, 0.84, 0.7, 0.6), thresholds)
    assert d.action == "offer" and [h.id for h in d.hits] == ["e0", "e1", "e2"]


def test_near_match_is_offered_and_weak_match_goes_to_ticket(thresholds):
    assert decide_from_hits(hits(0.75, 0.6), thresholds).action == "offer"
    assert decide_from_hits(hits(0.65, 0.6), thresholds).action == "none"
    assert decide_from_hits([], thresholds).action == "none"


def test_thresholds_come_from_environment(monkeypatch):
    monkeypatch.setenv("HOTLINE_KB_ANSWER_THRESHOLD", "0.91")
    monkeypatch.setenv("HOTLINE_KB_ENCODER", "use")
    s = load_settings()
    assert s.answer_threshold == 0.91 and s.encoder == "use"


def test_inconsistent_thresholds_are_refused(monkeypatch):
    monkeypatch.setenv("HOTLINE_KB_OFFER_THRESHOLD", "0.95")
    with pytest.raises(ConfigError):
        load_settings(answer_threshold=0.8)


def test_real_questions_with_default_settings(make_settings):
    kb = KnowledgeBase.open(make_settings())
    answered = kb.decide("社保卡丢了怎么补办")
    assert answered.action == "answer" and answered.best.id == "sscard-lost"
    assert "12333" in answered.best.answer and answered.best.department
    assert kb.decide("明天股票会不会涨").action != "answer"


def test_expired_entries_are_not_returned(make_settings, kb_dirs):
    source_dir, _ = kb_dirs
    path = source_dir / "small.yml"
    text = path.read_text(encoding="utf-8")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    path.write_text(text.replace("    source: 国家移民管理局\n    updated: 2025-03-01\n",
                                 f"    source: 国家移民管理局\n    updated: 2020-01-01\n    valid_until: {yesterday}\n"),
                    encoding="utf-8")
    kb = KnowledgeBase.open(make_settings())
    assert "passport" not in [h.id for h in kb.search("护照怎么办", k=6)]
    assert len(kb.search("护照怎么办", k=5)) == 5


def test_running_service_picks_up_edited_sources(make_settings, kb_dirs):
    source_dir, _ = kb_dirs
    kb = KnowledgeBase.open(make_settings())
    assert kb.refreshed() is kb  # nothing changed: same object, no work
    path = source_dir / "small.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("带身份证到出入境接待大厅办理", "到任一出入境大厅办理"),
                    encoding="utf-8")
    fresh = kb.refreshed()
    assert fresh is not kb
    assert fresh.search("护照去哪办", k=1)[0].answer.startswith("到任一出入境大厅办理")


def test_blank_question_finds_nothing_and_goes_to_ticket(make_settings):
    kb = KnowledgeBase.open(make_settings())
    assert kb.search("   ") == []
    assert kb.decide("").action == "none"
    assert [len(r) for r in kb.search_many(["护照", "", "垃圾分类"], k=2)] == [2, 0, 2]


def test_entry_behind_an_offered_button(make_settings):
    kb = KnowledgeBase.open(make_settings())
    hit = kb.entry("marriage")
    assert hit.department == "本市民政局" and hit.phone == "12349" and "身份证" in hit.answer
    assert kb.entry("no-such-entry") is None
