"""What each kind of WeChat message gets: a registry of handlers keyed by message type
("text", "image", ...) or "event:<event>" ("event:subscribe", "event:click", ...).

A handler returns the text to send (passively or, when slow, by the customer-service API), or
None when nothing should be said (WeChat then gets "success").
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Awaitable, Callable, Dict, Optional

from bot.settings import hotline_settings
from channels.wechat.customer_service import DeliveryFailed
from channels.wechat.media import NotAnImage

if TYPE_CHECKING:
    from channels.wechat.gateway import Gateway

logger = logging.getLogger(__name__)

Handler = Callable[["Gateway", object], Awaitable[Optional[str]]]
HANDLERS: Dict[str, Handler] = {}

VOICE_NOT_UNDERSTOOD = ("抱歉，目前还听不懂语音消息。请用文字描述您的诉求（例如“小区路灯坏了”），"
                        "或直接拨打{hotline}热线。")
UNSUPPORTED = ("抱歉，这里暂时只能处理文字、图片和语音消息。请用文字描述您的诉求，"
               "需要提交证据可以直接发送图片；也可以拨打{hotline}热线。")
UNKNOWN_MENU = "这个菜单暂未开通。请直接用文字告诉我您要办理的事情。"


def handles(*kinds: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for kind in kinds:
            HANDLERS[kind] = handler
        return handler
    return register


def kind_of(message) -> str:
    if message.type == "event":
        return f"event:{getattr(message, 'event', '') or message._data.get('Event', '')}".lower()
    return message.type


def handler_for(message) -> Handler:
    kind = kind_of(message)
    if kind in HANDLERS:
        return HANDLERS[kind]
    return on_other_event if kind.startswith("event:") else on_unsupported


def welcome_text() -> str:
    s = hotline_settings()
    return (f"您好，欢迎关注{s.city}{s.service_name}！我是智能助手，7×24小时在线，可以帮您：\n"
            "1. 咨询政策和办事流程；\n"
            "2. 反映求助、投诉、举报和意见建议，并登记工单转交承办部门；\n"
            "3. 凭工单编号查询办理进度。\n"
            "直接发送文字描述您的诉求即可，也可以发送图片作为证据。"
            f"需要人工服务请回复“转人工”或拨打{s.hotline_number}。\n"
            "遇到火灾、治安、急病、交通事故等紧急情况，请立即拨打119、110、120、122。")


@handles("text")
async def on_text(gateway: "Gateway", message) -> Optional[str]:
    content = (message.content or "").strip()
    if not content:
        return "请用文字说说您要办理的事情。"
    return await gateway.converse(message.source, content)


@handles("voice")
async def on_voice(gateway: "Gateway", message) -> Optional[str]:
    text = (message.recognition or "").strip()
    if not text:
        try:
            text = (await gateway.media.transcribe(message.media_id, message.format or "amr") or "").strip()
        except DeliveryFailed as exc:
            logger.warning("voice download failed: %s", exc)
            text = ""
    if not text:
        return VOICE_NOT_UNDERSTOOD.format(hotline=hotline_settings().hotline_number)
    reply = await gateway.converse(message.source, text)
    return f"（语音识别：{text}）\n{reply}" if reply else reply


@handles("image")
async def on_image(gateway: "Gateway", message) -> Optional[str]:
    try:
        reference = await gateway.media.keep_image(message.source, str(message._data.get("MsgId", "")), message.media_id)
    except NotAnImage:
        return "收到的内容不是可识别的图片，请发送照片或截图。"
    except DeliveryFailed as exc:
        logger.warning("image download failed: %s", exc)
        return "图片暂时没能保存，请稍后重新发送；也可以先用文字描述情况。"
    return (f"已收到图片（第{reference['count']}张），提交诉求时会作为证据一并附上。"
            "请继续回答刚才的问题，或接着描述您的诉求。")


@handles("location")
async def on_location(gateway: "Gateway", message) -> Optional[str]:
    label = (message._data.get("Label") or "").strip()
    if not label:
        return "收到了位置，但没有地址信息。请用文字告诉我具体地点（区、街道、小区或门牌号）。"
    return await gateway.converse(message.source, label)


@handles("event:subscribe", "event:subscribe_scan")
async def on_subscribe(gateway: "Gateway", message) -> Optional[str]:
    return welcome_text()


@handles("event:click")
async def on_click(gateway: "Gateway", message) -> Optional[str]:
    said = gateway.config.menu_keys.get(str(message._data.get("EventKey") or ""))
    if not said:
        return UNKNOWN_MENU
    return await gateway.converse(message.source, said)


async def on_other_event(gateway: "Gateway", message) -> Optional[str]:
    """unsubscribe, view (menu link), location reports, template results...: nothing to say."""
    return None


async def on_unsupported(gateway: "Gateway", message) -> Optional[str]:
    return UNSUPPORTED.format(hotline=hotline_settings().hotline_number)
