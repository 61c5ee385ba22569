"""Who is talking, as the channels name them: the one place for channel names, the prefixes of
conversation (sender) ids and how people read a channel's name.

Sender ids are made by the channel that really received the message, never chosen by a client:
the web server from its signed session cookie, the WeChat gateway from the openid WeChat signed,
the voice gateway from the call it numbered. Their prefixes keep the channels' conversations and
tickets apart (a web page cannot speak as "wechat:<openid>").
"""
from __future__ import annotations

from typing import Optional

WEB, WECHAT, VOICE = "web", "wechat", "voice"
SENDER_PREFIXES = {WEB: "web-", WECHAT: "wechat:", VOICE: "voice-"}
# Rasa's own input-channel names ("socketio" is the web page, "rest" a gateway) and the tests'.
LABELS = {WEB: "网页", "socketio": "网页", WECHAT: "微信", VOICE: "电话", "rest": "接口", "test": "测试"}


def sender_id(channel: str, local_id: str) -> str:
    """The conversation id of `local_id` (a session, an openid, a call id) on `channel`."""
    return SENDER_PREFIXES[channel] + local_id


def channel_of(sender: str) -> Optional[str]:
    """The channel whose prefix the sender id carries, if any."""
    return next((name for name, prefix in SENDER_PREFIXES.items() if sender.startswith(prefix)), None)


def local_part(sender: str) -> str:
    channel = channel_of(sender)
    return sender[len(SENDER_PREFIXES[channel]):] if channel else sender


def label(channel: str) -> str:
    return LABELS.get(channel, channel)
