"""`hotline kb ...`: the JSON shape of search, stdin mode, build output, error exit codes."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from bot.knowledge.cli import main


KEYS = {"id", "question", "answer", "department", "score"}


@pytest.fixture
def env(kb_dirs, monkeypatch):
    source_dir, index_dir = kb_dirs
    monkeypatch.setenv("HOTLINE_KB_SOURCE_DIR", str(source_dir))
    monkeypatch.setenv("HOTLINE_KB_INDEX_DIR", str(index_dir))
    return {**os.environ}


def test_build_reports_progress_and_summary(env, capsys):
    assert main(["kb", "build"]) == 0
    out, err = capsys.readouterr()
    assert "已编码" in err and "新增 6" in out
    assert main(["kb", "build"]) == 0
    assert "未变 6" in capsys.readouterr().out


def test_search_json_shape_best_first(env, capsys):
    assert main(["kb", "search", "社保卡掉了", "--json", "-k", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert isinstance(result, list) and len(result) == 2
    assert all(set(item) == KEYS for item in result)
    assert result[0]["id"] == "sscard-lost" and result[0]["score"] >= result[1]["score"]


def test_search_dash_reads_one_question_a_line(env, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("护照在哪里办\n\n垃圾怎么分类\n"))
    assert main(["kb", "search", "-", "--json", "-k", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    first, blank, third = (json.loads(line) for line in lines)
    assert first[0]["id"] == "passport" and blank == [] and third[0]["id"] == "waste-sorting"
    assert all(set(item) == KEYS for item in first + third)


def test_plain_search_shows_department_and_phone(env, capsys):
    assert main(["kb", "search", "结婚证怎么领"]) == 0
    out = capsys.readouterr().out
    assert "marriage" in out and "本市民政局" in out and "12349" in out


def test_refused_stale_index_exits_nonzero_with_chinese_message(env, kb_dirs, capsys, monkeypatch):
    source_dir, _ = kb_dirs
    assert main(["kb", "build"]) == 0
    (source_dir / "small.yml").write_text((source_dir / "small.yml").read_text(encoding="utf-8") + "\n# edited\n",
                                          encoding="utf-8")
    monkeypatch.setenv("HOTLINE_KB_ON_STALE", "refuse")
    with pytest.raises(SystemExit) as exit_:
        main(["kb", "search", "护照"])
    assert exit_.value.code == 2
    assert "拒绝使用" in capsys.readouterr().err
    main(["kb", "stats"])
    assert "已过期" in capsys.readouterr().out


def test_python_dash_m_stdin_mode(env, project_root):
    """The real command line, as a pipeline would run it."""
    proc = subprocess.run([sys.executable, "-m", "bot.knowledge.cli", "kb", "search", "-", "--json"],
                          input="公积金能交房租吗\n失业金咋领\n", capture_output=True, text=True,
                          cwd=project_root, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lists = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [items[0]["id"] for items in lists] == ["hpf-rent", "unemployment"]


def test_build_with_a_bad_entry_keeps_the_previous_index(env, kb_dirs, capsys):
    source_dir, index_dir = kb_dirs
    assert main(["kb", "build"]) == 0
    manifest = (index_dir / "manifest.json").read_bytes()
    path = source_dir / "small.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    updated: 2025-03-01\n", "    updated: 明天\n", 1),
                    encoding="utf-8")
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["kb", "build"])
    assert exit_.value.code == 2
    assert "small.yml:9" in capsys.readouterr().err
    assert (index_dir / "manifest.json").read_bytes() == manifest
