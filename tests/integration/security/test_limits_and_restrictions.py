"""Hole 5 of the security review: no limits anywhere, and no way to restrict an abusive caller.

Each limit (settings/limits.yml) is driven past its figure against running processes, with small
figures set the way a deployment sets its own (HOTLINE_LIMIT_<NAME>=count/seconds); the restriction
list (seed 004) is exercised through the staff API and met on WeChat and the web page.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo
import json
import urllib.request

import aiohttp
import pytest
import requests
from yarl import URL

from bot.tickets.store import TicketDraft
from tests.support.seats.fixtures import start_web
from tests.support.seats.fakes import TOKENS
from tests.support.seats.socketio_client import SocketIOCitizen
from tests.support.conversation import Conversation, rasa_api
from tests.support.wechat.dialogue import user_messages
from tests.support.wechat.wechat_side import Citizen, WeChatServer

pytestmark = pytest.mark.rasa


@pytest.fixture
def strict_web(stack, stack_database_url, tmp_path, staff_tokens_file):
    """A web server of the stack with small limits of its own."""
    web = start_web({"HOTLINE_RASA_URL": stack.rasa_url, "HOTLINE_DATABASE_URL": stack_database_url,
                     "HOTLINE_STAFF_TOKENS_FILE": str(staff_tokens_file),
                     "HOTLINE_LIMIT_MESSAGE_PER_SENDER": "3/60",
                     "HOTLINE_LIMIT_SESSION_PER_ADDRESS": "3/3600"}, tmp_path)
    yield web
    web.stop()


def said_to_rasa(rasa_url: str, sender: str) -> list:
    with urllib.request.urlopen(rasa_api(f"{rasa_url}/conversations/{sender}/tracker"), timeout=30) as r:
        return [e["text"] for e in json.loads(r.read())["events"] if e.get("event") == "user"]


def test_a_web_citizen_sending_too_fast_is_told_to_wait(strict_web, rasa_url):
    async def scenario():
        citizen = await SocketIOCitizen(strict_web.url).connect()
        try:
            for n in range(4):
                await citizen.say(f"第{n}条消息")
                await asyncio.sleep(0.3)
            await citizen.wait_text("过于频繁", 30)
            await asyncio.sleep(2)
            return citizen.session_id
        finally:
            await citizen.close()

    session = asyncio.run(scenario())
    assert said_to_rasa(rasa_url, session) == ["第0条消息", "第1条消息", "第2条消息"]


def test_one_address_cannot_make_sessions_without_end(strict_web):
    statuses = []
    for _ in range(4):
        response = requests.get(strict_web.url + "/config.json", timeout=10)    # no cookie: a new session each
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]
    assert "新建对话过于频繁" in response.text


def test_the_last_four_digits_cannot_be_guessed(rasa_url, ticket_store_of_stack):
    owner = Conversation(rasa_url)
    opened = ticket_store_of_stack.open_ticket(TicketDraft(
        request_type="complain", text="楼下烧烤摊扰民", channel="test", sender_id=owner.sender,
        contact_phone="13912345678"), request_key=f"{owner.sender}:guess")
    guesser = Conversation(rasa_url)
    answers = []
    for guess in ("0000", "1111", "2222", "3333", "4444", "5678"):       # the sixth is right
        guesser.say(f"查询工单{opened.number}")
        answers.append(guesser.say(guess))
    # Each wrong guess is refused (asked again, or not found) and shows nothing of the ticket.
    assert all("不一致" in a or "没有找到" in a for a in answers[:5]), answers
    assert not any("答复期限" in a for a in answers[:5])
    assert "验证次数过多" in answers[5] and opened.number not in answers[5]


@pytest.fixture
def staff(seat_web):
    def call(who: str, method: str, path: str, body=None) -> requests.Response:
        return requests.request(method, f"{seat_web.url}/api{path}", json=body, timeout=30,
                                headers={"Authorization": f"Bearer {TOKENS[who]}"})
    return call


def test_a_restricted_wechat_user_is_told_until_when(staff, seat_gateway, stack):
    citizen = Citizen(WeChatServer(seat_gateway.url))
    made = staff("王芳", "POST", "/restrictions", {"kind": "openid", "value": citizen.openid,
                                                    "reason": "多次辱骂话务员", "days": 7})
    assert made.status_code == 201, made.text
    # The hotline speaks in its own time zone (settings: Asia/Shanghai), not the test machine's:
    # between 16:00 and 24:00 UTC the two dates differ.
    until = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=7)
    reply = citizen.say("你好")
    assert "限制使用本热线服务至" in reply.content and f"{until.month}月{until.day}日" in reply.content
    assert user_messages(stack.rasa_url, citizen.openid) == []                  # the assistant never saw it
    assert staff("王芳", "POST", f"/restrictions/{made.json()['id']}/lift", {"reason": "误操作"}).status_code == 200
    assert "限制使用" not in citizen.say("你好").content


def test_a_restricted_web_session_is_not_connected(staff, web_url):
    web = web_url.rstrip("/")

    async def scenario():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            citizen = await SocketIOCitizen(web).connect()
            session_id = citizen.session_id
            http.cookie_jar.update_cookies(citizen._http.cookie_jar.filter_cookies(URL(web)))
            await citizen.close()
            made = staff("王芳", "POST", "/restrictions", {"kind": "web", "value": session_id,
                                                            "reason": "反复发送骚扰信息", "days": 1})
            assert made.status_code == 201, made.text
            async with http.get(web + "/config.json") as response:
                config = await response.json()
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(web.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket")
            return config, refused.value.status

    config, status = asyncio.run(scenario())
    assert "限制使用" in config["restricted"] and status == 403
