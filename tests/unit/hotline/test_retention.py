"""`hotline retention apply`: old call archives and images go, recent ones and evidence in time stay."""
import json
import os
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT
from hotline.cli import main

DAY = 24 * 3600


def aged(path: Path, days: float) -> Path:
    moment = time.time() - days * DAY
    os.utime(path, (moment, moment))
    return path


def call(root: Path, call_id: str, days: float, ended: bool = True) -> Path:
    folder = root / call_id
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"ended_at": "2026-01-01T00:00:00+00:00" if ended else None}))
    (folder / "caller.wav").write_bytes(b"RIFF")
    for path in folder.iterdir():
        aged(path, days)
    return folder


def test_old_calls_and_images_are_deleted_the_rest_kept(tmp_path, capsys):
    calls, media = tmp_path / "calls", tmp_path / "media"
    old, recent, running = call(calls, "old", 400), call(calls, "recent", 10), call(calls, "running", 400, ended=False)
    (calls / "by-ticket").mkdir()
    link = calls / "by-ticket" / "202601010001.json"
    link.write_text(json.dumps({"ticket": "202601010001", "call_id": "old", "path": str(old)}))
    (media / "u1").mkdir(parents=True)
    (media / "tickets").mkdir()
    abandoned = media / "u1" / "1.jpg"
    abandoned.write_bytes(b"x")
    aged(abandoned, 5)
    evidence = media / "u1" / "2.jpg"
    evidence.write_bytes(b"x")
    aged(evidence, 100)
    (media / "tickets" / "202611010001.json").write_text(json.dumps({"attachments": [{"path": str(evidence)}]}))
    # The channels write paths relative to the project root (channels/evidence.py): still attached.
    relative = media / "u1" / "4.mp4"
    relative.write_bytes(b"x")
    aged(relative, 100)
    (media / "tickets" / "202611010002.json").write_text(json.dumps(
        {"attachments": [{"path": os.path.relpath(relative, PROJECT_ROOT)}]}))
    fresh = media / "u1" / "3.jpg"
    fresh.write_bytes(b"x")

    args = ["retention", "apply", "--calls", str(calls), "--media", str(media)]
    assert main(args + ["--dry-run"]) == 0
    assert old.exists() and "将删除" in capsys.readouterr().out
    assert main(args) == 0
    out = capsys.readouterr().out
    assert not old.exists() and not link.exists() and "通话档案 1 个" in out
    assert recent.exists() and running.exists()
    assert not abandoned.exists() and evidence.exists() and fresh.exists() and relative.exists()
