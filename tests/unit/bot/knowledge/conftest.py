"""Fixtures for the knowledge-base tests: small source folders and settings in tmp_path."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.knowledge.settings import load_settings
from bot.settings import PROJECT_ROOT

ROOT = PROJECT_ROOT

SMALL_KB = """\
department: 本市人力资源和社会保障局
phone: "12333"
entries:
  - id: sscard-lost
    question: 社保卡丢了怎么补办？
    alternatives: [社会保障卡遗失补领, 社保卡被偷了怎么办]
    answer: 先打12333挂失，再带身份证到社保卡服务网点补办。咨询电话：本市人力资源和社会保障局12333。
    source: 《社会保障卡管理办法》
    updated: 2025-03-01
  - id: unemployment
    question: 失业了怎么领失业金？
    alternatives: [失业保险金申领, 被辞退了能领失业保险吗]
    answer: 在掌上12333或就业窗口申领失业保险金。咨询电话：本市人力资源和社会保障局12333。
    source: 《失业保险条例》
    updated: 2025-03-01
  - id: passport
    question: 第一次办护照去哪里办？
    alternatives: [护照申请, 出国要办护照]
    answer: 带身份证到出入境接待大厅办理。咨询电话：12367。
    department: 本市公安局出入境管理部门
    phone: "12367"
    source: 国家移民管理局
    updated: 2025-03-01
  - id: marriage
    question: 结婚登记要带什么？
    alternatives: [领结婚证, 办结婚证需要什么材料]
    answer: 双方带身份证和合影照片到婚姻登记处办理。咨询电话：本市民政局12349。
    department: 本市民政局
    phone: "12349"
    source: 《婚姻登记条例》
    updated: 2025-03-01
  - id: waste-sorting
    question: 垃圾分类分哪几类？
    alternatives: [生活垃圾怎么分, 垃圾分几种]
    answer: 可回收物、有害垃圾、厨余垃圾、其他垃圾。咨询电话：12345。
    department: 本市城市管理局
    phone: "12345"
    source: 本市生活垃圾管理条例
    updated: 2025-03-01
  - id: hpf-rent
    question: 租房能提取住房公积金吗？
    alternatives: [租房提取公积金, 公积金付房租]
    answer: 无房租房的职工可以在公积金APP申请租房提取。咨询电话：本市住房公积金管理中心12329。
    department: 本市住房公积金管理中心
    phone: "12329"
    source: 《住房公积金管理条例》
    updated: 2025-03-01
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def write():
    """write(folder, name, yaml_text) -> path: a source file, dedented, UTF-8."""
    return _write


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Tests must not depend on the operator's HOTLINE_KB_* variables."""
    import os
    for var in list(os.environ):
        if var.startswith("HOTLINE_KB_"):
            monkeypatch.delenv(var)


@pytest.fixture
def kb_dirs(tmp_path) -> tuple[Path, Path]:
    source, index = tmp_path / "knowledge", tmp_path / "kb_embeddings"
    _write(source, "small.yml", SMALL_KB)
    return source, index


@pytest.fixture
def make_settings(kb_dirs, tmp_path):
    """Settings from the real settings file (default encoder, thresholds) but tmp folders."""
    source, index = kb_dirs

    def make(**overrides):
        values = {"source_dir": source, "index_dir": index, **overrides}
        return load_settings(**values)
    return make
