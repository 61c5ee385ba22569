"""Why a conversation went to a person: the codes stored in the queue and their words."""
from __future__ import annotations

from typing import Any, Mapping, Optional

REQUESTED = "requested"          # 转人工 / 人工 / 找客服 / 0 on the phone
MISUNDERSTOOD = "misunderstood"  # two misunderstandings in a row
DISTRESS = "distress"
ANGER = "anger"
MATTER = "matter"                # a matter configured as needing a person

LABELS = {
    REQUESTED: "市民要求转人工",
    MISUNDERSTOOD: "助手连续两次没听懂",
    DISTRESS: "市民情绪低落，可能有危机",
    ANGER: "市民情绪激动",
    MATTER: "需人工处理的事项",
}

# Said by ActionClarify the second time it does not understand, before the hand-off.
MISUNDERSTOOD_NOTICE = "抱歉，我还是没能理解您的意思，正在为您转人工客服。"

# What the citizen is told before the queue position, by reason.
OPENINGS = {
    REQUESTED: "好的。",
    MISUNDERSTOOD: "",   # ActionClarify has said MISUNDERSTOOD_NOTICE already
    DISTRESS: "听起来您现在很难受，我马上请人工客服来陪您说说。",
    ANGER: "非常抱歉给您带来不好的体验，我马上为您转人工客服。",
    MATTER: "您反映的事情需要人工客服处理，马上为您转接。",
}


def label(reason: str, detail: Optional[Mapping[str, Any]] = None) -> str:
    text = LABELS.get(reason, reason)
    matter = (detail or {}).get("matter")
    return f"{text}：{matter}" if reason == MATTER and matter else text


def opening(reason: str) -> str:
    return OPENINGS.get(reason, OPENINGS[REQUESTED])
