"""What is checked before a request may reach the assistant: signature, freshness, size, XML.

The signature is wechatpy's (sha1 of the sorted token, timestamp and nonce; in safe mode also the
msg_signature over the Encrypt field, checked by WeChatCrypto). Timestamps outside a window are
refused so that a captured request cannot be replayed later. XML goes through defusedxml first:
no DTD, no entities, no external references, bounded depth and size, before wechatpy parses it.
"""
from __future__ import annotations

import time
from typing import Mapping, Optional, Tuple

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import check_signature
from xml.etree.ElementTree import Element, ParseError

MAX_DEPTH = 4          # <xml><ScanCodeInfo><ScanResult> is the deepest WeChat sends
MAX_ELEMENTS = 200


class RequestRefused(Exception):
    """A request the gateway refuses; status is the HTTP status to answer with."""

    status = 400

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Forbidden(RequestRefused):
    status = 403


class TooLarge(RequestRefused):
    status = 413


class Malformed(RequestRefused):
    status = 400


def verify_request(token: str, query: Mapping[str, str], window: float, now: Optional[float] = None) -> None:
    """Signature first, then freshness; both refuse with 403."""
    signature, timestamp, nonce = query.get("signature"), query.get("timestamp"), query.get("nonce")
    if not (signature and timestamp and nonce):
        raise Forbidden("missing signature, timestamp or nonce")
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        raise Forbidden("bad signature") from None
    check_fresh(timestamp, window, now)


def check_fresh(timestamp: str, window: float, now: Optional[float] = None) -> None:
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        raise Forbidden("timestamp is not a number") from None
    now = time.time() if now is None else now
    if abs(now - sent) > window:
        raise Forbidden("timestamp outside the accepted window (replay?)")


def check_xml(body: bytes, max_bytes: int) -> Tuple[str, Element]:
    """The body as text and as a tree, if it is one small, entity-free <xml> document."""
    if len(body) > max_bytes:
        raise TooLarge("body too large")
    if not body.strip():
        raise Malformed("empty body")
    try:
        root = defused_fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise Malformed("DTD, entity or external reference in XML") from None
    except (ParseError, ValueError, UnicodeError):
        raise Malformed("malformed XML") from None
    if root.tag != "xml":
        raise Malformed("root element is not <xml>")
    count = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_ELEMENTS:
            raise Malformed("XML too deep or too many elements")
        stack.extend((child, depth + 1) for child in element)
    try:
        return body.decode("utf-8"), root
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8") from None


def require_fields(root: Element, *names: str) -> None:
    """The elements wechatpy needs must be there and flat (it fails on anything else)."""
    for name in names:
        element = root.find(name)
        if element is None or len(element) or not (element.text or "").strip():
            raise Malformed(f"<{name}> missing or not plain text")
