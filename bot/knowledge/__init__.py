"""Knowledge base (知识库) of the 12345 hotline assistant: plain Python, no Rasa.

Public API for the dialogue:
    from bot.knowledge import KnowledgeBase
    kb = KnowledgeBase.open()            # reads settings/knowledge.yml (+ HOTLINE_KB_* env)
    kb.search(question, k) -> list[Hit]  # best first
    kb.decide(question) -> Decision      # .action in {"answer", "offer", "none"}, .hits, .best
    kb.entry(entry_id) -> Hit | None     # the entry behind an offered button
    kb.refreshed() -> KnowledgeBase      # itself, or reopened if sources/index changed on disk
"""
from .errors import (ConfigError, EncoderError, IndexMissingError, KnowledgeError, SourceError,
                     SourceProblem, StaleIndexError)
from .service import ANSWER, NONE, OFFER, Decision, Hit, KnowledgeBase, build_index, decide_from_hits
from .settings import KBSettings, load_settings
from .source import Entry, KnowledgeSource, load_source

__all__ = [
    "ANSWER", "OFFER", "NONE", "Decision", "Hit", "KnowledgeBase", "build_index", "decide_from_hits",
    "KBSettings", "load_settings", "Entry", "KnowledgeSource", "load_source",
    "KnowledgeError", "ConfigError", "EncoderError", "SourceError", "SourceProblem",
    "IndexMissingError", "StaleIndexError",
]
