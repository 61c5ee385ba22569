"""Thin rasa-sdk actions over bot/. Served by `python -m rasa_sdk --actions actions`."""

from bot.privacy import install_log_masking

# Personal data never reaches the action server's logs unmasked (rasa_sdk configured its handlers).
install_log_masking()

# The action server sets HOTLINE_WARM_UP=1 (hotline.stack) so the knowledge base's encoders load
# while it starts; tests importing actions do not pay for that. Sanic imports the actions in its
# manager process too; only the worker that serves requests (SANIC_WORKER_NAME) loads them.
import os as _os

if _os.environ.get("HOTLINE_WARM_UP") == "1" and _os.environ.get("SANIC_WORKER_NAME"):
    from actions.services import warm_up_in_background

    warm_up_in_background()
