"""Knowledge-base upkeep in the staff API (bot/knowledge/editorial): departments propose, the office
reviews and publishes, the office sees what the assistant could not answer.

    GET  /api/kb/entries?department=&q=        entries with owner, review-by, stale (handlers: own)
    GET  /api/kb/entries/{id}                  one entry with its published versions and proposals
    POST /api/kb/proposals                     a new entry or a change (handlers: own department only)
    GET  /api/kb/proposals?status=             with the diff against the current entry
    POST /api/kb/proposals/{id}/approve        publish: YAML file, history, index (office)
    POST /api/kb/proposals/{id}/refuse         {"reason"} (office)
    GET  /api/kb/stale                         past review-by or valid_until (handlers: own)
    GET  /api/kb/unanswered?from=&to=          unanswered questions grouped, nearest entry (office)
    POST /api/kb/proposals/from-seat           {"queue_id"}: a draft from a seat's answer (office)

Publishing writes files and encodes text, so everything runs off the event loop.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional

from aiohttp import web

from bot.knowledge.editorial import Editor, Editorial, EditorialError
from bot.knowledge.editorial import from_seat, unanswered
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.settings import KBSettings, load_settings
from bot.office.service_log import UNANSWERED, ServiceLog
from channels.staff.api.auth import require
from channels.staff.api.context import context_of
from channels.staff.api.errors import ApiError, json_response
from channels.staff.api.params import _json_object, bad_request, period_params
from channels.staff.api.staff import OFFICE, StaffMember

BODY_BYTES = 32 * 1024            # an answer of 2,000 characters with its phrasings, in UTF-8
MAX_DAYS = 366
_STATUS = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409}
Tracker = Callable[[str], Awaitable[Dict[str, Any]]]


async def _rasa_tracker(sender_id: str) -> Dict[str, Any]:
    from channels.rasa_client import RasaClient
    client = RasaClient()
    try:
        return await client.tracker(sender_id)
    finally:
        await client.close()


def _open_kb(settings: KBSettings):
    from bot.knowledge.service import KnowledgeBase
    return KnowledgeBase.open(settings)


@dataclass
class KnowledgeDesk:
    """What the knowledge routes share; tests give their own settings and tracker source."""
    settings: Optional[KBSettings] = None
    tracker: Tracker = _rasa_tracker
    open_kb: Callable[[KBSettings], Any] = _open_kb
    _kb: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def kb_settings(self) -> KBSettings:
        if self.settings is None:
            self.settings = load_settings()
        return self.settings

    def knowledge_base(self):
        """Opened once, then reopened only when the sources or the index changed (publishing)."""
        with self._lock:
            self._kb = self.open_kb(self.kb_settings()) if self._kb is None else self._kb.refreshed()
            return self._kb


DESK_KEY = web.AppKey("hotline_kb_desk", KnowledgeDesk)


def add_routes(api: web.Application, desk: Optional[KnowledgeDesk] = None) -> None:
    api[DESK_KEY] = desk or KnowledgeDesk()
    api.router.add_get("/kb/entries", list_entries)
    api.router.add_get("/kb/entries/{id}", show_entry)
    api.router.add_get("/kb/proposals", list_proposals)
    api.router.add_post("/kb/proposals", propose)
    api.router.add_post("/kb/proposals/from-seat", from_seat_draft)
    api.router.add_post("/kb/proposals/{id}/approve", approve)
    api.router.add_post("/kb/proposals/{id}/refuse", refuse)
    api.router.add_get("/kb/stale", stale)
    api.router.add_get("/kb/unanswered", list_unanswered)


# --- helpers ------------------------------------------------------------------------------

def _editor(member: StaffMember) -> Editor:
    return Editor(member.actor, member.scope, reviewer=member.role == OFFICE)


def _desk(request: web.Request) -> KnowledgeDesk:
    return request.app[DESK_KEY]


def _editorial(request: web.Request) -> Editorial:
    store = context_of(request).store()
    return Editorial(store.engine, _desk(request).kb_settings(), clock=store.clock, timezone=store.zone)


async def _run(request: web.Request, work: Callable[[Editorial], Any]) -> Any:
    """Off the event loop, with the domain's refusals as the API's errors."""
    def call():
        return work(_editorial(request))
    try:
        return await asyncio.to_thread(call)
    except EditorialError as exc:
        raise ApiError(_STATUS[exc.kind], f"kb_{exc.kind}", exc.message) from None
    except KnowledgeError as exc:
        raise ApiError(503, "kb_unavailable", f"知识库暂时不可用：{str(exc).splitlines()[0][:300]}") from None


def _query(request: web.Request, allowed: tuple) -> Mapping[str, str]:
    unknown = sorted(set(request.query) - set(allowed))
    if unknown:
        raise bad_request(f"未知的查询参数：{'、'.join(unknown)}（可用：{'、'.join(allowed) or '无'}）")
    return request.query


def _proposal_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if not raw.isdigit() or len(raw) > 9:
        raise ApiError(404, "kb_not_found", f"没有编号为 {raw[:20]} 的提议")
    return int(raw)


# --- routes -------------------------------------------------------------------------------

async def list_entries(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_propose"))
    query = _query(request, ("department", "q"))
    department, q = query.get("department", "").strip(), query.get("q", "")[:100]
    entries = await _run(request, lambda d: d.entries(editor, department or None, q))
    return json_response({"total": len(entries), "entries": entries})


async def show_entry(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_propose"))
    entry_id = request.match_info["id"][:64]
    return json_response(await _run(request, lambda d: d.entry(editor, entry_id)))


async def list_proposals(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_propose"))
    status = _query(request, ("status",)).get("status", "").strip() or None
    proposals = await _run(request, lambda d: d.proposals(editor, status))
    return json_response({"total": len(proposals), "proposals": proposals})


async def propose(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_propose"))
    body = await _json_object(request, BODY_BYTES)
    return json_response(await _run(request, lambda d: d.propose(editor, body)), status=201)


async def approve(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_review"))
    number = _proposal_id(request)
    body = await _json_object(request, BODY_BYTES)
    if body:
        raise bad_request(f"发布不需要请求体：{'、'.join(sorted(body))[:100]}")
    return json_response(await _run(request, lambda d: d.approve(editor, number)))


async def refuse(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_review"))
    number = _proposal_id(request)
    body = await _json_object(request, BODY_BYTES)
    unknown = sorted(set(body) - {"reason"})
    if unknown:
        raise bad_request(f"不认识的字段：{'、'.join(unknown)[:100]}（可用：reason）")
    return json_response(await _run(request, lambda d: d.refuse(editor, number, body.get("reason"))))


async def stale(request: web.Request) -> web.Response:
    editor = _editor(require(request, "kb_propose"))
    _query(request, ())
    entries = await _run(request, lambda d: d.stale(editor))
    return json_response({"total": len(entries), "entries": entries})


async def list_unanswered(request: web.Request) -> web.Response:
    require(request, "kb_review")
    query = _query(request, ("from", "to"))
    store = context_of(request).store()
    today = store.clock().astimezone(store.zone).date()
    start, end = period_params(query, today, max_days=MAX_DAYS)
    desk = _desk(request)

    def work(editorial: Editorial):
        begin = dt.datetime.combine(start, dt.time(), store.zone)
        finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), store.zone)
        records = ServiceLog(store.engine).between(begin, finish, kinds=[UNANSWERED])
        questions = unanswered.questions_from_records(records, editorial.upkeep.max_questions)
        kb = desk.knowledge_base() if questions else None
        from bot.knowledge.encoders import make_encoder
        encoder = make_encoder("e5", threads=editorial.settings.threads) if questions else None
        groups = unanswered.report(questions, encoder, editorial.upkeep.group_threshold,
                                   unanswered.nearest_in(kb), editorial.settings.offer_threshold,
                                   zone=store.zone) if questions else []
        return {"from": start.isoformat(), "to": end.isoformat(), "questions": len(questions), "groups": groups}
    return json_response(await _run(request, work))


async def from_seat_draft(request: web.Request) -> web.Response:
    require(request, "kb_review")
    body = await _json_object(request, BODY_BYTES)
    queue_id = body.get("queue_id")
    if set(body) != {"queue_id"} or not isinstance(queue_id, int) or isinstance(queue_id, bool) or queue_id < 1:
        raise bad_request("请求体应为 {\"queue_id\": 坐席排队记录编号（正整数）}")
    store = context_of(request).store()
    found = await asyncio.to_thread(from_seat.queue_conversation, store.engine, queue_id)
    if found is None:
        raise ApiError(404, "kb_not_found", f"没有编号为 {queue_id} 的坐席接待记录")
    try:
        tracker = await _desk(request).tracker(found["sender_id"])
    except Exception:  # noqa: BLE001 - Rasa down or refusing: said plainly, the details are Rasa's
        raise ApiError(503, "rasa_unavailable", "暂时读不到这次对话的记录（智能助手服务不可用），请稍后重试") from None
    draft = from_seat.draft(tracker.get("events") or [], found["seat"], queue_id)
    if not draft["answer"]:
        raise ApiError(409, "kb_conflict", "这次对话中没有坐席的答复，无法生成知识条目")
    return json_response({"draft": draft})
