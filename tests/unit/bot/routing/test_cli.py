"""`hotline route` as an operator or a script uses it."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.routing.cli import main

ROOT = PROJECT_ROOT


def test_json_output_has_the_documented_shape(capsys):
    assert main(["route", "解放路上的红绿灯坏了", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"department", "confidence", "runner_up", "candidates", "co_handlers", "abstain", "why"} <= set(data)
    assert data["department"]["name"] == "市公安局"
    assert data["runner_up"]["id"] != data["department"]["id"]
    assert data["territory"]["office"] == "解放街道办事处"


def test_no_place_gives_a_null_territory(capsys):
    main(["route", "公积金贷款最多能贷多少", "--json"])
    assert json.loads(capsys.readouterr().out)["territory"] is None


def test_readable_output_for_a_dispatcher(capsys):
    assert main(["route", "翡翠湾小区停水一整天了"]) == 0
    out = capsys.readouterr().out
    assert "建议牵头：供水公司" in out and "其他候选：" in out and "属地：滨江区 滨江街道办事处" in out
    assert "依据职责：" in out and "相似诉求（" in out


def test_stdin_mode_prints_one_json_object_per_line_in_order(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("暖气不热\n\n停电了\n  \n"))
    assert main(["route", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    objects = [json.loads(line) for line in lines]
    assert objects[0]["department"]["id"] == "reli"
    assert objects[1] == {"error": "第2行：诉求内容为空，无法派单。请提供诉求文字。"}
    assert objects[2]["department"]["id"] == "gongdian"
    assert "error" in objects[3]


def test_an_empty_request_gets_a_clear_message_not_a_traceback(capsys):
    assert main(["route", "   "]) == 1
    assert "诉求内容为空" in capsys.readouterr().out
    assert main(["route", "", "--json"]) == 1
    assert "error" in json.loads(capsys.readouterr().out)


def test_missing_text_explains_how_to_call(capsys):
    assert main(["route"]) == 1
    assert "请提供诉求文本" in capsys.readouterr().err


def test_a_broken_catalogue_is_reported_with_exit_code_2(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "departments.yml"
    bad.write_text("departments:\n  - id: x\n    duties: [y]\n", encoding="utf-8")
    monkeypatch.setenv("HOTLINE_DEPARTMENTS_FILE", str(bad))
    assert main(["route", "暖气不热"]) == 2
    assert "缺少 name（部门名称）" in capsys.readouterr().err


def test_check_summarises_the_catalogue(capsys):
    assert main(["route", "--check"]) == 0
    assert "部门目录校验通过" in capsys.readouterr().out


def _run(module: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", module, *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)


def test_stdin_mode_as_a_real_process():
    result = _run("bot.routing.cli", "route", "-", stdin="社保卡丢了\n钢城小区的路灯不亮\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["department"]["id"] == "renshe" and first["territory"] is None
    assert second["territory"]["id"] == "beicheng/gangcheng"


def test_hotline_route_through_the_operator_command():
    result = _run("hotline.cli", "route", "人民路停水了", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["territory"]["office"] == "人民街道办事处"
