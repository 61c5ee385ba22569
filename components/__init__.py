"""Code Rasa runs (Python 3.10, .venv-rasa): NLU components and the gateways-only REST channel.

Rasa imports this package when it loads the model or the channels; its log handlers exist by
then, so the project's masking filter is installed on them here (phones, ID numbers and
tracebacks masked, as in every other process of the stack)."""
from bot.privacy import install_log_masking

install_log_masking()
