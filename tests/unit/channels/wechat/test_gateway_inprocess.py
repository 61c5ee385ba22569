"""The gateway application in-process, with a scripted stand-in of Rasa: long answers, a slow
assistant, an assistant that is down, configuration errors, and what reaches the logs."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import List

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from channels.wechat.app import create_app
from channels.wechat.config import ConfigError, WeChatConfig, load_config
from channels.wechat.gateway import Gateway
from channels.wechat.state import MemoryStateStore
from tests.support.wechat.standin import WeChatApiStandIn
from tests.support.wechat.wechat_side import AES_KEY, APPID, APPSECRET, TOKEN, message_xml, new_msg_id, new_openid, sign


class ScriptedRasa:
    """Answers every message with `answer`, after `delay` seconds; counts the calls."""

    def __init__(self, answer: List[dict], delay: float = 0.0):
        self.answer, self.delay, self.calls = answer, delay, []

    async def webhook(self, request: web.Request) -> web.Response:
        self.calls.append(await request.json())
        await asyncio.sleep(self.delay)
        return web.json_response(self.answer)


@pytest.fixture
def wechat_api():
    api = WeChatApiStandIn(APPID, APPSECRET).start()
    yield api
    api.stop()


async def start(rasa: ScriptedRasa, api: WeChatApiStandIn, tmp_path, **overrides):
    rasa_app = web.Application()
    rasa_app.router.add_post("/webhooks/rest/webhook", rasa.webhook)
    rasa_server = TestServer(rasa_app)
    await rasa_server.start_server()
    config = WeChatConfig(token=TOKEN, appid=APPID, appsecret=APPSECRET, aes_key=AES_KEY, allow_plain=True,
                          api_base=api.url, rasa_url=str(rasa_server.make_url("")).rstrip("/"), media_dir=tmp_path / "media")
    client = TestClient(TestServer(create_app(replace(config, **overrides))))
    await client.start_server()
    return client, rasa_server


def signed(**extra):
    import time
    timestamp, nonce = str(int(time.time())), "nonce42"
    return dict(signature=sign(TOKEN, timestamp, nonce), timestamp=timestamp, nonce=nonce, **extra)


async def post_text(client, openid, text, msg_id=None):
    body = message_xml(openid, "text", {"Content": text}, msg_id or new_msg_id())
    response = await client.post("/wechat", params=signed(), data=body.encode())
    return response.status, await response.text()


async def test_a_long_answer_goes_out_as_several_customer_service_messages(wechat_api, tmp_path):
    long_answer = "\n".join(f"第{i}条：" + "办理须知" * 60 for i in range(8))
    rasa = ScriptedRasa([{"text": long_answer}])
    client, rasa_server = await start(rasa, wechat_api, tmp_path)
    try:
        openid = new_openid()
        status, body = await post_text(client, openid, "社保卡怎么补办")
        assert status == 200 and body == "success"
        assert await asyncio.to_thread(wechat_api.wait_until, lambda: len(wechat_api.sent_to(openid)) >= 3, 10)
        pieces = [m["text"]["content"] for m in wechat_api.sent_to(openid)]
        assert all(len(p.encode("utf-8")) <= 2048 for p in pieces) and "\n".join(pieces) == long_answer
    finally:
        await client.close()
        await rasa_server.close()


async def test_a_slow_assistant_is_answered_later_and_retries_do_not_ask_again(wechat_api, tmp_path):
    rasa = ScriptedRasa([{"text": "您好，请问有什么可以帮您？"}], delay=0.5)
    client, rasa_server = await start(rasa, wechat_api, tmp_path, reply_budget=0.1)
    try:
        openid, msg_id = new_openid(), new_msg_id()
        first = await post_text(client, openid, "你好", msg_id)
        retries = await asyncio.gather(*(post_text(client, openid, "你好", msg_id) for _ in range(2)))
        assert first == (200, "success") and all(r == (200, "success") for r in retries)
        assert await asyncio.to_thread(wechat_api.wait_until, lambda: wechat_api.sent_to(openid), 10)
        await asyncio.sleep(0.3)
        assert len(rasa.calls) == 1 and len(wechat_api.sent_to(openid)) == 1
        assert rasa.calls[0]["sender"] == f"wechat:{openid}"
        assert rasa.calls[0]["metadata"] == {"channel": "wechat", "openid": openid}
    finally:
        await client.close()
        await rasa_server.close()


async def test_an_assistant_that_is_down_gets_an_apology_not_an_error(wechat_api, tmp_path):
    rasa = ScriptedRasa([])
    client, rasa_server = await start(rasa, wechat_api, tmp_path)
    await rasa_server.close()
    try:
        status, body = await post_text(client, new_openid(), "你好")
        assert status == 200 and "系统繁忙" in body and "12345" in body
    finally:
        await client.close()


class BrokenStore(MemoryStateStore):
    async def add(self, key, value, ttl):
        raise ConnectionError("redis is down")


async def test_a_broken_state_store_gets_an_apology_and_the_assistant_is_not_asked(wechat_api, tmp_path):
    rasa = ScriptedRasa([{"text": "好的"}])
    rasa_app = web.Application()
    rasa_app.router.add_post("/webhooks/rest/webhook", rasa.webhook)
    rasa_server = TestServer(rasa_app)
    await rasa_server.start_server()
    config = WeChatConfig(token=TOKEN, appid=APPID, appsecret=APPSECRET, api_base=wechat_api.url,
                          rasa_url=str(rasa_server.make_url("")).rstrip("/"), media_dir=tmp_path)
    client = TestClient(TestServer(create_app(gateway=Gateway(config, store=BrokenStore()))))
    await client.start_server()
    try:
        status, body = await post_text(client, new_openid(), "你好")
        assert status == 200 and "系统繁忙" in body and rasa.calls == []
    finally:
        await client.close()
        await rasa_server.close()


async def test_safe_mode_without_a_key_is_refused(wechat_api, tmp_path):
    client, rasa_server = await start(ScriptedRasa([]), wechat_api, tmp_path, aes_key="")
    try:
        body = "<xml><ToUserName>gh</ToUserName><Encrypt>abc</Encrypt></xml>".encode()
        response = await client.post("/wechat", params=signed(encrypt_type="aes", msg_signature="x"), data=body)
        assert response.status == 400
    finally:
        await client.close()
        await rasa_server.close()


async def test_logs_show_neither_content_nor_openids(wechat_api, tmp_path, caplog):
    rasa = ScriptedRasa([{"text": "您的手机13812345678已登记"}])
    client, rasa_server = await start(rasa, wechat_api, tmp_path)
    openid = new_openid()
    try:
        with caplog.at_level(logging.DEBUG):
            await post_text(client, openid, "我的手机是13812345678，住人民路88号")
    finally:
        await client.close()
        await rasa_server.close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "channels.wechat" in {r.name for r in caplog.records}
    assert "13812345678" not in logged and "人民路" not in logged and openid not in logged


def test_configuration_comes_from_the_environment_and_is_checked():
    config = load_config({"WECHAT_TOKEN": "t", "WECHAT_APPID": "wx1", "WECHAT_AES_KEY": AES_KEY,
                          "WECHAT_API_BASE": "http://127.0.0.1:9/", "WECHAT_REPLY_BUDGET": "2.5",
                          "WECHAT_MENU_KEYS": '{"MY_TICKETS": "查询工单"}', "HOTLINE_RASA_URL": "http://127.0.0.1:5"})
    config.check()
    assert config.api_base == "http://127.0.0.1:9" and config.reply_budget == 2.5
    assert config.menu_keys["MY_TICKETS"] == "查询工单" and config.menu_keys["TALK_TO_HUMAN"] == "/request_human"
    assert config.rasa_url == "http://127.0.0.1:5" and not config.api_ready
    for env in ({}, {"WECHAT_TOKEN": "t", "WECHAT_AES_KEY": "short"}, {"WECHAT_TOKEN": "t", "WECHAT_REPLY_BUDGET": "6"}):
        with pytest.raises(ConfigError):
            load_config(env).check()
    with pytest.raises(ConfigError):
        load_config({"WECHAT_TOKEN": "t", "WECHAT_REPLY_BUDGET": "soon"})
