"""What the assistant says from its actions: the sentences of settings/wording.yml, filled in.

    say("ticket_opened", type="投诉", number="202612060001", deadline=date(2026, 12, 18), limit=10)

A city rewords its assistant by editing the file, not the code. Dates are written the Chinese way
(2026年12月18日). A missing sentence or value is a SettingsError naming it, at the first use.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Dict

from bot.settings import SettingsError, load_yaml


@lru_cache(maxsize=1)
def _sentences() -> Dict[str, str]:
    return {str(k): str(v) for k, v in load_yaml("wording.yml").items()}


def _shown(value: Any) -> Any:
    return f"{value:%Y年%m月%d日}" if isinstance(value, (dt.date, dt.datetime)) else value


def say(key: str, **values: Any) -> str:
    try:
        sentence = _sentences()[key]
    except KeyError:
        raise SettingsError(f"settings/wording.yml 缺少 {key}") from None
    try:
        return sentence.format(**{k: _shown(v) for k, v in values.items()})
    except KeyError as exc:
        raise SettingsError(f"settings/wording.yml 的 {key} 需要 {exc}") from None
