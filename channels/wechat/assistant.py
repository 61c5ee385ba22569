"""The assistant as the WeChat gateway talks to it: one REST turn per citizen message.

The sender is the user's openid with the channel's prefix, so WeChat conversations and tickets
never mix with other channels'; the metadata carries the channel name and the openid (and images
waiting to be attached, see media.py) to the actions. The HTTP client is the shared one
(channels/rasa_client.py).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot import identities
from channels.rasa_client import RasaClient, RasaUnavailable

SENDER_PREFIX = identities.SENDER_PREFIXES[identities.WECHAT]

# The gateway's name for "the assistant could not answer".
AssistantUnavailable = RasaUnavailable


def sender_id(openid: str) -> str:
    return identities.sender_id(identities.WECHAT, openid)


class Assistant:
    def __init__(self, rasa_url: str, timeout: float = 60.0):
        self.rasa = RasaClient(rasa_url, timeout=timeout)

    async def close(self) -> None:
        await self.rasa.close()

    async def ask(self, openid: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> List[dict]:
        return await self.rasa.turn(sender_id(openid), text,
                                    {"channel": identities.WECHAT, "openid": openid, **(metadata or {})})
