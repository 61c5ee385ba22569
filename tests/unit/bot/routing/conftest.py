"""Fixtures for the router: a small catalogue written to a temporary folder, and the real one."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.routing import load_router

SMALL = {
    "router": {"training_files": [], "temperature": 0.05, "abstain_below": 0.5},
    "departments": [
        {"id": "reli", "name": "热力公司", "duties": ["供暖质量：暖气不热"], "keywords": ["暖气", "供暖"]},
        {"id": "gongdian", "name": "供电公司", "hotline": "95598", "duties": ["停电抢修、电费"], "keywords": ["停电", "电费"]},
    ],
    "territory": [
        {"id": "d1", "name": "东区", "office": "东区人民政府", "places": ["东湖"], "streets": [
            {"id": "s1", "name": "甲街道", "office": "甲街道办事处", "places": ["鼓楼"]},
            {"id": "s2", "name": "乙街道", "office": "乙街道办事处", "places": ["鼓楼巷"]},
        ]},
    ],
}


def write_catalogue(folder: Path, data: dict, name: str = "departments.yml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def small_catalogue(tmp_path) -> Path:
    return write_catalogue(tmp_path, SMALL)


@pytest.fixture(scope="session")
def router():
    """The shipped catalogue and training file, as the dialogue uses them."""
    return load_router()
