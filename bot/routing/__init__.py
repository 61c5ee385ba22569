"""Routing (智能派单): suggest the functional department and the territorial office of a request.

    from bot.routing import route
    decision = route("幸福里小区门口天天有人摆摊占道")
    decision.department.name, decision.confidence, decision.runner_up.name, decision.territory
    decision.to_json()   # {"department", "confidence", "runner_up", "territory"}

Plain Python (stdlib, PyYAML, numpy): imports on the Rasa side (3.10) and the action server (3.11).
"""
from .catalogue import Catalogue, Department, Office, load_catalogue
from .errors import CatalogueError, EmptyRequestError, RoutingError
from .router import Router, RoutingDecision, Suggestion, load_router, route
from .territory import Territory

__all__ = [
    "Catalogue", "CatalogueError", "Department", "EmptyRequestError", "Office", "Router", "RoutingDecision",
    "RoutingError", "Suggestion", "Territory", "load_catalogue", "load_router", "route",
]
