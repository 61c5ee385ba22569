"""Thin rasa-sdk actions over bot/. Served by `python -m rasa_sdk --actions actions`."""
import logging

from bot.privacy import MaskingFilter

# Personal data never reaches the action server's logs unmasked.
for _handler in logging.getLogger().handlers:
    _handler.addFilter(MaskingFilter())
logging.getLogger().addFilter(MaskingFilter())
