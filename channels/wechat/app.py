"""aiohttp application of the WeChat gateway: GET /wechat (server URL verification) and
POST /wechat (messages), plain or safe mode, on 127.0.0.1:8090 by default.

    python -m channels.wechat --host 127.0.0.1 --port 8090

Every request is checked before anything else happens (security.py): signature and timestamp
(403), body size (413), safe XML (400), safe-mode msg_signature (403). Only then is the message
parsed by wechatpy and handed to the gateway. Logs carry the kind of message, a masked openid and
timings, never the content or the query string.
"""
from __future__ import annotations

import argparse
import logging
import os
import time

from aiohttp import web
from wechatpy import create_reply, parse_message
from wechatpy.exceptions import InvalidSignatureException

from bot.privacy import setup_process_logging
from channels import hosts
from channels.wechat import security
from channels.wechat.config import ConfigError, WeChatConfig, load_config
from channels.wechat.gateway import Gateway
from channels.wechat.seat_relay import add_seat_relay

logger = logging.getLogger("channels.wechat")

GATEWAY = web.AppKey("gateway", Gateway)
REQUIRED_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType")


def _refuse(exc: security.RequestRefused, request: web.Request) -> web.Response:
    logger.warning("refused %s %s: HTTP %d (%s)", request.method, request.path, exc.status, exc.reason)
    return web.Response(status=exc.status, text={403: "forbidden", 413: "too large"}.get(exc.status, "bad request"))


async def _read_body(request: web.Request, limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise security.TooLarge("Content-Length over the limit")
    body = bytearray()
    async for chunk in request.content.iter_chunked(16 * 1024):
        body += chunk
        if len(body) > limit:
            raise security.TooLarge("body over the limit")
    return bytes(body)


async def verify_url(request: web.Request) -> web.Response:
    """WeChat's server URL check: echo echostr when the signature is right."""
    gateway = request.app[GATEWAY]
    try:
        security.verify_request(gateway.config.token, request.query, gateway.config.timestamp_window)
    except security.RequestRefused as exc:
        return _refuse(exc, request)
    echostr = request.query.get("echostr")
    if not echostr:
        return _refuse(security.Malformed("echostr missing"), request)
    logger.info("server URL verified")
    return web.Response(text=echostr)


async def receive(request: web.Request) -> web.Response:
    started = time.monotonic()
    gateway = request.app[GATEWAY]
    config = gateway.config
    query = request.query
    try:
        security.verify_request(config.token, query, config.timestamp_window)
        body = await _read_body(request, config.max_body_bytes)
        xml_text, root = security.check_xml(body, config.max_body_bytes)
        safe_mode = query.get("encrypt_type", "raw").lower() == "aes"
        if safe_mode:
            xml_text, root = _decrypt(gateway, query, xml_text, root, config.max_body_bytes)
        elif not config.plain_accepted:
            # The mode is the gateway's setting, not the request's: with a key configured, a
            # plain request is a downgrade (a replayed plain signature would forge any openid).
            raise security.Forbidden("plain message while safe mode is configured")
        security.require_fields(root, *REQUIRED_FIELDS)
        try:
            message = parse_message(xml_text)
        except Exception:   # wechatpy raises KeyError/ValueError/TypeError on odd documents
            raise security.Malformed("wechatpy could not parse the message") from None
    except security.RequestRefused as exc:
        return _refuse(exc, request)

    text = await gateway.respond(message, deadline=started + config.reply_budget)
    elapsed = (time.monotonic() - started) * 1000
    if not text:
        logger.info("answered success in %.0f ms", elapsed)
        return web.Response(text="success")
    reply = create_reply(text, message).render()
    if safe_mode:
        reply = gateway.crypto.encrypt_message(reply, query.get("nonce"))
    logger.info("answered passively in %.0f ms", elapsed)
    return web.Response(text=reply, content_type="application/xml")


def _decrypt(gateway: Gateway, query, xml_text: str, root, limit: int):
    if gateway.crypto is None:
        raise security.Malformed("safe mode request but WECHAT_AES_KEY / WECHAT_APPID are not configured")
    security.require_fields(root, "Encrypt")
    msg_signature = query.get("msg_signature")
    if not msg_signature:
        raise security.Forbidden("msg_signature missing")
    try:
        inner = gateway.crypto.decrypt_message(
            {"Encrypt": root.find("Encrypt").text.strip()}, msg_signature, query.get("timestamp"), query.get("nonce"))
    except InvalidSignatureException:
        raise security.Forbidden("bad msg_signature") from None
    except Exception:   # wrong key, padding, AppID or base64: not a message of ours
        raise security.Malformed("cannot decrypt") from None
    return security.check_xml(inner.encode("utf-8"), limit)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _voice_recognizer():
    """Voice messages without WeChat's Recognition are recognised here unless switched off
    (WECHAT_VOICE_RECOGNITION=off), e.g. on a gateway host without the speech models."""
    if os.environ.get("WECHAT_VOICE_RECOGNITION", "on").lower() in ("off", "0", "false", "no"):
        return None
    from channels.wechat.voice_messages import VoiceMessageRecognizer
    return VoiceMessageRecognizer()


async def _close_gateway(app: web.Application) -> None:
    await app[GATEWAY].close()


def create_app(config: WeChatConfig = None, gateway: Gateway = None) -> web.Application:
    config = config or (gateway.config if gateway else load_config())
    config.check()
    # The gateway reads bodies itself, with its own limit (413); aiohttp's is only a backstop.
    app = web.Application(middlewares=[hosts.host_only], client_max_size=config.max_body_bytes * 2)
    app[GATEWAY] = gateway or Gateway(config, recognizer=_voice_recognizer())
    app.router.add_get("/wechat", verify_url)
    app.router.add_post("/wechat", receive)
    app.router.add_get("/healthz", health)
    add_seat_relay(app, app[GATEWAY])   # seat console -> WeChat user (channels/wechat/seat_relay.py)
    app.on_cleanup.append(_close_gateway)
    return app


def setup_logging() -> None:
    setup_process_logging()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m channels.wechat", description="12345 WeChat official account gateway")
    parser.add_argument("--host", default=None, help="default WECHAT_HOST or 127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default WECHAT_PORT or 8090")
    args = parser.parse_args(argv)
    setup_logging()
    try:
        config = load_config()
        app = create_app(config)
    except ConfigError as exc:
        raise SystemExit(f"微信网关无法启动：{exc}")
    if not config.api_ready:
        logger.warning("WECHAT_APPID / WECHAT_APPSECRET not set: slow answers and images cannot be delivered")
    # access_log=None: aiohttp's access log would print the query string (signatures, openid).
    web.run_app(app, host=args.host or config.host, port=args.port or config.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
