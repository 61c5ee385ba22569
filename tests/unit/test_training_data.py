"""The training data and domain are consistent (rasa data validate) and big enough."""
import os
import subprocess
from collections import Counter
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from hotline.stack import RASA_BIN

MAIN_INTENTS = ["consult", "seek_help", "complain", "report", "suggest", "emergency_police", "emergency_fire",
                "emergency_medical", "emergency_traffic", "not_accepted_litigation", "not_accepted_petition",
                "not_accepted_discipline", "not_accepted_other_organs", "not_accepted_info_disclosure",
                "not_accepted_secrets", "not_accepted_jurisdiction", "not_accepted_unlawful"]


def examples(folder: Path) -> Counter:
    counts = Counter()
    for path in folder.rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            counts[block["intent"]] += sum(1 for line in block["examples"].splitlines() if line.strip().startswith("- "))
    return counts


def test_rasa_data_validate_passes():
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run([str(RASA_BIN), "data", "validate", "--data", "nlu_data", "--domain", "domain.yml",
                             "--config", "config.yml"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_request_type_emergency_and_route_has_at_least_80_examples():
    counts = examples(PROJECT_ROOT / "nlu_data")
    assert {intent: counts[intent] for intent in MAIN_INTENTS if counts[intent] < 80} == {}


def test_held_out_examples_never_appear_in_training():
    def texts(folder_or_file: Path):
        paths = [folder_or_file] if folder_or_file.is_file() else list(folder_or_file.rglob("*.yml"))
        found = set()
        for path in paths:
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
                found |= {line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")}
        return found
    assert texts(PROJECT_ROOT / "nlu_data") & texts(PROJECT_ROOT / "eval" / "nlu_heldout.yml") == set()
