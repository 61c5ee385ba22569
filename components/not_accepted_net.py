"""Rasa NLU component: not-accepted decisions about the matter (bot.screening.not_accepted).

It runs after the emergency net. A not_accepted_* intent stands only with evidence: the matter's
own words (rule) or a confident classifier on a short plain message. Otherwise the message becomes
the request type the classifier ranks highest, with an entity "not_accepted_review" naming the route
a person should check on the ticket. A request whose words plainly show a not-accepted matter
(我要起诉, 已经上访过, 举报村支书贪污) becomes that not_accepted_* intent even when the classifier
hesitated. The entity "not_accepted_evidence" says which evidence a referral stands on.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.intake_text import is_letter, strip_salutation
from bot.request_types import REQUEST_TYPES
from bot.screening.emergency import kind_of_intent
from bot.screening.not_accepted import best_request_type, judge
from bot.screening.referrals import NOT_ACCEPTED_PREFIX, route_of_intent
from components.rule_component import INTENT_RANKING, RuleComponent, add_entity, promote

EVIDENCE_ENTITY = "not_accepted_evidence"
REVIEW_ENTITY = "not_accepted_review"
# Intents a not-accepted matter may be hiding behind; greetings, answers and the like are left alone.
_MAY_PROMOTE = set(REQUEST_TYPES) | {"nlu_fallback", "out_of_scope"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NotAcceptedNet(RuleComponent):
    @staticmethod
    def _apply(message: Message) -> None:
        intent: Dict[str, Any] = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        text = (message.get(TEXT) or "").strip()
        if not text or text.startswith("/") or kind_of_intent(name):
            return   # button payloads mean what they say; emergencies come first
        route = route_of_intent(name)
        if route is None and name not in _MAY_PROMOTE:
            return
        verdict = judge(route, float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0), strip_salutation(text),
                        is_letter(text))
        ranking: List[Dict[str, Any]] = message.get(INTENT_RANKING) or []
        if verdict.route:
            if verdict.route != route:
                promote(message, f"{NOT_ACCEPTED_PREFIX}_{verdict.route}", 1.0, ranking)
            add_entity(message, EVIDENCE_ENTITY, verdict.evidence, "NotAcceptedNet")
        elif verdict.review:
            taken = best_request_type(ranking, list(REQUEST_TYPES), default="complain")
            confidence = next((r.get(PREDICTED_CONFIDENCE_KEY, 0.0) for r in ranking
                               if r.get(INTENT_NAME_KEY) == taken), 0.0)
            promote(message, taken, confidence, ranking)
            add_entity(message, REVIEW_ENTITY, verdict.review, "NotAcceptedNet")
