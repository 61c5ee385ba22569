"""Recognition and synthesis on their own: the packaged models and recorded speech."""
from tests.support.voice.fixtures import caller_voice, recordings, vosk_ko, whisper  # noqa: F401 - fixtures
