"""Voice channel: an IVR gateway (Asterisk AudioSocket and a vosk-server style WebSocket) with
speech recognition and synthesis, talking to the assistant over Rasa's REST channel."""
