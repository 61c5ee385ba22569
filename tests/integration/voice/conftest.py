"""The voice gateway in-process against the session's assistant, with recorded and synthetic callers."""
from tests.support.voice.fixtures import (caller_voice, gateway, recordings, voice_rasa_url, vosk_ko, whisper)  # noqa: F401 - fixtures
