"""The five request types (诉求类型) and their Chinese names: the NLU intents of the same names and
the ticket's type. A module of its own so that the NLU components (Rasa's environment, without the
ticket store's dependencies) and the ticket code share one definition."""
from __future__ import annotations

from typing import Dict

REQUEST_TYPES: Dict[str, str] = {
    "consult": "咨询",
    "seek_help": "求助",
    "complain": "投诉",
    "report": "举报",
    "suggest": "建议",
}
