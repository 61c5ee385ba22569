"""Typed exceptions of the knowledge base.

Every message shown to an operator is bilingual: Chinese first (the seats and the
hotline office read it), English after (developers and logs).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class KnowledgeError(Exception):
    """Base class: anything the knowledge base refuses to do."""


class ConfigError(KnowledgeError):
    """settings/knowledge.yml or an environment variable is invalid."""


@dataclass(frozen=True)
class SourceProblem:
    """One problem in one source file, located by line (1-based)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class SourceError(KnowledgeError):
    """The source folder does not validate; carries every problem found.

    Raised before anything is returned, so a caller never sees part of a file.
    """

    def __init__(self, problems: list[SourceProblem]):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"知识库源文件有 {len(self.problems)} 处错误，未加载任何条目 "
            f"(knowledge source has {len(self.problems)} error(s); nothing loaded):\n{lines}"
        )


class EncoderError(KnowledgeError):
    """An encoder could not be created or loaded (unknown name, missing model)."""


class KBIndexError(KnowledgeError):
    """Base for index problems (not named IndexError, which is a builtin)."""


class IndexMissingError(KBIndexError):
    """No index has been built yet."""


class StaleIndexError(KBIndexError):
    """The index does not match the current sources or encoder; it must not be served."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(
            f"知识库索引已过期或不匹配，拒绝使用：{reason}。请运行 `hotline kb build` 重建。"
            f" (index is stale or mismatched and will not be served: {reason}; run `hotline kb build`)"
        )
