"""Staff members and their tokens, from HOTLINE_STAFF_TOKENS_FILE (a path) or HOTLINE_STAFF_TOKENS
(the YAML itself). Format and roles: settings/staff_tokens.example.yml.

Only SHA-256 digests are kept in memory and compared, in constant time, with the digest of the
presented token. The file is read again when it changes, so revoking a token needs no restart.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.settings import SettingsError
from bot.tickets import departments, views

SEAT, OFFICE, HANDLER, READONLY = "seat", "office", "handler", "readonly"
ROLES = (SEAT, OFFICE, HANDLER, READONLY)
ROLE_LABELS = {SEAT: "热线坐席", OFFICE: "热线办", HANDLER: "承办人", READONLY: "只读"}
# How much personal data each role sees (bot/tickets/views.py). The hotline office runs the
# tickets as the seats do (it calls citizens back when it supervises); leaders read masked data.
PRIVACY = {SEAT: views.FULL, OFFICE: views.FULL, HANDLER: views.CONSENTED, READONLY: views.MASKED}
MIN_TOKEN_LENGTH = 20
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
FILE_VARIABLE, VALUE_VARIABLE = "HOTLINE_STAFF_TOKENS_FILE", "HOTLINE_STAFF_TOKENS"


@dataclass(frozen=True)
class StaffMember:
    name: str
    role: str
    department_id: Optional[str] = None
    department_name: Optional[str] = None

    @property
    def actor(self) -> str:
        """How the member appears in a ticket's history."""
        where = f"{self.department_name}/" if self.department_name else ""
        return f"{ROLE_LABELS[self.role]}:{where}{self.name}"

    @property
    def scope(self) -> Optional[str]:
        """The department a handler is bound to; None = every ticket."""
        return self.department_id if self.role == HANDLER else None

    @property
    def privacy(self) -> str:
        return PRIVACY[self.role]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class StaffDirectory:
    def __init__(self, members: List[Tuple[str, StaffMember]]):
        self._members = members          # (token digest, member)

    def __len__(self) -> int:
        return len(self._members)

    def find(self, token: str) -> Optional[StaffMember]:
        presented = digest(token)
        found = None
        for known, member in self._members:    # no early exit: the time does not tell which matched
            if hmac.compare_digest(known, presented):
                found = member
        return found

    @classmethod
    def parse(cls, text: str, source: str) -> "StaffDirectory":
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{source} 不是合法的 YAML：{exc}") from exc
        items = data.get("staff") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise SettingsError(f"{source} 应为 staff: [成员列表]（见 settings/staff_tokens.example.yml）")
        problems: List[str] = []
        members = [m for n, item in enumerate(items, 1) if (m := _member(n, item, problems))]
        digests = [d for d, _ in members]
        if len(set(digests)) != len(digests):
            problems.append("有两个成员使用了同一个令牌")
        if problems:
            raise SettingsError(f"{source}：" + "；".join(problems))
        return cls(members)


def _member(number: int, item: Any, problems: List[str]) -> Optional[Tuple[str, StaffMember]]:
    if not isinstance(item, dict):
        problems.append(f"第{number}个成员应为键值表")
        return None
    label = f"第{number}个成员（{item.get('name', '?')}）"
    before = len(problems)
    name, role = str(item.get("name") or "").strip(), item.get("role")
    if not name:
        problems.append(f"{label}缺少 name")
    if role not in ROLES:
        problems.append(f"{label}的 role 应为 {'、'.join(ROLES)} 之一")
    token_digest = _token_digest(item, label, problems)
    dept = _department(item, role, label, problems)
    if len(problems) > before:
        return None
    return token_digest, StaffMember(name, role, dept.id if dept else None, dept.name if dept else None)


def _token_digest(item: Dict[str, Any], label: str, problems: List[str]) -> str:
    hashed, plain = item.get("token_sha256"), item.get("token")
    if hashed is not None and plain is None and _HEX64.match(str(hashed).lower()):
        return str(hashed).lower()
    if plain is not None and hashed is None and len(str(plain)) >= MIN_TOKEN_LENGTH:
        return digest(str(plain))
    problems.append(f"{label}需要 token_sha256（64位十六进制）或 token（至少{MIN_TOKEN_LENGTH}个字符），二者选一")
    return ""


def _department(item: Dict[str, Any], role: Any, label: str, problems: List[str]):
    ref = item.get("department")
    if role != HANDLER:
        if ref is not None:
            problems.append(f"{label}不是承办人，不应绑定部门")
        return None
    dept = departments.find(str(ref or ""))
    if dept is None:
        problems.append(f"{label}是承办人，department 应为 settings/departments.yml 中的部门 id：{ref!r}")
    return dept


# ------------------------------------------------------------------- loading from the environment

_LOCK = threading.Lock()
_cache: Optional[Tuple[Tuple, StaffDirectory]] = None


def _source_key() -> Tuple:
    path = os.environ.get(FILE_VARIABLE, "").strip()
    if path:
        try:
            return ("file", path, os.stat(path).st_mtime_ns)
        except OSError:
            return ("file", path, None)
    return ("env", os.environ.get(VALUE_VARIABLE, ""))


def directory_from_environment() -> StaffDirectory:
    """The configured staff; SettingsError when nothing is configured or the file is wrong."""
    global _cache
    key = _source_key()
    with _LOCK:
        if _cache is not None and _cache[0] == key:
            return _cache[1]
        directory = _load(key)
        _cache = (key, directory)
        return directory


def _load(key: Tuple) -> StaffDirectory:
    if key[0] == "file":
        if key[2] is None:
            raise SettingsError(f"{FILE_VARIABLE} 指向的文件不存在或不可读：{key[1]}")
        return StaffDirectory.parse(Path(key[1]).read_text(encoding="utf-8"), key[1])
    if not key[1].strip():
        raise SettingsError(f"没有配置员工令牌：请设置 {FILE_VARIABLE}（令牌文件路径）或 {VALUE_VARIABLE}")
    return StaffDirectory.parse(key[1], VALUE_VARIABLE)
