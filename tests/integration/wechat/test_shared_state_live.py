"""Several gateway processes sharing Redis (HOTLINE_REDIS_URL): a message retried to different
processes reaches the assistant once, options and claims survive a restart, and all processes use
one access token."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from channels.wechat.assistant import sender_id
from tests.support.wechat.standin import WeChatApiStandIn
from tests.support.wechat.dialogue import COMPLAINT, TICKET, answer_until_summary, user_messages
from tests.support.wechat.wechat_side import APPID, APPSECRET, Citizen, WeChatServer, message_xml, new_msg_id, new_openid

pytestmark = pytest.mark.rasa


@pytest.fixture
def redis_env(redis_server_url, redis_prefix):
    return {"HOTLINE_REDIS_URL": f"{redis_server_url}/0", "WECHAT_STATE_PREFIX": redis_prefix}


def test_two_gateways_on_redis_see_a_retried_confirmation_once(launch, stack, redis_env, ticket_store_of_stack):
    first, second = launch("redis-a", **redis_env), launch("redis-b", **redis_env)
    citizen = Citizen(WeChatServer(first.url))
    answer_until_summary(citizen, citizen.say(COMPLAINT))
    # WeChat retries the confirmation; the tries land on both processes, two at a time.
    xml = message_xml(citizen.openid, "text", {"Content": "1"}, new_msg_id())
    servers = [WeChatServer(first.url), WeChatServer(second.url)] * 2
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(lambda server: server.post(xml), servers))
    assert all(r.status == 200 for r in replies)
    numbers = {TICKET.search(r.content).group(1) for r in replies if not r.is_success}
    assert len(numbers) == 1     # "1" was read as 确认提交 by whichever process got it: options are shared
    assert len(ticket_store_of_stack.list(limit=1000, sender_id=sender_id(citizen.openid))) == 1
    assert len([e for e in user_messages(stack.rasa_url, citizen.openid) if e["text"] == "/affirm"]) == 2

    # A restarted process still knows the message.
    first.stop()
    restarted = launch("redis-a-again", **redis_env)
    again = WeChatServer(restarted.url).post(xml)
    assert again.status == 200 and (again.is_success or TICKET.search(again.content))
    assert len([e for e in user_messages(stack.rasa_url, citizen.openid) if e["text"] == "/affirm"]) == 2


def test_a_plain_message_sent_to_two_processes_at_once_is_processed_once(launch, stack, redis_env):
    first, second = launch("redis-c", **redis_env), launch("redis-d", **redis_env)
    openid = new_openid()
    xml = message_xml(openid, "text", {"Content": "路灯坏了好几天了"}, new_msg_id())
    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda url: WeChatServer(url).post(xml), [first.url, second.url] * 3))
    assert all(r.status == 200 for r in replies)
    answered = {r.content for r in replies if not r.is_success}
    assert len(answered) == 1
    assert len(user_messages(stack.rasa_url, openid)) == 1


def test_processes_share_one_access_token(launch, redis_env):
    api = WeChatApiStandIn(APPID, APPSECRET).start()
    try:
        env = dict(redis_env, WECHAT_REPLY_BUDGET="0.001")
        gateways = [launch("token-a", api=api, **env), launch("token-b", api=api, **env)]
        people = [Citizen(WeChatServer(g.url)) for g in gateways]
        for round_number in range(1, 3):
            for person in people:
                assert person.say("你好").is_success
                assert api.wait_until(lambda: len(api.sent_to(person.openid)) >= round_number, 60)
        assert api.token_request_count() == 1
        assert len({m["access_token"] for m in api.records.sent}) == 1
        # WeChat revokes the token (40001): one process fetches a new one and both go on with it.
        api.revoke_tokens()
        for person in people:
            assert person.say("谢谢").is_success
            assert api.wait_until(lambda: len(api.sent_to(person.openid)) >= 3, 60)
        assert api.token_request_count() == 2
        assert len(api.records.rejected) >= 1
    finally:
        api.stop()
