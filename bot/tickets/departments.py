"""Which departments tickets may be dispatched to: the routing catalogue (settings/departments.yml).

The catalogue is read again when its file changes, so a department added by an operator can be
dispatched to without restarting the web server.
"""
from __future__ import annotations

import os
import threading
from typing import Optional, Tuple

from bot.routing import Catalogue, Department, load_catalogue
from bot.routing.catalogue import catalogue_path
from bot.tickets.errors import TicketError

_LOCK = threading.Lock()
_cached: Optional[Tuple[Tuple[str, int], Catalogue]] = None


def catalogue() -> Catalogue:
    global _cached
    path = catalogue_path()
    try:
        key = (str(path), os.stat(path).st_mtime_ns)
    except OSError:
        key = (str(path), -1)
    with _LOCK:
        if _cached is None or _cached[0] != key:
            _cached = (key, load_catalogue(path))
        return _cached[1]


def find(reference: str) -> Optional[Department]:
    """A department by its id (chengguan) or its exact name (市城市管理局)."""
    reference = (reference or "").strip()
    return next((d for d in catalogue().departments if reference in (d.id, d.name)), None)


def resolve(reference: str) -> Department:
    if not (reference or "").strip():
        raise TicketError("请指定承办部门（部门目录中的 id 或名称）")
    department = find(reference)
    if department is None:
        raise TicketError(f"部门目录中没有“{reference}”，请使用 settings/departments.yml 中的部门 id 或名称")
    return department
