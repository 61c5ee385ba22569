"""The slow path and the media API: wechatpy's WeChatClient with one shared access token.

When the assistant needs longer than WeChat waits, the gateway answers "success" and sends the
answer later as a customer-service message (message/custom/send, allowed within 48 hours of the
citizen's last message). The access token lives in the shared state (Redis when configured), is
fetched by one process at a time and refreshed `token_refresh_margin` seconds before it expires.

wechatpy's client is blocking (requests); calls run in worker threads.
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from typing import List, Optional, Tuple

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from channels.wechat.config import WeChatConfig
from channels.wechat.state import SharedAccessToken, TokenSession, TokenStorage, TokenUnavailable

logger = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """A customer-service message or a media download did not go through."""


class HotlineWeChatClient(WeChatClient):
    """WeChatClient with a configurable API base (wechatpy hard-codes the token URL) and the
    access token shared between processes instead of kept per client instance."""

    def __init__(self, appid: str, secret: str, api_base: str, shared: SharedAccessToken, timeout: float = 10):
        super().__init__(appid, secret, session=TokenSession(shared), timeout=timeout)
        self.api_base = api_base.rstrip("/")
        self.API_BASE_URL = self.api_base + "/cgi-bin/"
        self.shared = shared

    def _fetch_from_wechat(self):
        # wechatpy's own request and error handling; it stores the token through TokenSession.
        return self._fetch_access_token(
            url=self.api_base + "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret})

    @property
    def access_token(self) -> str:
        return self.shared.get(self._fetch_from_wechat)

    def fetch_access_token(self):
        """Called by wechatpy when WeChat says the token is invalid or expired: get a new one."""
        self.shared.get(self._fetch_from_wechat, force=True)
        return {"access_token": self.shared.peek()}


class CustomerService:
    def __init__(self, config: WeChatConfig, tokens: TokenStorage):
        self.available = config.api_ready
        self.shared = SharedAccessToken(tokens, config.appid or "-", config.token_refresh_margin)
        self.client = HotlineWeChatClient(config.appid, config.appsecret, config.api_base, self.shared)

    async def send_text(self, openid: str, pieces: List[str]) -> None:
        """Send the pieces in order; stop at the first failure."""
        if not self.available:
            raise DeliveryFailed("WECHAT_APPID / WECHAT_APPSECRET not set: no customer-service API")
        for piece in pieces:
            await self._call(self.client.message.send_text, openid, piece)

    async def download(self, media_id: str, max_bytes: int) -> Tuple[bytes, Optional[str]]:
        if not self.available:
            raise DeliveryFailed("WECHAT_APPID / WECHAT_APPSECRET not set: no media API")
        response = await self._call(self._download, media_id)
        content = response.content
        if len(content) > max_bytes:
            raise DeliveryFailed(f"media larger than {max_bytes} bytes")
        return content, response.headers.get("Content-Type")

    def _download(self, media_id: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # wechatpy's media.download uses _get
            response = self.client.media.download(media_id)
        if isinstance(response, dict):
            raise DeliveryFailed(f"media API answered {response.get('errcode')}")
        response.raise_for_status()
        return response

    async def _call(self, function, *args):
        try:
            return await asyncio.to_thread(function, *args)
        except WeChatClientException as exc:
            raise DeliveryFailed(f"WeChat API error {exc.errcode}") from None
        except TokenUnavailable as exc:
            raise DeliveryFailed(f"no access token: {exc}") from None
        except DeliveryFailed:
            raise
        except Exception as exc:   # requests' network errors and anything else from the client
            raise DeliveryFailed(f"{type(exc).__name__}") from None
