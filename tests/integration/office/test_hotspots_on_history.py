"""Hotspots on an imported history the hotspot code never saw (issue 13's "done when").

A six-month office history from eval/office_history.py (a seed used nowhere else), imported with
`hotline tickets import`'s code into a fresh SQLite database, and `find_hotspots` over the whole
period, scored against the generator's truth file by eval/hotspots_eval.py: the real clusters
(several citizens, one place, one matter, over weeks) come first, and unrelated one-off requests
do not form hotspots. It encodes about 2,500 texts with e5 (a minute or so).
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "eval"))
import hotspots_eval  # noqa: E402

SEED = 11


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_HOTSPOTS_CACHE", str(folder / "cache"))
        return hotspots_eval.run_seed(SEED, 3000, folder)


def test_every_real_cluster_is_found_and_they_come_first(scored):
    assert scored["found"] == scored["planted"]
    # A real cluster split in two (two ways of naming its place) may take two of the first places.
    assert scored["top_k_pure"] >= scored["planted"] - 2, scored["ranking"]


def test_unrelated_one_off_requests_do_not_form_hotspots(scored):
    assert scored["one_offs_grouped"] <= 0.03 * scored["one_offs"]
    assert scored["false_hotspots"] <= scored["planted"]
