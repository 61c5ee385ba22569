"""The figures as a Chinese/English table, the JSON report, and the failing conversations."""
from __future__ import annotations

import unicodedata
from typing import Dict, List, Optional

from simulation.metrics import Result

LABELS = {
    "correct_ticket": "正确工单 correct ticket (opened+type+place+phone)",
    "opened": "已开工单 ticket opened",
    "type_right_of_opened": "  类型正确/已开 type right of opened",
    "place_right_of_opened": "  地点正确/已开 place right of opened",
    "phone_right_of_opened": "  电话正确/已开 phone right of opened",
    "false_emergency_referral": "误转紧急 false emergency referral",
    "false_not_accepted_referral": "误判不受理 false not-accepted referral",
    "loop": "同一问题问三次 loop (same question 3x)",
    "turn_limit": "达到轮次上限 turn limit (20)",
    "handoff": "转人工 hand-off to a person",
    "error": "出错 error",
    "danger_check_asked": "问了危险确认 danger check asked",
    "median_turns": "市民轮次中位数 median citizen turns",
    "ticket_type_right": "工单类型正确 ticket type right",
    "ticket_type_right_of_opened": "  类型正确/已开 type right of opened",
    "parse_intent_right": "首句意图正确 /model/parse intent right",
    "recall": "召回 recall",
    "recall_first_reply": "  首轮即转介 in the first reply",
    "any_emergency_referral": "任何紧急转介 any emergency referral",
    "first_number_right": "首个号码正确 first number right",
    "any_not_accepted_referral": "任何不受理转介 any not-accepted referral",
    "answered_or_offered": "答出或推荐 answered or offered (expected entry)",
    "answered": "  直接答出 answered",
    "offered": "  按钮推荐 offered as a button",
}
SECTIONS = [
    ("intake", "诉求登记（全部类型，含长信） intake citizens, all types incl. letters"),
    ("letters", "长信 letters"),
    ("emergencies", "紧急情况 emergency openings"),
    ("innocuous", "含紧急词的普通诉求 innocuous emergency-word messages"),
    ("not_accepted", "不予受理 not-accepted openings"),
    ("kb", "知识库问题 knowledge-base questions"),
]
STYLE_COLUMNS = [("citizens", "n"), ("correct_ticket", "正确工单"), ("opened", "已开单"),
                 ("false_emergency_referral", "误转紧急"), ("false_not_accepted_referral", "误判不受理"),
                 ("loop", "循环"), ("turn_limit", "超轮次"), ("handoff", "转人工"), ("median_turns", "中位轮次")]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _value(figure) -> str:
    if isinstance(figure, dict):
        if figure.get("total") in (0, None):
            return "–"
        return f"{100 * figure['share']:5.1f}%  ({figure['count']}/{figure['total']})"
    return "–" if figure is None else str(figure)


def _short(figure) -> str:
    if isinstance(figure, dict):
        return "–" if not figure.get("total") else f"{100 * figure['share']:.0f}%"
    return "–" if figure is None else str(figure)


def table(metrics: Dict) -> str:
    lines: List[str] = []
    for key, title in SECTIONS:
        section = metrics.get(key)
        if not section:
            continue
        lines.append(f"\n== {title} ==")
        for name, figure in section.items():
            if name in LABELS:
                lines.append(f"  {_pad(LABELS[name], 52)} {_value(figure)}")
            elif not isinstance(figure, dict):
                lines.append(f"  {_pad(name, 52)} {figure}")
    for key, title in (("intake_by_style", "按开场风格 per opening style"), ("intake_by_type", "按诉求类型 per request type")):
        if metrics.get(key):
            lines.append(f"\n== {title} ==")
            lines.append("  " + _pad("", 12) + "".join(_pad(h, 11) for _, h in STYLE_COLUMNS))
            for name, figures in metrics[key].items():
                lines.append("  " + _pad(name, 12) + "".join(_pad(_short(figures.get(c)), 11) for c, _ in STYLE_COLUMNS))
    return "\n".join(lines)


def conversation_record(result: Result) -> Dict:
    c = result.conversation
    citizen = c.citizen
    record = {"group": citizen.group, "index": citizen.index, "style": citizen.style, "sender": c.sender,
              "opening": citizen.opening[:80], "outcome": c.outcome, "turns": c.citizen_turns,
              "failed": result.failed, "why": result.why}
    optional = {"request_type": citizen.request_type, "expected_numbers": citizen.numbers or None,
                "emergency_numbers": c.emergency_numbers or None, "expected_route": citizen.route,
                "route": c.route, "kb_id": citizen.kb_id, "kb_hit": result.kb_hit, "ticket": c.ticket,
                "parse_intent": result.parse_intent, "error": c.error}
    record.update({k: v for k, v in optional.items() if v is not None})
    if result.check:
        record["ticket_check"] = {"correct": result.check.correct, "type_ok": result.check.type_ok,
                                  "place_ok": result.check.place_ok, "phone_ok": result.check.phone_ok,
                                  "stored_type": result.check.stored_type,
                                  "stored_location": result.check.stored_location}
    return record


def failure_text(result: Result) -> str:
    c = result.conversation
    head = (f"### [{c.citizen.group} #{c.citizen.index} {c.citizen.style}] {c.sender}\n"
            f"期望 expected: {_expected(result)}；结果 outcome: {c.outcome}；原因 why: {result.why}")
    if c.error:
        head += f"\n错误 error: {c.error}"
    return head + "\n" + c.transcript() + "\n"


def _expected(result: Result) -> Optional[str]:
    citizen = result.conversation.citizen
    if citizen.numbers:
        return "紧急转介 " + "/".join(citizen.numbers)
    if citizen.route:
        return "不予受理 " + citizen.route
    if citizen.kb_id:
        return "知识库 " + citizen.kb_id
    return "工单 " + str(citizen.request_type)
