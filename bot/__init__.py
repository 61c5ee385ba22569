"""The hotline domain: screening, tickets, deadlines, knowledge base and routing.

Plain Python that knows nothing of Rasa, so the same rules serve the NLU pipeline (Python 3.10),
the action server, the channels and the operator CLI (Python 3.11).
"""
