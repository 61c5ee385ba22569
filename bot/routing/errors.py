"""Typed exceptions of the router. Messages are in Chinese: the hotline office reads them."""
from __future__ import annotations

from typing import Iterable, List


class RoutingError(Exception):
    """Anything the router refuses to do."""


class CatalogueError(RoutingError):
    """settings/departments.yml (or a training file) does not validate; carries every problem found.

    Raised before a router exists, so nobody routes with half a catalogue.
    """

    def __init__(self, source: str, problems: Iterable[str]):
        self.source = source
        self.problems: List[str] = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"部门目录 {source} 有 {len(self.problems)} 处错误：\n{lines}")


class EmptyRequestError(RoutingError):
    """The request text is empty or has nothing to classify."""

    def __init__(self) -> None:
        super().__init__("诉求内容为空，无法派单。请提供诉求文字。")
