"""How the seat console's quick-answer cutoff (settings/seats.yml console.kb_min_score) was chosen.

Quick answers show a seat the knowledge-base entries for the citizen's question. A hit below the
cutoff is not shown: a seat with thirty people waiting should not read lookalikes. This script
runs realistic colloquial questions citizens put to seats — some the knowledge base answers (with
the entry that answers them), some it does not — through the same search the console uses, and
prints, for each cutoff, how many answerable questions still show their entry first and how many
unanswerable ones show nothing.

    .venv/bin/python eval/seat_quick_answers.py          # needs the index (hotline kb build)
"""
from __future__ import annotations

from typing import List, Optional, Tuple

# (what a citizen typed or said to a seat, the entry id that answers it or None)
EXAMPLES: List[Tuple[str, Optional[str]]] = [
    ("另外问一下，社保卡丢了怎么挂失？", "sscard-lost-replace"),
    ("我社保卡被偷了咋办啊", "sscard-lost-replace"),
    ("新拿的社保卡要去银行激活吗", "sscard-activate"),
    ("身份证过几天就到期了，在哪换？", "id-card-renew"),
    ("驾照丢了怎么补", "driving-licence-lost"),
    ("孩子明年上小学，啥时候报名？", "primary-school-enrolment"),
    ("租房子能提公积金吗，能提多少？", "hpf-rent-withdrawal"),
    ("暖气不热找谁？", "heating-not-warm"),
    ("单位三个月没发工资了，去哪投诉？", "wage-arrears-complaint"),
    ("家里停电了，找谁来修？", "power-repair"),
    ("出租车司机绕路了，怎么投诉？", "taxi-complaint"),
    ("打了12345多久能回复我？", "hotline-12345-time-limit"),
    ("工地晚上还在施工，噪音太大找谁？", "construction-noise"),
    ("物业乱收停车费去哪反映？", "property-management-complaint"),
    ("超市卖的鸡蛋是臭的，能退吗？", "consumer-complaint"),
    # Nothing in the knowledge base answers these.
    ("我家门口的井盖丢了谁负责？", None),
    ("你们几点下班啊？", None),
    ("小区门口的共享单车堆成山了怎么办？", None),
    ("请问我的快递被人拿走了怎么办？", None),
    ("楼上天天往下扔烟头，能不能管管？", None),
    ("我家狗丢了，能帮忙找吗？", None),
    ("学校门口的红绿灯坏了几天了，有人修吗？", None),
]
CUTOFFS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)


def main() -> None:
    from bot.knowledge.service import KnowledgeBase
    kb = KnowledgeBase.open()
    rows = []
    for text, expected in EXAMPLES:
        hits = kb.search(text, k=5)
        top = hits[0] if hits else None
        rows.append((text, expected, top.id if top else None, top.score if top else 0.0))
        print(f"{(top.score if top else 0):.3f}  {top.id if top else '-':28s} {'(无)' if expected is None else expected:24s} {text}")
    print()
    for cutoff in CUTOFFS:
        shown = [r for r in rows if r[3] >= cutoff]
        right = sum(1 for r in shown if r[1] is not None and r[2] == r[1])
        wrong = sum(1 for r in shown if r[1] is None or r[2] != r[1])
        answerable = sum(1 for r in rows if r[1] is not None)
        silent = sum(1 for r in rows if r[1] is None and r[3] < cutoff)
        print(f"cutoff {cutoff:.2f}: right entry shown {right}/{answerable}, wrong or lookalike shown {wrong}, "
              f"nothing shown for {silent}/{len(rows) - answerable} unanswerable")


if __name__ == "__main__":
    main()
