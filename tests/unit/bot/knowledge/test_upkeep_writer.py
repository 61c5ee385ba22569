"""A published entry written back into its YAML file: only its lines change, awkward text survives
the round trip, and a write that would break the folder is undone."""
from __future__ import annotations

import pytest

from bot.knowledge.editorial import writer
from bot.knowledge.source import load_source


def test_only_the_entrys_lines_change_and_awkward_text_round_trips(kb_dirs):
    folder, _ = kb_dirs
    path = folder / "small.yml"
    path.write_text("# 人社局维护\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    before = path.read_text(encoding="utf-8").splitlines()
    entry = load_source(folder).by_id()["unemployment"]
    content = dict(writer.as_content(entry), question="失业金: 怎么领？#1 - {急} 'A' \"B\"",
                   alternatives=["12345", "- 被辞退了", "yes"], answer="见第一条。Line one.\nLine two: ok # not a comment",
                   valid_until="2030-01-01")
    with writer.folder_lock(folder):
        writer.write_entry(folder, path, content)
    after = path.read_text(encoding="utf-8").splitlines()
    assert after[0] == "# 人社局维护" and after[:10] == before[:10]          # the file header and sscard-lost
    assert after[-14:] == before[-14:]                                     # the entries after it
    again = load_source(folder).by_id()["unemployment"]
    assert writer.as_content(again) == content


def test_a_write_that_breaks_the_folder_is_undone(kb_dirs, write):
    folder, _ = kb_dirs
    write(folder, "other.yml", """\
        department: 本市民政局
        phone: "12349"
        entries:
          - id: other-entry
            question: 问题？
            answer: 答案。电话12349。
            source: 来源
            updated: 2025-01-01
        """)
    text = (folder / "other.yml").read_text(encoding="utf-8")
    entry = load_source(folder).by_id()["marriage"]
    clash = dict(writer.as_content(entry), id="other-entry")        # an id another file already uses
    with pytest.raises(writer.WriteRefused):
        with writer.folder_lock(folder):
            writer.write_entry(folder, folder / "small.yml", clash)
    assert (folder / "other.yml").read_text(encoding="utf-8") == text
    assert len(load_source(folder).entries) == 7
