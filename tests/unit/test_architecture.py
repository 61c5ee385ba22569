"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) are kept."""
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_are_kept():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and "KEPT" in result.stdout


def test_no_channel_reads_the_assistants_prose():
    """Channels act on events (bot/channel_events.py): no pattern in a channel matches the
    assistant's sentences about tickets, transfers or cancellations, and the old readers are gone."""
    import re
    channels = PROJECT_ROOT / "channels"
    sources = {p: p.read_text(encoding="utf-8") for p in channels.rglob("*.py")}
    patterns = [m for text in sources.values() for m in re.findall(r"re\.compile\((.*)\)", text)]
    for words in ("工单编号", "已为您登记", "请立即拨打", "已取消", "转接人工"):
        assert not any(words in pattern for pattern in patterns), words
    for old_reader in ("OPENED_TICKET", "CANCELLED_DRAFT", "_REPLY_EMERGENCY", "ticket_numbers(", "handoff_message"):
        assert not any(old_reader in text for text in sources.values()), old_reader
