"""Source validation: every problem is reported with file and line; nothing is half-loaded."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge import SourceError, load_source
from bot.knowledge.cli import main


GOOD = """\
department: 本市民政局
phone: "12349"
entries:
  - id: good-one
    question: 结婚登记要带什么？
    answer: 带身份证。电话12349。
    source: 《婚姻登记条例》
    updated: 2025-03-01
"""


def problems_of(exc: SourceError) -> list[tuple[str, int]]:
    return [(p.file.name, p.line) for p in exc.problems]


def test_valid_file_inherits_file_defaults_and_keeps_phone_text(tmp_path, write):
    write(tmp_path, "a.yml", """\
        department: 本市某局
        phone: "0371-12345678"
        entries:
          - id: e1
            question: 问题？
            alternatives:
              - 12366
            answer: 答案，电话0371-12345678。
            source: 某办法
            updated: 2025-01-02
            valid_until: 2026-01-01
        """)
    entry = load_source(tmp_path).entries[0]
    assert entry.department == "本市某局"
    assert entry.phone == "0371-12345678"          # not parsed as a number
    assert entry.alternatives == ("12366",)         # a number-looking phrasing stays text
    assert entry.updated == dt.date(2025, 1, 2) and entry.valid_until == dt.date(2026, 1, 1)
    assert (entry.file.name, entry.line) == ("a.yml", 4)


def test_missing_field_reported_at_entry_line(tmp_path, write):
    write(tmp_path, "a.yml", GOOD + """\
  - id: no-answer
    question: 没有答案的条目
    source: x
    updated: 2025-03-01
""")
    with pytest.raises(SourceError) as err:
        load_source(tmp_path)
    assert problems_of(err.value) == [("a.yml", 9)]
    assert "answer" in str(err.value) and "a.yml:9" in str(err.value)


def test_typo_bad_date_and_bad_phone_each_at_their_own_line(tmp_path, write):
    write(tmp_path, "a.yml", GOOD + """\
  - id: broken
    question: 问题
    alternative: [拼错的字段]
    answer: 答案
    phone: 拨打一二三
    source: x
    updated: 2025-13-01
""")
    with pytest.raises(SourceError) as err:
        load_source(tmp_path)
    lines = sorted(line for _, line in problems_of(err.value))
    assert lines == [11, 13, 15]  # alternative (typo), phone, updated


def test_duplicate_id_names_both_places(tmp_path, write):
    write(tmp_path, "a.yml", GOOD)
    write(tmp_path, "b.yml", GOOD)
    with pytest.raises(SourceError) as err:
        load_source(tmp_path)
    assert problems_of(err.value) == [("b.yml", 4)]
    assert "a.yml:4" in str(err.value)


def test_yaml_syntax_error_has_line(tmp_path, write):
    write(tmp_path, "a.yml", GOOD + "  - id: [unclosed\n")
    with pytest.raises(SourceError) as err:
        load_source(tmp_path)
    assert err.value.problems[0].file.name == "a.yml"
    assert err.value.problems[0].line >= 9


def test_bad_entry_means_nothing_is_loaded(tmp_path, write):
    """One bad entry among good ones in several files: the caller gets no entries at all."""
    write(tmp_path, "a.yml", GOOD)
    write(tmp_path, "b.yml", GOOD.replace("good-one", "good-two") + """\
  - id: BAD ID
    question: q
    answer: a
    source: s
    updated: 2025-03-01
""")
    result = None
    with pytest.raises(SourceError) as err:
        result = load_source(tmp_path)
    assert result is None
    assert problems_of(err.value) == [("b.yml", 9)]
    assert "未加载任何条目" in str(err.value)


def test_expired_entry_and_missing_phone_are_warnings(tmp_path, write):
    write(tmp_path, "a.yml", GOOD.replace("带身份证。电话12349。", "带身份证。") + "    valid_until: 2025-06-01\n")
    source = load_source(tmp_path, today=dt.date(2025, 7, 1))
    messages = " ".join(w.message for w in source.warnings)
    assert "已过有效期" in messages and "没有写出电话" in messages


def test_kb_check_cli_reports_file_and_line(tmp_path, capsys, write):
    write(tmp_path, "a.yml", GOOD.replace("    updated: 2025-03-01\n", ""))
    code = main(["kb", "check", "--settings", str(tmp_path / "none.yml"), str(tmp_path / "a.yml")])
    err = capsys.readouterr().err
    assert code == 1
    assert "a.yml:4" in err and "updated" in err


def test_shipped_knowledge_base_is_valid_and_large_enough(project_root):
    source = load_source(project_root / "knowledge")
    assert len(source.entries) >= 150
    assert all(e.phone in e.answer or any(p in e.answer for p in e.phone.split("/")) for e in source.entries)


def test_folded_answer_reads_without_stray_spaces(tmp_path, write):
    write(tmp_path, "a.yml", """\
        department: 本市民政局
        phone: "12349"
        entries:
          - id: folded
            question: 问题？
            answer: >-
              第一句话。
              第二句按国家标准（GB 17761-2018）执行，
              12349可以咨询。
            source: s
            updated: 2025-03-01
        """)
    answer = load_source(tmp_path).entries[0].answer
    assert answer == "第一句话。第二句按国家标准（GB 17761-2018）执行，12349可以咨询。"
