"""Photos and short videos from the chat page, as evidence for the request being filled in.

    POST /evidence          the file's bytes as the body (any Content-Type: the first bytes decide)
                            -> {"name", "kind", "url", "count"}; refusals {"message"} in Chinese
    GET  /evidence/{name}   one of this session's own files (thumbnails in the chat and summary)

The owner is the session of the signed cookie (identity.py). Files are checked by signature and
size (settings/evidence.yml), counted by the upload limits (settings/limits.yml), kept by the
evidence keeper the WeChat gateway uses (channels/evidence.py), sent to the assistant with each
message (citizen_socket.py) and attached or discarded when the assistant opens the ticket or the
citizen cancels (the socket proxy reads those events from Rasa's answers, never from the page).
"""
from __future__ import annotations

import asyncio
import json
import secrets
from functools import lru_cache

from aiohttp import web

from bot.limits import Refusal, process_limits
from channels import hosts
from channels.evidence import (EvidenceKeeper, FolderPending, Refused, evidence_settings, kind_of)
from channels.web import identity

_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
                  "bmp": "image/bmp", "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}


@lru_cache(maxsize=1)
def web_keeper() -> EvidenceKeeper:
    settings = evidence_settings()
    return EvidenceKeeper(settings.folder, FolderPending(settings.folder), settings.max_per_request)


_REFUSALS = {"empty": web.HTTPBadRequest, "not_allowed": web.HTTPUnsupportedMediaType}


def _refuse(kind, message: str, **extra) -> web.HTTPException:
    return kind(text=json.dumps({"message": message}, ensure_ascii=False), content_type="application/json", **extra)


def _largest() -> int:
    settings = evidence_settings()
    return max(settings.max_image_bytes, settings.max_video_bytes)


async def _body(request: web.Request) -> bytes:
    """The upload, read no further than the largest allowed file (plus one byte to tell)."""
    limit = _largest()
    too_big = evidence_settings().refusal("too_big")
    if request.content_length is not None and request.content_length > limit:
        raise _refuse(web.HTTPRequestEntityTooLarge, too_big, max_size=limit, actual_size=request.content_length)
    content = await request.content.read(limit + 1)
    if len(content) > limit:
        raise _refuse(web.HTTPRequestEntityTooLarge, too_big, max_size=limit, actual_size=len(content))
    return content


def _count(session_id: str, address: str) -> None:
    try:
        process_limits().hit("upload_per_sender", session_id)
        process_limits().hit("upload_per_address", address)
    except Refusal as refusal:
        raise _refuse(web.HTTPTooManyRequests, str(refusal)) from None


async def upload(request: web.Request) -> web.Response:
    session_id = identity.session_of(request)
    if session_id is None:
        raise _refuse(web.HTTPForbidden, "没有有效的会话，请刷新页面后再上传")
    # Counted before anything is read: refused uploads cost a flooding client as much as good ones.
    await asyncio.to_thread(_count, session_id, hosts.client_address(request))
    content = await _body(request)
    settings = evidence_settings()
    try:
        extension = settings.check(content)
    except Refused as refused:
        if refused.reason == "too_big":
            raise _refuse(web.HTTPRequestEntityTooLarge, str(refused), max_size=settings.max_bytes("mp4"),
                          actual_size=len(content)) from None
        raise _refuse(_REFUSALS.get(refused.reason, web.HTTPBadRequest), str(refused)) from None
    keeper = web_keeper()
    if len(await keeper.pending(session_id)) >= settings.max_per_request:
        raise _refuse(web.HTTPConflict, settings.refusal("too_many"))
    reference = await keeper.keep(session_id, secrets.token_hex(8), content, extension)
    name = reference["path"].rsplit("/", 1)[-1]
    return web.json_response({"name": name, "kind": kind_of(extension), "url": f"/evidence/{name}",
                              "count": reference["count"], "limit": settings.max_per_request})


async def thumbnail(request: web.Request) -> web.StreamResponse:
    session_id = identity.session_of(request)
    path = web_keeper().owned_file(session_id, request.match_info["name"]) if session_id else None
    if path is None:
        raise web.HTTPNotFound(text="没有这个文件")
    content_type = _CONTENT_TYPES.get(path.suffix[1:], "application/octet-stream")
    return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": "private, max-age=3600"})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/evidence", upload)
    app.router.add_get(r"/evidence/{name}", thumbnail)
