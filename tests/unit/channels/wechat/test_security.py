"""Signature, freshness and XML checks, in-process."""
import time

import pytest

from channels.wechat import security
from tests.support.wechat.wechat_side import TOKEN, message_xml, sign


def query(timestamp=None, nonce="n0nce", token=TOKEN):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}


def test_a_request_signed_like_wechat_passes():
    assert security.verify_request(TOKEN, query(), window=300) is None     # no RequestRefused raised
    with pytest.raises(security.RequestRefused):                          # and the same check can refuse
        security.verify_request(TOKEN, dict(query(), signature="0" * 40), window=300)


@pytest.mark.parametrize("bad", [
    query(token="other-token"),
    dict(query(), nonce="changed"),
    {"timestamp": "1", "nonce": "x"},
    {},
])
def test_bad_or_missing_signatures_are_forbidden(bad):
    with pytest.raises(security.Forbidden):
        security.verify_request(TOKEN, bad, window=300)


def test_stale_and_far_future_timestamps_are_forbidden():
    now = time.time()
    for timestamp in (int(now) - 301, int(now) + 301):
        with pytest.raises(security.Forbidden, match="window"):
            security.verify_request(TOKEN, query(timestamp), window=300, now=now)
    with pytest.raises(security.Forbidden):
        security.check_fresh("yesterday", 300)


def test_a_wechat_message_passes_the_xml_check():
    text, root = security.check_xml(message_xml("oAbc", "text", {"Content": "你好"}, 1).encode(), 65536)
    assert "你好" in text and root.find("Content").text == "你好"
    security.require_fields(root, "ToUserName", "FromUserName", "CreateTime", "MsgType")


@pytest.mark.parametrize("body, error", [
    (b"x" * 70000, security.TooLarge),
    (b"", security.Malformed),
    (b"<xml><a>", security.Malformed),
    (b'<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]><xml><Content>&a;&a;</Content></xml>', security.Malformed),
    (b'<!DOCTYPE xml SYSTEM "http://example.org/x.dtd"><xml/>', security.Malformed),
    (b"<xml>" + b"<a>" * 6 + b"</a>" * 6 + b"</xml>", security.Malformed),
    (b"<xml>" + b"<a>1</a>" * 300 + b"</xml>", security.Malformed),
    (b"<root><a>1</a></root>", security.Malformed),
    ("<xml><a>\u4f60</a></xml>".encode("gbk"), security.Malformed),
])
def test_dangerous_or_broken_xml_is_refused(body, error):
    with pytest.raises(error):
        security.check_xml(body, 65536)


def test_nested_or_empty_required_fields_are_refused():
    _, root = security.check_xml(b"<xml><MsgType><b>text</b></MsgType><FromUserName> </FromUserName></xml>", 65536)
    with pytest.raises(security.Malformed):
        security.require_fields(root, "MsgType")
    with pytest.raises(security.Malformed):
        security.require_fields(root, "FromUserName")
