"""Routing (智能派单): suggest the lead department, co-handlers and territorial office of a request.

    from bot.routing import route
    decision = route("幸福里小区门口天天有人摆摊占道", place="幸福里小区")
    decision.department.name, decision.confidence, decision.abstain, decision.co_handlers
    decision.territory, decision.why            # the duty matched, similar requests, the place rule
    decision.to_json()                          # what `hotline route --json` prints and a ticket stores

Runs in the action server and the CLI (Python 3.11): numpy, PyYAML and, for the nearest-neighbour
vote, the knowledge base's sentence encoders (bot/knowledge/encoders.py), loaded lazily; without
them it routes by n-grams alone. Learning from the office's corrections: retrain.py.
"""
from .catalogue import Catalogue, Department, Office, load_catalogue
from .errors import CatalogueError, EmptyRequestError, RoutingError
from .router import Router, RoutingDecision, Suggestion, load_router, route
from .territory import Territory

__all__ = [
    "Catalogue", "CatalogueError", "Department", "EmptyRequestError", "Office", "Router", "RoutingDecision",
    "RoutingError", "Suggestion", "Territory", "load_catalogue", "load_router", "route",
]
