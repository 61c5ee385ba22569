"""Holes 1 and 2 of the security review, on the citizens' web chat.

The page used to talk to Rasa's socket.io directly with a session id and channel metadata of its
own choosing: it could join another citizen's conversation, claim a WeChat openid, or receive a
seat's replies. Now the web server issues the session (a signed cookie) and proxies the socket;
Rasa's socket.io refuses anyone but that proxy, and its REST channel anyone but the gateways.
"""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import aiohttp
import pytest

from channels.web import identity
from tests.support.seats.socketio_client import SocketIOCitizen
from tests.support.conversation import rasa_api

pytestmark = pytest.mark.rasa


def tracker(rasa_url: str, sender: str) -> dict:
    with urllib.request.urlopen(rasa_api(f"{rasa_url}/conversations/{sender}/tracker"), timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def user_events(rasa_url: str, sender: str) -> list:
    return [e for e in tracker(rasa_url, sender)["events"] if e.get("event") == "user"]


async def _chat(web_url: str, **connect) -> SocketIOCitizen:
    return await SocketIOCitizen(web_url).connect(**connect)


def test_a_page_cannot_choose_whose_conversation_it_joins(web_url, rasa_url):
    async def scenario():
        victim = await _chat(web_url)
        await victim.say("我要投诉楼下烧烤摊太吵")
        await victim.wait_text("", 60)
        attacker = await _chat(web_url, ask_for=victim.session_id)
        try:
            assert attacker.session_id != victim.session_id and identity.is_session_id(attacker.session_id)
            # messages naming the victim's session, or a WeChat openid, land in the attacker's own
            await attacker.say("我的工单查询", session_id=victim.session_id)
            await attacker.say("转人工", session_id="wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M",
                               custom={"channel": "wechat", "openid": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"})
            await attacker.wait_text("", 60)
            await asyncio.sleep(2)
            return victim.session_id, attacker.session_id
        finally:
            await attacker.close()
            await victim.close()

    victim_id, attacker_id = asyncio.run(scenario())
    assert [e["text"] for e in user_events(rasa_url, victim_id)] == ["我要投诉楼下烧烤摊太吵"]
    said = user_events(rasa_url, attacker_id)
    assert [e["text"] for e in said][:2] == ["我的工单查询", "转人工"]
    assert all(e["metadata"].get("channel") == "web" and "openid" not in e["metadata"] for e in said), said
    assert user_events(rasa_url, "wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M") == []


def test_a_reload_keeps_the_conversation_and_new_conversation_starts_one(web_url):
    async def scenario():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            first = await _session_of(http, web_url)
            again = await _session_of(http, web_url)
            async with http.post(web_url + "session/new", headers={"Origin": web_url.rstrip("/")}) as r:
                assert r.status == 200
            fresh = await _session_of(http, web_url)
            return first, again, fresh

    first, again, fresh = asyncio.run(scenario())
    assert first == again and fresh != first


async def _session_of(http: aiohttp.ClientSession, web_url: str) -> str:
    async with http.get(web_url + "config.json") as response:
        assert response.status == 200
    ws = await http.ws_connect(web_url.replace("http", "ws", 1) + "socket.io/?EIO=4&transport=websocket")
    try:
        assert (await ws.receive_str(timeout=20)).startswith("0")
        await ws.send_str("40")
        await ws.send_str('42["session_request",{"session_id":null}]')
        while True:
            frame = await ws.receive_str(timeout=20)
            if frame.startswith('42["session_confirm"'):
                return json.loads(frame[2:])[1]
    finally:
        await ws.close()


@pytest.mark.parametrize("cookie", [None, "web-" + "0" * 32 + ".forged", "wechat:abc.123"])
def test_the_socket_needs_a_session_the_server_signed(web_url, cookie):
    async def scenario():
        headers = {"Cookie": f"{identity.COOKIE}={cookie}"} if cookie else {}
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(web_url.replace("http", "ws", 1) + "socket.io/?EIO=4&transport=websocket",
                                      headers=headers)
            return refused.value.status

    assert asyncio.run(scenario()) == 403


def test_rasas_own_socket_refuses_browsers(rasa_url):
    """Even reached directly (a DNS-rebinding page, a misconfigured proxy), Rasa's socket.io
    accepts only the web server's proxy, which signs each connection."""
    async def scenario():
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(rasa_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket")
            try:
                assert (await ws.receive_str(timeout=20)).startswith("0")
                await ws.send_str("40")
                return await ws.receive_str(timeout=20)
            finally:
                await ws.close()

    assert asyncio.run(scenario()).startswith("44")          # socket.io CONNECT_ERROR


def test_rasas_rest_channel_refuses_all_but_the_gateways(rasa_url):
    body = json.dumps({"sender": "wechat:o6_victim", "message": "查询我的工单"}).encode("utf-8")
    for headers in ({}, {"X-Hotline-Channel-Secret": "guessed"}):
        request = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json", **headers})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
    assert user_events(rasa_url, "wechat:o6_victim") == []


@pytest.mark.parametrize("headers,status", [
    ({"Host": "evil.example:8080"}, 421),                        # DNS rebinding
    ({"Origin": "http://evil.example"}, 403),                    # another site's page
])
def test_other_sites_get_nothing(web_url, headers, status):
    request = urllib.request.Request(web_url + "session/new", data=b"", method="POST", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == status


def test_the_socket_refuses_another_sites_page(web_url):
    async def scenario():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(web_url + "config.json"):
                pass
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(web_url.replace("http", "ws", 1) + "socket.io/?EIO=4&transport=websocket",
                                      origin="http://evil.example")
            return refused.value.status

    assert asyncio.run(scenario()) == 403


def test_the_gateways_refuse_a_name_they_do_not_serve(stack, gateway):
    """DNS rebinding against the voice gateway (the page's voice button) and the WeChat gateway."""
    for url in (f"http://127.0.0.1:{stack.ports.voice}/healthz", gateway.url):
        request = urllib.request.Request(url, headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 421, url
