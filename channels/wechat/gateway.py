"""The gateway's core: each message once, the five-second rule, and talking to the assistant.

WeChat waits five seconds for the passive reply. A message's handler runs as a task; the gateway
waits for it until the reply budget (default 4 s from the request's arrival) runs out. In time:
the answer goes back in the passive reply. Too slow (or longer than one WeChat message): the
gateway answers "success" at once and the task, when done, delivers the answer through the
customer-service API.
"""
from __future__ import annotations

import asyncio
import logging
import time
import traceback
from typing import Optional, Set

from wechatpy.crypto import WeChatCrypto

from bot.limits import Refusal, process_limits
from bot.restrictions import checks as restrictions
from bot.settings import hotline_settings
from channels.wechat import replies
from channels.wechat.assistant import Assistant, AssistantUnavailable, sender_id
from channels.wechat.config import WeChatConfig
from channels.wechat.customer_service import CustomerService, DeliveryFailed
from channels.wechat.dedupe import ANSWERED, Deduplicator, message_key
from channels.wechat.handlers import handler_for, kind_of
from channels.wechat.media import MediaKeeper, Recognizer
from channels.wechat.state import StateStore, TokenStorage, make_state_store, make_token_storage

logger = logging.getLogger("channels.wechat")

OPTIONS_TTL = 24 * 3600
BUSY = "抱歉，系统繁忙，暂时无法处理您的消息。请稍后再试，或直接拨打{hotline}热线。"


def mask_openid(openid: str) -> str:
    openid = openid or ""
    return (openid[:6] + "****") if len(openid) > 6 else "****"


def refusal_for(openid: str) -> Optional[str]:
    """What an openid is told instead of an answer: restricted (seed 004), or sending too fast."""
    restricted = restrictions.refusal((restrictions.OPENID,), openid)
    if restricted:
        return restricted
    try:
        process_limits().hit("message_per_sender", sender_id(openid))
    except Refusal as refusal:
        return str(refusal)
    return None


class Gateway:
    def __init__(self, config: WeChatConfig, store: Optional[StateStore] = None,
                 tokens: Optional[TokenStorage] = None, assistant: Optional[Assistant] = None,
                 recognizer: Optional[Recognizer] = None):
        self.config = config
        self.store = store or make_state_store(config.redis_url, config.state_prefix)
        self.tokens = tokens or make_token_storage(config.redis_url, config.state_prefix)
        self.dedupe = Deduplicator(self.store, processing_ttl=config.rasa_timeout + 60, done_ttl=config.dedupe_ttl)
        self.assistant = assistant or Assistant(config.rasa_url, config.rasa_timeout)
        self.service = CustomerService(config, self.tokens)
        self.media = MediaKeeper(config.media_dir, self.service, self.store, config.max_media_bytes, recognizer)
        self.crypto = WeChatCrypto(config.token, config.aes_key, config.appid) if config.safe_mode_ready else None
        self._tasks: Set[asyncio.Task] = set()

    # -- one message -------------------------------------------------------------------------

    async def respond(self, message, deadline: float) -> Optional[str]:
        """The passive reply's text, or None for "success". `deadline` is on time.monotonic()."""
        openid, kind = message.source, kind_of(message)
        key = message_key(message._data)
        if key is not None:
            try:
                claim = await self.dedupe.claim(key)
            except Exception as exc:   # the shared store is down: say so rather than risk doing it twice
                logger.error("state store unavailable (%s): message not processed", type(exc).__name__)
                return self._busy()
            if not claim.owner:
                try:
                    outcome = await self.dedupe.outcome(key, deadline - time.monotonic())
                except Exception as exc:
                    logger.error("state store unavailable (%s) while a retry waited", type(exc).__name__)
                    return None
                logger.info("retry of %s from %s: %s", kind, mask_openid(openid), outcome["state"])
                return outcome["reply"] if outcome["state"] == ANSWERED else None
        task = asyncio.create_task(self._run(message))
        self._keep(task)
        try:
            text = await asyncio.wait_for(asyncio.shield(task), timeout=max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            await self._note(self.dedupe.deferred, key)
            self._keep(asyncio.create_task(self._deliver_later(openid, task)))
            logger.info("%s from %s: slow, answering later by customer-service message", kind, mask_openid(openid))
            return None
        pieces = replies.split(text or "")
        if len(pieces) > 1:
            await self._note(self.dedupe.deferred, key)
            self._keep(asyncio.create_task(self._send(openid, pieces)))
            logger.info("%s from %s: long answer, %d customer-service messages", kind, mask_openid(openid), len(pieces))
            return None
        reply = pieces[0] if pieces else None
        await self._note(self.dedupe.answered, key, reply or "")
        logger.info("%s from %s: passive reply", kind, mask_openid(openid))
        return reply

    @staticmethod
    async def _note(record, key: Optional[str], *args) -> None:
        """Record a message's outcome for its retries; a store failure must not lose the answer."""
        if key is None:
            return
        try:
            await record(key, *args)
        except Exception as exc:
            logger.error("could not record the outcome of a message (%s)", type(exc).__name__)

    async def _run(self, message) -> Optional[str]:
        refused = await asyncio.to_thread(refusal_for, getattr(message, "source", "") or "")
        if refused:
            return refused
        try:
            return await handler_for(message)(self, message)
        except AssistantUnavailable as exc:
            logger.error("assistant unavailable: %s", exc)
        except Exception as exc:
            # The exception's message may quote what the citizen wrote: log its type and where.
            where = "".join(traceback.format_tb(exc.__traceback__, limit=-3)).strip()
            logger.error("handling a %s message failed: %s\n%s", kind_of(message), type(exc).__name__, where)
        return self._busy()

    @staticmethod
    def _busy() -> str:
        return BUSY.format(hotline=hotline_settings().hotline_number)

    async def _deliver_later(self, openid: str, task: "asyncio.Task[Optional[str]]") -> None:
        text = await task
        await self._send(openid, replies.split(text or ""))

    async def _send(self, openid: str, pieces) -> None:
        if not pieces:
            return
        try:
            await self.service.send_text(openid, pieces)
            logger.info("delivered %d customer-service message(s) to %s", len(pieces), mask_openid(openid))
        except DeliveryFailed as exc:
            logger.error("could not deliver the answer to %s: %s", mask_openid(openid), exc)

    def _keep(self, task: asyncio.Task) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the assistant -----------------------------------------------------------------------

    async def converse(self, openid: str, text: str) -> str:
        """Send what the citizen said (a numbered choice becomes its payload) with the images
        waiting for the ticket; remember the options offered; note a newly opened ticket."""
        options = [replies.Option.from_dict(o) for o in (await self.store.get(f"options:{openid}") or [])]
        said = replies.choose(text, options) or text
        attachments = await self.media.pending(openid)
        metadata = {"attachments": attachments} if attachments else {}
        rendered = replies.render(await self.assistant.ask(openid, said, metadata))
        if rendered.options:
            await self.store.set(f"options:{openid}", [o.as_dict() for o in rendered.options], OPTIONS_TTL)
        else:
            await self.store.delete(f"options:{openid}")
        if attachments:
            number = rendered.opened_ticket()
            if number:
                await self.media.attach(openid, number, attachments)
            elif rendered.cancelled_draft():
                await self.media.discard(openid, attachments)
        return rendered.text

    # -- lifecycle ---------------------------------------------------------------------------

    async def close(self, grace: float = 10.0) -> None:
        """Let answers still on their way go out (up to `grace` seconds), then close clients."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace)
        await self.assistant.close()
        await self.store.close()
