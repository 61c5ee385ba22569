"""A local stand-in of api.weixin.qq.com for the gateway's tests and benchmark.

Serves the three endpoints the gateway uses and records what it receives:
    GET  /cgi-bin/token?grant_type=client_credential&appid=...&secret=...
    POST /cgi-bin/message/custom/send?access_token=...      (JSON {"touser", "msgtype", "text"})
    GET  /cgi-bin/media/get?access_token=...&media_id=...
Unknown or revoked tokens get WeChat's errcode 40001, like the real service. Runs an aiohttp
server on 127.0.0.1 in a thread of its own, so synchronous tests can use it.
"""
from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from aiohttp import web

# A real, minimal JPEG (1×1 pixel) so the gateway's image check sees genuine image bytes.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f"
    "141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b08000100010101"
    "1100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504"
    "040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a2526"
    "2728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a83848586878889"
    "8a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4"
    "e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


@dataclass
class Records:
    token_requests: List[dict] = field(default_factory=list)
    sent: List[dict] = field(default_factory=list)
    media_requests: List[str] = field(default_factory=list)
    rejected: List[dict] = field(default_factory=list)


class WeChatApiStandIn:
    def __init__(self, appid: str, secret: str, expires_in: int = 7200, send_delay: float = 0.0):
        self.appid = appid
        self.secret = secret
        self.expires_in = expires_in
        self.send_delay = send_delay
        self.records = Records()
        self.media: Dict[str, bytes] = {}
        self._valid_tokens: Dict[str, float] = {}
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None
        self.port: Optional[int] = None

    # -- endpoints ---------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        with self._lock:
            self.records.token_requests.append(query)
            if query.get("appid") != self.appid or query.get("secret") != self.secret:
                return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
            token = f"TOKEN-{len(self.records.token_requests)}-{int(time.time() * 1000)}"
            self._valid_tokens[token] = time.time() + self.expires_in
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    def _token_ok(self, request: web.Request) -> bool:
        token = request.query.get("access_token", "")
        with self._lock:
            return self._valid_tokens.get(token, 0) > time.time()

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        if not self._token_ok(request):
            with self._lock:
                self.records.rejected.append(body)
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if self.send_delay:
            await asyncio.sleep(self.send_delay)
        with self._lock:
            self.records.sent.append(dict(body, access_token=request.query["access_token"], at=time.time()))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _media(self, request: web.Request) -> web.Response:
        media_id = request.query.get("media_id", "")
        with self._lock:
            self.records.media_requests.append(media_id)
        if not self._token_ok(request):
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        content = self.media.get(media_id)
        if content is None:
            return web.json_response({"errcode": 40007, "errmsg": "invalid media_id"})
        return web.Response(body=content, content_type="image/jpeg",
                            headers={"Content-Disposition": f'attachment; filename="{media_id}.jpg"'})

    # -- control -----------------------------------------------------------------------------

    def revoke_tokens(self) -> None:
        with self._lock:
            self._valid_tokens.clear()

    def sent_to(self, openid: str) -> List[dict]:
        with self._lock:
            return [m for m in self.records.sent if m.get("touser") == openid]

    def token_request_count(self) -> int:
        with self._lock:
            return len(self.records.token_requests)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return predicate()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "WeChatApiStandIn":
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_get("/cgi-bin/token", self._token)
            app.router.add_post("/cgi-bin/message/custom/send", self._send)
            app.router.add_get("/cgi-bin/media/get", self._media)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="wechat-api-standin", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the WeChat API stand-in did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
