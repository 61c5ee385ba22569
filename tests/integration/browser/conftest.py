"""Chromium driving the pages of the running stack: the chat, its voice button, the seat console."""
from tests.support.browser import (browser, browser_factory, screenshot)  # noqa: F401 - fixtures
from tests.support.seats.fixtures import (seat_client, seat_folder, seat_gateway, seat_web, seat_wechat_api, staff_tokens_file)  # noqa: F401 - fixtures
from tests.support.voice.fixtures import (caller_voice, gateway, recordings, voice_rasa_url, vosk_ko, whisper)  # noqa: F401 - fixtures
