"""Hole 9 of the security review: WeChat safe mode could be downgraded.

The gateway decided between plain and encrypted by the request's own `encrypt_type`, so a request
without it skipped decryption: a plain body under a replayed plain signature (the signature covers
only token, timestamp and nonce) forged a message from any openid. With an AES key configured the
gateway now refuses plain messages unless WECHAT_ALLOW_PLAIN says the account is being switched.
"""
from __future__ import annotations

import pytest

from tests.support.wechat.dialogue import user_messages
from tests.support.wechat.wechat_side import Citizen, WeChatServer

pytestmark = pytest.mark.rasa


def test_a_plain_message_is_refused_when_safe_mode_is_configured(launch, stack):
    gateway = launch("safe-only", WECHAT_ALLOW_PLAIN="0")
    server = WeChatServer(gateway.url)
    forger = Citizen(server, safe=False)
    reply = forger.say("查询我的工单")
    assert reply.status == 403
    assert user_messages(stack.rasa_url, forger.openid) == []          # nothing reached the assistant
    # WeChat's own (encrypted) messages still get through
    citizen = Citizen(server, safe=True)
    assert citizen.say("你好").status == 200
    assert [e["text"] for e in user_messages(stack.rasa_url, citizen.openid)] == ["你好"]
    assert "plain message while safe mode is configured" in gateway.log_path.read_text(encoding="utf-8")
