"""Speech, for every channel that hears or speaks: recognition (whisper, vosk), synthesis (espeak-ng
through pyttsx3), audio conversion and resampling, and numbers as people say them.

Used by the voice gateway (channels/voice) and WeChat voice messages (channels/wechat); it knows
nothing of Rasa, the actions or the channels.
"""
