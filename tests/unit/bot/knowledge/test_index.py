"""Index build, paraphrase search, stale detection, incremental updates with stable ids."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bot.knowledge import KnowledgeBase, StaleIndexError, build_index, load_source
from bot.knowledge.encoders import Encoder, make_encoder
from bot.knowledge.index import MANIFEST_FILE, INDEX_FILE, KnowledgeIndex, build


VIEWS = ("question", "alternatives", "question_answer")


class CountingEncoder(Encoder):
    """The USE encoder, counting the texts it is asked to encode."""

    def __init__(self):
        self._inner = make_encoder("use")
        self.name, self.dim, self.encoded = self._inner.name, self._inner.dim, 0

    def encode(self, texts, kind="query"):
        self.encoded += len(texts)
        return self._inner.encode(texts, kind)


def test_default_encoder_finds_entries_from_paraphrases(make_settings):
    kb = KnowledgeBase.open(make_settings())
    cases = {
        "我的社保卡找不着了咋整": "sscard-lost",
        "公司把我裁了，失业补助怎么拿": "unemployment",
        "想出国旅游，护照在哪弄": "passport",
        "我们俩下个月去领证，得带啥": "marriage",
        "租的房子，公积金能取出来交房租吗": "hpf-rent",
    }
    for question, expected in cases.items():
        hits = kb.search(question, k=3)
        assert hits[0].id == expected, (question, [(h.id, h.score) for h in hits])
        assert hits[0].department and hits[0].phone and hits[0].answer
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_changed_sources_make_the_index_stale_and_it_is_never_served(make_settings, kb_dirs):
    source_dir, _ = kb_dirs
    build_index(make_settings())
    path = source_dir / "small.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("先打12333挂失", "先挂失"), encoding="utf-8")

    with pytest.raises(StaleIndexError) as err:
        KnowledgeBase.open(make_settings(on_stale="refuse"))
    assert "kb build" in str(err.value) and "源文件" in str(err.value)

    kb = KnowledgeBase.open(make_settings(on_stale="rebuild"))  # updates, then serves new text
    assert kb.search("社保卡丢了", k=1)[0].answer.startswith("先挂失")


def test_index_from_another_encoder_is_refused(make_settings):
    build_index(make_settings(encoder="use"))
    with pytest.raises(StaleIndexError) as err:
        KnowledgeBase.open(make_settings(encoder="e5", on_stale="refuse"))
    assert "encoder mismatch" in str(err.value)


def test_half_written_index_is_detected(make_settings, kb_dirs):
    _, index_dir = kb_dirs
    build_index(make_settings(encoder="use"))
    (index_dir / INDEX_FILE).write_bytes(b"not a faiss index")
    with pytest.raises(StaleIndexError):
        KnowledgeBase.open(make_settings(encoder="use", on_stale="refuse"))


def test_add_change_remove_touch_only_those_entries_and_ids_stay_stable(kb_dirs, write):
    source_dir, index_dir = kb_dirs
    encoder = CountingEncoder()
    index, report = build(load_source(source_dir), encoder, index_dir, VIEWS)
    assert report.full and len(report.added) == 6
    nums = {eid: rec.num for eid, rec in index.manifest.entries.items()}

    # add one entry: only its texts (question, 1 alternative, question+answer) are encoded
    write(source_dir, "extra.yml", """\
        entries:
          - id: id-card
            question: 身份证丢了怎么补？
            alternatives: [身份证遗失补领]
            answer: 到派出所补领。电话12345。
            department: 本市公安局
            phone: "12345"
            source: 《居民身份证法》
            updated: 2025-03-01
        """)
    encoder.encoded = 0
    index, report = build(load_source(source_dir), encoder, index_dir, VIEWS)
    assert (report.added, report.changed, report.removed, report.unchanged, report.full) == (("id-card",), (), (), 6, False)
    assert encoder.encoded == 3
    assert {e: index.manifest.entries[e].num for e in nums} == nums

    # change one entry's wording: only that entry is re-encoded, the others keep their ids
    small = source_dir / "small.yml"
    small.write_text(small.read_text(encoding="utf-8").replace("生活垃圾怎么分", "扔垃圾要分类吗"), encoding="utf-8")
    encoder.encoded = 0
    index, report = build(load_source(source_dir), encoder, index_dir, VIEWS)
    assert report.changed == ("waste-sorting",) and encoder.encoded == 4
    assert index.manifest.entries["sscard-lost"].num == nums["sscard-lost"]

    # remove one entry: its vectors go, nothing is encoded, nobody else's id moves
    before = index.faiss.ntotal
    (source_dir / "extra.yml").unlink()
    encoder.encoded = 0
    index, report = build(load_source(source_dir), encoder, index_dir, VIEWS)
    assert report.removed == ("id-card",) and encoder.encoded == 0
    assert index.faiss.ntotal == before - 3
    assert {e: index.manifest.entries[e].num for e in nums} == nums
    query = encoder.encode(["身份证丢了怎么补"])
    assert "id-card" not in [eid for eid, _ in index.search_vectors(query, k=7)[0]]

    # the on-disk manifest says the same and matches the sources
    manifest = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert set(manifest["entries"]) == set(nums) and manifest["source_checksum"] == load_source(source_dir).checksum


def test_search_returns_k_distinct_entries_best_first(kb_dirs):
    source_dir, index_dir = kb_dirs
    encoder = make_encoder("use")
    index, _ = build(load_source(source_dir), encoder, index_dir, VIEWS)
    ranked = index.search_vectors(encoder.encode(["社保卡丢了"]), k=6, answer_weight=0.3)[0]
    ids = [eid for eid, _ in ranked]
    assert len(ids) == 6 == len(set(ids)) and ids[0] == "sscard-lost"
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= s <= 1.0 for s in scores)


def test_reloaded_index_gives_identical_results(kb_dirs):
    source_dir, index_dir = kb_dirs
    encoder = make_encoder("use")
    index, _ = build(load_source(source_dir), encoder, index_dir, VIEWS)
    query = encoder.encode(["护照怎么办", "垃圾怎么分"])
    again = KnowledgeIndex.load(index_dir, encoder, VIEWS)
    first, second = index.search_vectors(query, 3, 0.3), again.search_vectors(query, 3, 0.3)
    assert [[e for e, _ in r] for r in first] == [[e for e, _ in r] for r in second]
    assert np.allclose([[s for _, s in r] for r in first], [[s for _, s in r] for r in second])
