"""The WeChat gateway's /seat/messages endpoint (channels/wechat/seat_relay.py), in-process, with
the WeChat API stand-in: only the console with the shared secret may send, buttons become
numbered options the citizen can answer with a digit, and WeChat's refusals come back as 502."""
from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from channels.wechat.config import WeChatConfig
from channels.wechat.gateway import Gateway
from channels.wechat.seat_relay import add_seat_relay
from tests.support.wechat.standin import WeChatApiStandIn
from tests.support.wechat.wechat_side import APPID, APPSECRET, TOKEN, new_openid

pytestmark = pytest.mark.asyncio(loop_scope="session")
SECRET = "relay-secret-0123456789"


@pytest.fixture
def wechat_api():
    api = WeChatApiStandIn(APPID, APPSECRET).start()
    yield api
    api.stop()


async def relay_client(api: WeChatApiStandIn, tmp_path, secret: str = SECRET):
    config = WeChatConfig(token=TOKEN, appid=APPID, appsecret=APPSECRET, api_base=api.url, media_dir=tmp_path)
    gateway = Gateway(config)
    app = web.Application()
    add_seat_relay(app, gateway, secret=secret)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client, gateway


async def test_the_console_sends_with_the_secret_only(wechat_api, tmp_path):
    client, _ = await relay_client(wechat_api, tmp_path)
    try:
        openid = new_openid()
        body = {"openid": openid, "messages": [{"text": "【人工客服王芳】您好"}]}
        wrong = await client.post("/seat/messages", json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401 and wechat_api.sent_to(openid) == []
        right = await client.post("/seat/messages", json=body, headers={"Authorization": f"Bearer {SECRET}"})
        assert right.status == 200 and (await right.json())["sent"] == 1
        assert [m["text"]["content"] for m in wechat_api.sent_to(openid)] == ["【人工客服王芳】您好"]
        bad = await client.post("/seat/messages", data=b"not json", headers={"Authorization": f"Bearer {SECRET}"})
        assert bad.status == 400
    finally:
        await client.close()


async def test_without_a_secret_nothing_is_accepted(wechat_api, tmp_path):
    client, _ = await relay_client(wechat_api, tmp_path, secret="")
    try:
        response = await client.post("/seat/messages", json={"openid": "x", "messages": []},
                                     headers={"Authorization": "Bearer "})
        assert response.status == 503 and "HOTLINE_GATEWAY_SECRET" in (await response.json())["message"]
    finally:
        await client.close()


async def test_buttons_become_numbered_options_the_citizen_can_answer(wechat_api, tmp_path):
    client, gateway = await relay_client(wechat_api, tmp_path)
    try:
        openid = new_openid()
        messages = [{"text": "抱歉，人工客服正忙。", "buttons": [{"title": "登记工单，等工作人员回电", "payload": "/request_callback"},
                                                          {"title": "继续等候人工客服", "payload": "/request_human"}]}]
        response = await client.post("/seat/messages", json={"openid": openid, "messages": messages},
                                     headers={"Authorization": f"Bearer {SECRET}"})
        assert response.status == 200
        assert "回复1：登记工单，等工作人员回电" in wechat_api.sent_to(openid)[0]["text"]["content"]
        assert (await gateway.store.get(f"options:{openid}"))[0]["payload"] == "/request_callback"
    finally:
        await client.close()


async def test_a_refusal_by_wechat_is_reported(wechat_api, tmp_path):
    client, _ = await relay_client(wechat_api, tmp_path)
    try:
        wechat_api.appid = "someone-else"    # the token request now fails
        response = await client.post("/seat/messages", json={"openid": new_openid(), "messages": [{"text": "您好"}]},
                                     headers={"Authorization": f"Bearer {SECRET}"})
        assert response.status == 502
    finally:
        await client.close()
