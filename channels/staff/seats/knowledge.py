"""Quick answers for seats: the knowledge base searched as the seat types.

The knowledge base (bot/knowledge, encoders and a FAISS index) is opened in a worker thread the
first time a seat signs in, not when the web server starts: the citizens' chat page never waits
for it, and a web server without seats never loads it.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Callable, Dict, Optional

from bot.intake_text import looks_like_question

logger = logging.getLogger(__name__)


def _open_default():
    from bot.knowledge.service import KnowledgeBase
    return KnowledgeBase.open()


class QuickAnswers:
    def __init__(self, open_kb: Callable[[], Any] = _open_default, hits: int = 5, min_score: float = 0.0):
        self.open_kb = open_kb
        self.hits = hits
        self.min_score = min_score
        self._kb = None
        self._error: Optional[str] = None
        self._lock = threading.Lock()
        self._loading: Optional[threading.Thread] = None

    def warm_up(self) -> None:
        """Start opening the knowledge base in the background (idempotent)."""
        with self._lock:
            if self._kb is not None or self._loading is not None:
                return
            self._loading = threading.Thread(target=self._load, name="seat-kb", daemon=True)
            self._loading.start()

    def _load(self) -> None:
        try:
            kb = self.open_kb()
        except Exception as exc:  # noqa: BLE001 - told to the seat, the details go to the log
            logger.exception("knowledge base could not be opened for the seat console")
            with self._lock:
                self._error, self._loading = f"知识库无法打开：{type(exc).__name__}", None
            return
        with self._lock:
            self._kb, self._error = kb, None

    def _search(self, question: str) -> Dict[str, Any]:
        with self._lock:
            kb, error = self._kb, self._error
        if kb is None:
            self.warm_up()
            return {"ready": False, "message": error or "知识库正在加载，请稍候再试", "hits": []}
        hits = [h for h in kb.search(question, k=self.hits) if h.score >= self.min_score]
        return {"ready": True, "hits": [{"id": h.id, "question": h.question, "answer": h.answer,
                                         "department": h.department, "phone": h.phone,
                                         "score": round(float(h.score), 3)} for h in hits]}

    async def search(self, question: str, automatic: bool = False) -> Dict[str, Any]:
        """`automatic`: the citizen's latest message, looked up without the seat asking. Only a
        question is worth it: a statement (「楼下天天吵到半夜」) finds lookalike entries that
        would only distract the seat."""
        question = (question or "").strip()[:200]
        if not question:
            return {"ready": self._kb is not None, "hits": []}
        if automatic and not looks_like_question(question):
            return {"ready": self._kb is not None, "hits": [], "skipped": True,
                    "message": "市民最新的话不是提问，没有自动查找；需要时可在上面输入关键词。"}
        return await asyncio.to_thread(self._search, question)

    def wait_ready(self, timeout: float) -> bool:
        """For tests and benchmarks: wait until the knowledge base is open."""
        self.warm_up()
        loading = self._loading
        if loading is not None:
            loading.join(timeout)
        return self._kb is not None


__all__ = ["QuickAnswers"]
