"""Tickets (工单): what a ticket holds, how it is numbered, stored and given its deadline."""
