"""Repeated requests (seed 003 §11(6)): the same person raising the same matter while their ticket is
open is pointed to that ticket; another matter, another person or a closed ticket is not."""
from pathlib import Path

import pytest
import yaml

from bot.tickets import duplicates
from tests.support.tickets import HANDLER, SEAT, draft, open_ticket

PAIRS = yaml.safe_load((Path(__file__).parent / "data" / "duplicate_pairs.yml").read_text(encoding="utf-8"))


def judged_same(pairs, settings):
    measure, threshold = duplicates.text_measure(settings)
    return [duplicates.is_same_matter(duplicates.Match(None, measure.cosine(a, b), None), threshold, 1.0)
            for a, b in pairs]


def test_retold_matters_are_recognised_and_different_ones_are_never_merged():
    settings = duplicates.duplicate_settings()
    assert settings.text_measure == "use"
    same, different = judged_same(PAIRS["same"], settings), judged_same(PAIRS["different"], settings)
    # Merging two different matters would hide a new request: never. Missing a retelling only
    # opens one ticket too many: rare.
    assert not any(different)
    assert sum(same) / len(same) >= 0.8, f"{sum(same)} of {len(same)} retold matters recognised"


def test_the_character_ngram_fallback_still_tells_the_obvious_cases():
    settings = duplicates.DuplicateSettings("tfidf", {"tfidf": 0.3}, 0.5)
    measure, threshold = duplicates.text_measure(settings)
    assert measure.cosine("楼下烧烤摊每天吵到半夜两点", "楼下烧烤摊每天吵到半夜两点，还是没人管") >= threshold
    assert measure.cosine("楼下烧烤摊每天吵到半夜两点", "小区门口的路灯坏了") < threshold


def test_the_same_person_by_chat_user_or_by_phone_gets_the_open_ticket(store):
    number = open_ticket(store)
    retold = draft(text="楼下那个烧烤摊天天晚上吵，到两点都不停", facts={"location": "和平区人民路88号"})
    assert duplicates.find_duplicate(store, retold, "new-key").ticket.number == number
    by_phone = draft(text=retold.text, sender_id="wechat:o-123", facts=retold.facts)
    assert duplicates.find_duplicate(store, by_phone, "new-key").ticket.number == number


@pytest.mark.parametrize("changes", [
    {"sender_id": "web-user-2", "contact_phone": "13900001111"},          # another person
    {"text": "小区门口的路灯坏了好几天了，晚上黑乎乎的"},                     # another matter
    {"request_type": "report"},                                            # another kind of request
    {"facts": {"location": "中山区解放路12号"}},                            # another place
])
def test_anything_else_is_a_new_request(store, changes):
    open_ticket(store)
    values = dict(text="楼下那个烧烤摊天天晚上吵，到两点都不停")
    values.update(changes)
    assert duplicates.find_duplicate(store, draft(**values), "new-key") is None


def test_a_closed_ticket_and_a_retried_confirmation_are_not_duplicates(store, workflow):
    number = open_ticket(store)
    assert duplicates.find_duplicate(store, draft(), "k-1") is None      # the draft's own ticket
    workflow.dispatch(number, "chengguan", SEAT)
    workflow.reply(number, "已处理", HANDLER, scope="chengguan")
    workflow.close(number, SEAT)
    assert duplicates.find_duplicate(store, draft(), "new-key") is None


def test_a_follow_up_is_linked_both_ways(store):
    original = open_ticket(store)
    follow_up = store.open_ticket(draft(text="烧烤摊现在还往下水道倒油", follow_up_of=original),
                                  request_key="k-2").number
    assert store.get(follow_up).follow_up_of.number == original
    assert store.get(original).events[-1].action == "follow_up"
    assert store.get(original).events[-1].detail == {"number": follow_up}
