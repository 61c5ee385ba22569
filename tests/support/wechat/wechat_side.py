"""Requests built the way WeChat's servers build them, signed with wechatpy's own signer and, in
safe mode, encrypted with wechatpy's WeChatCrypto; and the gateway's replies read back the same way.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, Optional

import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

TOKEN = "hotline-test-token"
APPID = "wx0123456789abcdef"
APPSECRET = "test-app-secret-0123456789abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"   # 43 characters, like EncodingAESKey
ACCOUNT = "gh_0123456789ab"


def sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def new_openid() -> str:
    return "oTest" + uuid.uuid4().hex[:23]


def cdata(value: str) -> str:
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def message_xml(openid: str, msg_type: str, fields: Dict[str, str], msg_id: Optional[int] = None,
                create_time: Optional[int] = None) -> str:
    parts = [f"<ToUserName>{cdata(ACCOUNT)}</ToUserName>", f"<FromUserName>{cdata(openid)}</FromUserName>",
             f"<CreateTime>{create_time or int(time.time())}</CreateTime>", f"<MsgType>{cdata(msg_type)}</MsgType>"]
    parts += [f"<{name}>{cdata(value) if not str(value).isdigit() else value}</{name}>" for name, value in fields.items()]
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


def new_msg_id() -> int:
    return int(uuid.uuid4().int % 10**19)


@dataclass
class Reply:
    status: int
    body: str
    safe: bool = False
    fields: Dict[str, str] = field(default_factory=dict)

    @property
    def content(self) -> str:
        return self.fields.get("Content", "")

    @property
    def is_success(self) -> bool:
        return self.status == 200 and self.body.strip() == "success"


@dataclass
class WeChatServer:
    """WeChat's side of the conversation with the gateway at `url` (…/wechat)."""
    url: str
    token: str = TOKEN
    appid: str = APPID
    aes_key: str = AES_KEY
    timeout: float = 60

    @property
    def crypto(self) -> WeChatCrypto:
        return WeChatCrypto(self.token, self.aes_key, self.appid)

    def signed_query(self, timestamp: Optional[int] = None, nonce: Optional[str] = None) -> Dict[str, str]:
        timestamp = str(timestamp if timestamp is not None else int(time.time()))
        nonce = nonce or uuid.uuid4().hex[:10]
        return {"signature": sign(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                "openid": "ignored-by-gateway"}

    def verify(self, echostr: str = "echo-123", **overrides) -> requests.Response:
        query = dict(self.signed_query(), echostr=echostr)
        query.pop("openid")
        query.update(overrides)
        return requests.get(self.url, params=query, timeout=self.timeout)

    def post_raw(self, body: bytes, query: Optional[Dict[str, str]] = None, **overrides) -> requests.Response:
        query = dict(query or self.signed_query())
        query.update(overrides)
        return requests.post(self.url, params=query, data=body, timeout=self.timeout,
                             headers={"Content-Type": "text/xml"})

    def post(self, xml: str, safe: bool = False, timestamp: Optional[int] = None) -> Reply:
        query = self.signed_query(timestamp=timestamp)
        if safe:
            envelope = xmltodict.parse(self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
            query.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"])
            body = (f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName>"
                    f"<Encrypt>{cdata(envelope['Encrypt'])}</Encrypt></xml>")
        else:
            body = xml
        response = self.post_raw(body.encode("utf-8"), query)
        return self.read(response, safe)

    def read(self, response: requests.Response, safe: bool) -> Reply:
        reply = Reply(response.status_code, response.text, safe)
        if response.status_code != 200 or reply.is_success or not response.text.strip():
            return reply
        xml = response.text
        if safe:
            envelope = xmltodict.parse(xml)["xml"]
            xml = self.crypto.decrypt_message(xml, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
        reply.fields = dict(xmltodict.parse(xml)["xml"])
        return reply


@dataclass
class Citizen:
    """One WeChat user (openid) talking to the official account."""
    server: WeChatServer
    openid: str = field(default_factory=new_openid)
    safe: bool = False

    def say(self, text: str, msg_id: Optional[int] = None) -> Reply:
        return self.send("text", {"Content": text}, msg_id=msg_id if msg_id is not None else new_msg_id())

    def send(self, msg_type: str, fields: Dict[str, str], msg_id: Optional[int] = None,
             create_time: Optional[int] = None) -> Reply:
        return self.server.post(message_xml(self.openid, msg_type, fields, msg_id, create_time), safe=self.safe)

    def event(self, event: str, create_time: Optional[int] = None, **fields: str) -> Reply:
        return self.send("event", dict({"Event": event}, **fields), create_time=create_time)
