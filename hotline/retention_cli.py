"""`hotline retention apply`: delete personal data older than settings/retention.yml allows.

    hotline retention apply [--dry-run] [--calls DIR] [--media DIR]

- call archives (channels/voice/archive.py layout): var/calls/<call-id>/ whose call ended (or,
  unfinished, whose folder was last written) more than call_archives_days ago, with the
  by-ticket links that point to them;
- WeChat images (channels/wechat/media.py layout): images of var/wechat_media/<user>/ not listed
  by any ticket after unattached_media_days, those listed after ticket_media_days (with the list);
- Rasa's trackers expire in Redis by themselves (hotline/stack.py sets record_exp from
  conversations_days); nothing to do here.
Prints what it deletes (paths only: no names or numbers), and a total.
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Set

from bot.settings import PROJECT_ROOT, load_yaml, project_path

DAY = 24 * 3600


@dataclass(frozen=True)
class Retention:
    conversations_days: int = 30
    call_archives_days: int = 180
    unattached_media_days: int = 3
    ticket_media_days: int = 730

    @classmethod
    def load(cls) -> "Retention":
        raw = load_yaml("retention.yml")
        return cls(**{k: int(raw[k]) for k in cls.__dataclass_fields__ if k in raw})


def _age_days(path: Path, now: float) -> float:
    return (now - path.stat().st_mtime) / DAY


def expired_calls(root: Path, days: int, now: float) -> List[Path]:
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "by-ticket"):
        meta = folder / "meta.json"
        newest = max((p.stat().st_mtime for p in folder.iterdir()), default=folder.stat().st_mtime)
        if (now - newest) / DAY > days and (not meta.exists() or _finished(meta)):
            found.append(folder)
    return found


def _finished(meta: Path) -> bool:
    try:
        return bool(json.loads(meta.read_text(encoding="utf-8")).get("ended_at"))
    except ValueError:
        return True          # an unreadable meta file of an old folder: nothing to keep it for


def links_to(root: Path, folders: Iterable[Path]) -> List[Path]:
    index = root / "by-ticket"
    gone: Set[str] = {str(f) for f in folders}
    links = []
    for link in sorted(index.glob("*.json")) if index.is_dir() else []:
        try:
            if json.loads(link.read_text(encoding="utf-8")).get("path") in gone:
                links.append(link)
        except ValueError:
            continue
    return links


def expired_media(root: Path, retention: Retention, now: float) -> List[Path]:
    if not root.is_dir():
        return []
    attached: Set[str] = set()
    lists = sorted((root / "tickets").glob("*.json")) if (root / "tickets").is_dir() else []
    found = []
    for listing in lists:
        # The channels store paths relative to the project (channels/evidence.py): compare them as
        # absolute paths, or every attached photo would look unattached and go after a few days.
        paths = [project_path(a.get("path")) for a in _attachments(listing)]
        attached.update(str(p.resolve()) for p in paths if p)
        if _age_days(listing, now) > retention.ticket_media_days:
            found += [p for p in paths if p and p.exists()] + [listing]
    for image in sorted(p for p in root.glob("*/*") if p.is_file() and p.parent.name != "tickets"):
        if str(image.resolve()) not in attached and _age_days(image, now) > retention.unattached_media_days:
            found.append(image)
    return found


def _attachments(listing: Path) -> list:
    try:
        return list(json.loads(listing.read_text(encoding="utf-8")).get("attachments") or [])
    except ValueError:
        return []


def _delete(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def apply(args: argparse.Namespace) -> int:
    retention, now = Retention.load(), time.time()
    calls, media = Path(args.calls), Path(args.media)
    old_calls = expired_calls(calls, retention.call_archives_days, now)
    doomed = old_calls + links_to(calls, old_calls) + expired_media(media, retention, now)
    verb = "将删除" if args.dry_run else "删除"
    for path in doomed:
        print(f"{verb} {path}")
        if not args.dry_run:
            _delete(path)
    print(f"共{verb} {len(doomed)} 项（通话档案 {len(old_calls)} 个；保留期限见 settings/retention.yml）")
    return 0


def add_retention_commands(commands) -> None:
    retention = commands.add_parser("retention", help="按保留期限删除过期的通话档案和图片")
    sub = retention.add_subparsers(dest="retention_command", required=True)
    run = sub.add_parser("apply", help="删除超过保留期限的数据（--dry-run 只列出）")
    run.add_argument("--dry-run", action="store_true", help="只列出，不删除")
    run.add_argument("--calls", default=str(PROJECT_ROOT / "var" / "calls"), help="通话档案目录（VOICE_ARCHIVE_DIR）")
    run.add_argument("--media", default=str(PROJECT_ROOT / "var" / "wechat_media"), help="微信图片目录（WECHAT_MEDIA_DIR）")
    run.set_defaults(func=apply)
