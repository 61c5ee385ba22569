"""One simulated conversation: the citizen says their opening, then answers what is asked.

What is being asked comes from the Rasa tracker (active_loop and requested_slot); the reply's
buttons are the fallback. Every answer comes from the citizen's own drawn facts.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from simulation import outcomes
from simulation.client import DialogueState, RasaClient, Reply
from simulation.pools import Citizen

TURN_LIMIT = 20
LOOP_REPEATS = 3
TYPE_WORDS = {"consult": "咨询", "seek_help": "求助", "complain": "投诉", "report": "举报", "suggest": "建议"}
TYPE_PAYLOADS = {f"/{t}": t for t in TYPE_WORDS}
# Said when the assistant asks nothing the citizen can recognise: say what they want again.
RESTATEMENTS = {"consult": "我就是想咨询一下", "seek_help": "我是想请你们帮忙解决", "complain": "我要投诉",
                "report": "我要举报", "suggest": "我想提个建议"}

TICKET, EMERGENCY, NOT_ACCEPTED, HANDOFF, LOOP, TURN_LIMIT_REACHED, ERROR, FIRST_REPLY = (
    "ticket", "emergency_referral", "not_accepted_referral", "handoff", "loop", "turn_limit", "error",
    "first_reply_only")


@dataclass
class Turn:
    said: str
    reply: Reply
    state: DialogueState


@dataclass
class Conversation:
    citizen: Citizen
    sender: str
    turns: List[Turn] = field(default_factory=list)
    outcome: Optional[str] = None
    ticket: Optional[str] = None
    emergency_numbers: List[str] = field(default_factory=list)
    route: Optional[str] = None
    place_given: Optional[str] = None
    error: Optional[str] = None
    danger_check_asked: bool = False

    @property
    def citizen_turns(self) -> int:
        return len(self.turns)

    def transcript(self) -> str:
        lines = []
        for turn in self.turns:
            lines.append(f"  市民: {turn.said}")
            state = f" [{turn.state.active_loop or '-'} / {turn.state.requested_slot or '-'}]"
            lines.append(f"  助手{state}: " + (turn.reply.text.replace("\n", "\n        ") or "（无回复）"))
            if turn.reply.buttons:
                lines.append("        按钮: " + " | ".join(f"{t}={p}" for t, p in turn.reply.buttons))
        return "\n".join(lines)


class Simulator:
    def __init__(self, client: RasaClient, run_tag: str):
        self.client = client
        self.run_tag = run_tag

    def _new_conversation(self, citizen: Citizen) -> Conversation:
        sender = f"sim-{self.run_tag}-{citizen.group}-{citizen.index}-{uuid.uuid4().hex[:6]}"
        return Conversation(citizen, sender)

    def _say(self, conversation: Conversation, text: str) -> Turn:
        reply = self.client.say(conversation.sender, text)
        turn = Turn(text, reply, self.client.state(conversation.sender))
        conversation.turns.append(turn)
        return turn

    # -- the ending of a conversation, read off one reply ------------------------------------------
    @staticmethod
    def _ending(conversation: Conversation, reply: Reply) -> Optional[str]:
        numbers = outcomes.emergency_numbers(reply.text)
        if numbers:
            conversation.emergency_numbers = numbers
            return EMERGENCY
        route = outcomes.not_accepted_route(reply.text)
        if route:
            conversation.route = route
            return NOT_ACCEPTED
        number = outcomes.ticket_number(reply.text)
        if number:
            conversation.ticket = number
            return TICKET
        if outcomes.is_handoff(reply.text, reply.custom):
            return HANDOFF
        return None

    # -- a ticket citizen: answer until something ends the conversation ---------------------------
    def run_intake(self, citizen: Citizen) -> Conversation:
        conversation = self._new_conversation(citizen)
        asked = Counter()
        message = citizen.opening
        try:
            while True:
                turn = self._say(conversation, message)
                conversation.outcome = self._ending(conversation, turn.reply)
                if conversation.outcome:
                    return conversation
                asked[self._question_key(turn)] += 1
                if max(asked.values()) >= LOOP_REPEATS:
                    conversation.outcome = LOOP
                    return conversation
                if len(conversation.turns) >= TURN_LIMIT:
                    conversation.outcome = TURN_LIMIT_REACHED
                    return conversation
                message = self._answer(conversation, turn)
        except Exception as exc:  # noqa: BLE001 - one broken conversation must not end the run
            conversation.outcome, conversation.error = ERROR, f"{type(exc).__name__}: {exc}"
            return conversation

    @staticmethod
    def _question_key(turn: Turn) -> str:
        if turn.state.active_loop and turn.state.requested_slot:
            return turn.state.key
        return outcomes.squeeze(turn.reply.text)

    def _answer(self, conversation: Conversation, turn: Turn) -> str:
        citizen, reply, state = conversation.citizen, turn.reply, turn.state
        if outcomes.asks_danger_check(reply.text):
            conversation.danger_check_asked = True
            return "是的" if citizen.in_danger else "不是"
        if state.active_loop == "ticket_form" and state.requested_slot:
            answer = self._fact(conversation, state.requested_slot)
            if answer is not None:
                return answer
        by_buttons = self._answer_buttons(citizen, reply.buttons)
        if by_buttons is not None:
            return by_buttons
        return self._restate(conversation)

    def _fact(self, conversation: Conversation, slot: str) -> Optional[str]:
        citizen, rng = conversation.citizen, conversation.citizen.rng
        if slot == "request_type":
            return rng.choice([f"/{citizen.request_type}", TYPE_WORDS[citizen.request_type]])
        if slot == "description":
            return citizen.opening
        if slot == "location":
            conversation.place_given = citizen.location
            return citizen.location
        if slot == "event_time":
            return citizen.event_time
        if slot == "involved_party":
            return citizen.involved_party
        if slot == "anonymous":
            if citizen.anonymous:
                return rng.choice(["/affirm", "匿名吧", "我要匿名"])
            return rng.choice(["/deny", "不用匿名，我留个电话", "留联系方式"])
        if slot == "contact_name":
            return citizen.contact_name
        if slot == "contact_phone":
            return citizen.phone_said
        if slot == "consent":
            return rng.choice(["/affirm", "同意", "可以，同意"])
        return None

    @staticmethod
    def _answer_buttons(citizen: Citizen, buttons: List[Tuple[str, str]]) -> Optional[str]:
        titles = [title for title, _ in buttons]
        rng = citizen.rng
        if "确认提交" in titles:
            return rng.choice(["/affirm", "确认提交", "对，提交吧"])
        if any("没解决" in t for t in titles):
            return "没解决，帮我登记"
        if "都不是" in titles:   # knowledge-base choices offered: none is what this citizen needs
            return rng.choice(["/deny", "都不是"])
        type_payloads = {payload: TYPE_PAYLOADS[payload] for _, payload in buttons if payload in TYPE_PAYLOADS}
        if citizen.request_type and f"/{citizen.request_type}" in type_payloads:
            return rng.choice([f"/{citizen.request_type}", TYPE_WORDS[citizen.request_type]])
        if "没有了" in titles:   # offered a follow-up to an earlier ticket: there is none
            return "没有了"
        return None

    @staticmethod
    def _restate(conversation: Conversation) -> str:
        """Nothing recognisable was asked: say again what this is about, first briefly, then fully."""
        restated = sum(1 for t in conversation.turns[1:] if t.said == RESTATEMENTS[conversation.citizen.request_type])
        if restated == 0:
            return RESTATEMENTS[conversation.citizen.request_type]
        return conversation.citizen.opening

    # -- screening and knowledge-base citizens: only the first reply counts ------------------------
    def run_emergency(self, citizen: Citizen) -> Conversation:
        """The referral must come in the first reply, or in the second after answering 是的 to the
        danger check."""
        conversation = self._new_conversation(citizen)
        try:
            turn = self._say(conversation, citizen.opening)
            conversation.outcome = self._ending(conversation, turn.reply) or FIRST_REPLY
            if conversation.outcome == FIRST_REPLY and outcomes.asks_danger_check(turn.reply.text):
                conversation.danger_check_asked = True
                turn = self._say(conversation, "是的")
                conversation.outcome = self._ending(conversation, turn.reply) or FIRST_REPLY
        except Exception as exc:  # noqa: BLE001
            conversation.outcome, conversation.error = ERROR, f"{type(exc).__name__}: {exc}"
        return conversation

    def run_first_reply(self, citizen: Citizen) -> Conversation:
        conversation = self._new_conversation(citizen)
        try:
            turn = self._say(conversation, citizen.opening)
            conversation.outcome = self._ending(conversation, turn.reply) or FIRST_REPLY
        except Exception as exc:  # noqa: BLE001
            conversation.outcome, conversation.error = ERROR, f"{type(exc).__name__}: {exc}"
        return conversation
