"""From finished conversations to the figures: one function per group of citizens."""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from simulation import dialogue
from simulation.checks import TicketCheck
from simulation.dialogue import Conversation


@dataclass
class Result:
    """A finished conversation with what the simulator found out about it."""
    conversation: Conversation
    check: Optional[TicketCheck] = None          # tickets read back from the database
    parse_intent: Optional[str] = None           # letters: /model/parse of the opening
    kb_hit: Optional[str] = None                 # knowledge-base questions: answered / offered
    failed: bool = False
    why: str = ""
    extra: Dict = field(default_factory=dict)


def share(count: int, total: int) -> Dict:
    return {"count": count, "total": total, "share": round(count / total, 4) if total else None}


def _count(results: List[Result], predicate) -> int:
    return sum(1 for r in results if predicate(r))


def intake(results: List[Result]) -> Dict:
    """Ticket citizens: how many end with a correct ticket, and how the others end."""
    n = len(results)
    outcome = lambda name: _count(results, lambda r: r.conversation.outcome == name)  # noqa: E731
    turns = [r.conversation.citizen_turns for r in results]
    return {
        "citizens": n,
        "correct_ticket": share(_count(results, lambda r: bool(r.check and r.check.correct)), n),
        "opened": share(outcome(dialogue.TICKET), n),
        "type_right_of_opened": share(_count(results, lambda r: bool(r.check and r.check.type_ok)), outcome(dialogue.TICKET)),
        "place_right_of_opened": share(_count(results, lambda r: bool(r.check and r.check.place_ok)), outcome(dialogue.TICKET)),
        "phone_right_of_opened": share(_count(results, lambda r: bool(r.check and r.check.phone_ok)), outcome(dialogue.TICKET)),
        "false_emergency_referral": share(outcome(dialogue.EMERGENCY), n),
        "false_not_accepted_referral": share(outcome(dialogue.NOT_ACCEPTED), n),
        "loop": share(outcome(dialogue.LOOP), n),
        "turn_limit": share(outcome(dialogue.TURN_LIMIT_REACHED), n),
        "handoff": share(outcome(dialogue.HANDOFF), n),
        "error": share(outcome(dialogue.ERROR), n),
        "danger_check_asked": share(_count(results, lambda r: r.conversation.danger_check_asked), n),
        "median_turns": statistics.median(turns) if turns else None,
    }


def intake_by(results: List[Result], key) -> Dict[str, Dict]:
    groups: Dict[str, List[Result]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return {name: intake(members) for name, members in sorted(groups.items())}


def letters(results: List[Result]) -> Dict:
    n = len(results)
    opened = _count(results, lambda r: r.conversation.outcome == dialogue.TICKET)
    ticket_type_right = _count(results, lambda r: bool(r.check and r.check.type_ok))
    return {
        "letters": n,
        "ticket_type_right": share(ticket_type_right, n),
        "ticket_type_right_of_opened": share(ticket_type_right, opened),
        "parse_intent_right": share(_count(results, lambda r: r.parse_intent == r.conversation.citizen.request_type), n),
    }


def emergency_recalled(conversation: Conversation) -> bool:
    named = conversation.emergency_numbers
    return conversation.outcome == dialogue.EMERGENCY and all(n in named for n in conversation.citizen.numbers)


def emergencies(results: List[Result]) -> Dict:
    n = len(results)
    return {
        "openings": n,
        "recall": share(_count(results, lambda r: emergency_recalled(r.conversation)), n),
        "recall_first_reply": share(_count(results, lambda r: emergency_recalled(r.conversation)
                                           and r.conversation.citizen_turns == 1), n),
        "any_emergency_referral": share(_count(results, lambda r: r.conversation.outcome == dialogue.EMERGENCY), n),
        "first_number_right": share(_count(results, lambda r: r.conversation.emergency_numbers[:1]
                                           == r.conversation.citizen.numbers[:1]), n),
        "danger_check_asked": share(_count(results, lambda r: r.conversation.danger_check_asked), n),
        "error": share(_count(results, lambda r: r.conversation.outcome == dialogue.ERROR), n),
    }


def innocuous(results: List[Result]) -> Dict:
    figures = intake(results)
    return {"messages": len(results), "false_emergency_referral": figures["false_emergency_referral"],
            "false_not_accepted_referral": figures["false_not_accepted_referral"],
            "correct_ticket": figures["correct_ticket"], "opened": figures["opened"],
            "danger_check_asked": figures["danger_check_asked"]}


def not_accepted(results: List[Result]) -> Dict:
    n = len(results)
    return {
        "openings": n,
        "recall": share(_count(results, lambda r: r.conversation.outcome == dialogue.NOT_ACCEPTED
                               and r.conversation.route == r.conversation.citizen.route), n),
        "any_not_accepted_referral": share(_count(results, lambda r: r.conversation.outcome == dialogue.NOT_ACCEPTED), n),
        "false_emergency_referral": share(_count(results, lambda r: r.conversation.outcome == dialogue.EMERGENCY), n),
        "error": share(_count(results, lambda r: r.conversation.outcome == dialogue.ERROR), n),
    }


def knowledge(results: List[Result]) -> Dict:
    n = len(results)
    return {
        "questions": n,
        "answered_or_offered": share(_count(results, lambda r: r.kb_hit is not None), n),
        "answered": share(_count(results, lambda r: r.kb_hit == "answered"), n),
        "offered": share(_count(results, lambda r: r.kb_hit == "offered"), n),
        "false_emergency_referral": share(_count(results, lambda r: r.conversation.outcome == dialogue.EMERGENCY), n),
        "false_not_accepted_referral": share(_count(results, lambda r: r.conversation.outcome == dialogue.NOT_ACCEPTED), n),
        "error": share(_count(results, lambda r: r.conversation.outcome == dialogue.ERROR), n),
    }
