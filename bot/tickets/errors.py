"""What can go wrong with a ticket, as exceptions whose message can be shown to people as it is."""
from __future__ import annotations


class TicketError(ValueError):
    """A ticket request that cannot be stored or carried out as it is (bad input, a rule refused it)."""


class TicketNotFound(TicketError):
    """No such ticket, or not one the caller may see (the two must look the same from outside)."""

    def __init__(self, number: str):
        super().__init__(f"没有编号为 {number} 的工单")
        self.number = number


class TransitionError(TicketError):
    """The operation is not allowed in the ticket's current status (e.g. closing an unanswered ticket)."""


class TicketConflict(TicketError):
    """Someone else changed the ticket at the same moment, again and again; the caller should reload."""

    def __init__(self, number: str):
        super().__init__(f"工单 {number} 正在被其他人同时修改，请刷新后重试")
        self.number = number
