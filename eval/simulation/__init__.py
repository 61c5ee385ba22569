"""The conversation simulator behind eval/simulate.py: pools, client, dialogue, checks, metrics."""
