"""Knowledge-base upkeep: departments propose, the hotline office reviews and publishes.

    desk = Editorial(engine, load_settings())
    desk.propose(editor, {"entry_id": "...", "question": ..., ...})   # -> proposal (pending)
    desk.approve(office, proposal_id)      # writes knowledge/<file>.yml, records the version, syncs the index
    desk.refuse(office, proposal_id, "理由")
    desk.entries(editor, department=None, q="")   desk.entry(editor, entry_id)   desk.stale(editor)

An Editor is who acts: a department's handler (department_id set; only its own department's entries)
or the office (reviewer=True; every entry, and the only one who approves). Seed 000 §7(3), §9(4).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.knowledge import index as index_mod
from bot.knowledge.encoders import make_encoder
from bot.knowledge.index import SyncReport
from bot.knowledge.settings import KBSettings
from bot.knowledge.source import Entry, KnowledgeSource, load_source

from . import drafts, writer
from .models import APPROVED, CHANGE, NEW, PENDING, REFUSED, STATUS_LABELS, STATUSES, KBProposal, KBVersion
from .owners import UpkeepSettings, department_label, owner_id, review_by, stale_reasons, upkeep_settings

log = logging.getLogger(__name__)
FROM_FILE = "知识库源文件"        # proposer of the text an entry had before its first publication here
MAX_REASON = 500


class EditorialError(Exception):
    """Refused; `kind` says how the API answers: invalid 400, forbidden 403, not_found 404, conflict 409."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


@dataclass(frozen=True)
class Editor:
    actor: str                          # as it appears in the history (热线办:孙丽)
    department_id: Optional[str] = None  # a handler's department; None for the office
    reviewer: bool = False              # the office: sees every department, approves and refuses


def sync_index(settings: KBSettings) -> SyncReport:
    """Bring the index in line with the sources, re-encoding only changed entries (index.py)."""
    source = load_source(settings.source_dir)
    encoder = make_encoder(settings.encoder, settings.model, settings.threads, settings.weights)
    _, report = index_mod.build(source, encoder, settings.index_dir, settings.views)
    return report


class Editorial:
    def __init__(self, engine: Engine, settings: KBSettings,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
                 sync: Callable[[KBSettings], SyncReport] = sync_index, timezone: Optional[dt.tzinfo] = None):
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.settings = settings
        self.upkeep: UpkeepSettings = upkeep_settings(settings)
        self.clock, self.sync, self.zone = clock, sync, timezone

    # --- reading --------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return _utc(self.clock())

    def _iso(self, value: Optional[dt.datetime]) -> Optional[str]:
        """A stored moment in the hotline's time zone (Beijing time), as staff read it."""
        if value is None:
            return None
        value = _utc(value)
        return (value.astimezone(self.zone) if self.zone else value).isoformat(timespec="seconds")

    def _version_json(self, v: KBVersion) -> Dict[str, Any]:
        return {"version": v.version, "content": v.content, "file": v.file, "proposal_id": v.proposal_id,
                "proposed_by": v.proposed_by, "approved_by": v.approved_by, "published_at": self._iso(v.published_at)}

    def today(self) -> dt.date:
        now = self.clock()
        return (now.astimezone(self.zone) if self.zone else now).date()

    def source(self) -> KnowledgeSource:
        return load_source(self.settings.source_dir)

    def owner(self, entry: Entry) -> Optional[str]:
        return owner_id(entry.department, self.upkeep)

    def summary(self, entry: Entry, today: Optional[dt.date] = None) -> Dict[str, Any]:
        today = today or self.today()
        owner = self.owner(entry)
        reasons = stale_reasons(entry, self.upkeep, today)
        return {**writer.as_content(entry), "owner": owner, "owner_name": department_label(owner),
                "file": entry.file.relative_to(self.settings.source_dir).as_posix(),
                "review_due": review_by(entry, self.upkeep).isoformat(), "stale": bool(reasons),
                "stale_reasons": reasons}

    def entries(self, editor: Editor, department: Optional[str] = None, q: str = "") -> List[Dict[str, Any]]:
        """Entries by owner and words in question/alternatives/answer; a handler sees its own only."""
        if not editor.reviewer:
            if department not in (None, "", editor.department_id):
                raise EditorialError("forbidden", "承办人只能查看本部门的知识库条目")
            department = editor.department_id
        words = [w for w in (q or "").split() if w][:5]
        today = self.today()
        out = []
        for e in self.source().entries:
            if department and self.owner(e) != department:
                continue
            text = " ".join((e.id, e.question, *e.alternatives, e.answer))
            if all(w in text for w in words):
                out.append(self.summary(e, today))
        pending = self._pending_ids()
        for item in out:
            item["pending"] = pending.get(item["id"], 0)
        return out

    def entry(self, editor: Editor, entry_id: str) -> Dict[str, Any]:
        e = self._entry(entry_id)
        if e is None:
            raise EditorialError("not_found", f"知识库中没有条目 {entry_id}")
        self._check_may_edit(editor, self.owner(e), "查看")
        with self.sessions() as session:
            versions = session.scalars(select(KBVersion).where(KBVersion.entry_id == entry_id)
                                       .order_by(KBVersion.version.desc())).all()
            proposals = session.scalars(select(KBProposal).where(KBProposal.entry_id == entry_id)
                                        .order_by(KBProposal.id.desc()).limit(50)).all()
        return {**self.summary(e), "history": [self._version_json(v) for v in versions],
                "proposals": [self._proposal_json(p, e) for p in proposals]}

    def stale(self, editor: Editor) -> List[Dict[str, Any]]:
        """Entries past their review-by date or valid_until, oldest due first (own only for a handler)."""
        today = self.today()
        found = [self.summary(e, today) for e in self.source().entries
                 if (editor.reviewer or self.owner(e) == editor.department_id)
                 and stale_reasons(e, self.upkeep, today)]
        return sorted(found, key=lambda item: (item["review_due"], item["id"]))

    def proposals(self, editor: Editor, status: Optional[str] = None) -> List[Dict[str, Any]]:
        if status not in (None, "") and status not in STATUSES:
            raise EditorialError("invalid", f"status 只能是 {'、'.join(STATUSES)}")
        query = select(KBProposal).order_by(KBProposal.id.desc()).limit(500)
        if status:
            query = query.where(KBProposal.status == status)
        if not editor.reviewer:
            query = query.where(KBProposal.owner == editor.department_id)
        with self.sessions() as session:
            rows = session.scalars(query).all()
        current = self.source().by_id()
        return [self._proposal_json(p, current.get(p.entry_id)) for p in rows]

    # --- proposing ------------------------------------------------------------------

    def propose(self, editor: Editor, data: Mapping[str, Any], origin: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        try:
            content = drafts.checked(data, self.today())
            note = drafts.note(data)
            origin = drafts.origin(data.get("origin")) if origin is None else origin
        except drafts.DraftError as exc:
            raise EditorialError("invalid", str(exc)) from None
        source = self.source()
        current = source.by_id().get(data["entry_id"]) if isinstance(data.get("entry_id"), str) else None
        if current is not None:
            owner, kind, base = self.owner(current), CHANGE, writer.as_content(current)
            self._check_may_edit(editor, owner, "修改")
            content.update(id=current.id, department=current.department)
        else:
            owner, kind, base = self._new_owner(editor, data), NEW, None
            content.update(id=self._new_id(data.get("entry_id"), owner, source),
                           department=self._department_name(owner, source))
        if base is not None and not drafts.diff(base, content):
            raise EditorialError("invalid", "提议与现有条目完全相同，没有需要审核的修改")
        row = KBProposal(entry_id=content["id"], kind=kind, owner=owner, status=PENDING, content=content,
                         base=base, origin=origin or {}, note=note, proposed_by=editor.actor,
                         proposed_at=self.now())
        with self.sessions.begin() as session:
            session.add(row)
        return self._proposal_json(row, current)

    def _new_owner(self, editor: Editor, data: Mapping[str, Any]) -> Optional[str]:
        from bot.tickets import departments
        wanted = data.get("department")
        if not editor.reviewer:
            if wanted not in (None, "", editor.department_id):
                raise EditorialError("forbidden", "承办人只能为本部门提议知识库条目")
            return editor.department_id
        if wanted in (None, ""):
            return None                     # kept by the office itself
        found = departments.find(wanted) if isinstance(wanted, str) else None
        if found is None:
            raise EditorialError("invalid", f"部门目录中没有“{str(wanted)[:40]}”，请使用 settings/departments.yml 中的部门 id")
        return found.id

    def _new_id(self, wanted: Any, owner: Optional[str], source: KnowledgeSource) -> str:
        taken = set(source.by_id()) | self._pending_new_ids()
        if wanted not in (None, ""):
            try:
                eid = drafts.entry_id(wanted)
            except drafts.DraftError as exc:
                raise EditorialError("invalid", str(exc)) from None
            if eid in taken:
                raise EditorialError("conflict", f"条目编号 {eid} 已被使用或已有待审核的新条目")
            return eid
        prefix = owner or "rexian"
        n = 1
        while f"{prefix}-new-{n}" in taken:
            n += 1
        return f"{prefix}-new-{n}"

    def _department_name(self, owner: Optional[str], source: KnowledgeSource) -> str:
        """The name the owner's existing entries use (本市城市管理局), else the catalogue's."""
        names = [e.department for e in source.entries if self.owner(e) == owner]
        if names:
            return max(set(names), key=names.count)
        return department_label(owner) if owner else "本市12345政务服务便民热线"

    # --- deciding -------------------------------------------------------------------

    def refuse(self, editor: Editor, proposal_id: int, reason: Any) -> Dict[str, Any]:
        self._check_reviewer(editor)
        if not isinstance(reason, str) or not reason.strip():
            raise EditorialError("invalid", "请填写退回理由（reason）")
        if len(reason) > MAX_REASON:
            raise EditorialError("invalid", f"退回理由最多 {MAX_REASON} 个字")
        with self.sessions.begin() as session:
            row = self._pending(session, proposal_id)
            row.status, row.reviewed_by, row.reviewed_at, row.reason = REFUSED, editor.actor, self.now(), reason.strip()
        return self._proposal_json(row, self.source().by_id().get(row.entry_id))

    def approve(self, editor: Editor, proposal_id: int) -> Dict[str, Any]:
        """Publish: the file first (under the folder's lock), the database in the same step, then
        the index. A failed database commit puts the file back; a failed index update leaves the
        entry published (the assistant's server brings the index up to date when it next looks)."""
        self._check_reviewer(editor)
        folder = self.settings.source_dir
        with writer.folder_lock(folder):
            written = None
            try:
                with self.sessions.begin() as session:
                    row = self._pending(session, proposal_id)
                    written = self._write(session, row, editor)
            except Exception:
                if written is not None:     # the file was replaced but the commit failed
                    writer.restore(*written)
                raise
        result = self._proposal_json(row, self.source().by_id().get(row.entry_id))
        result["index"] = self._sync()
        return result

    def _write(self, session: Session, row: KBProposal, editor: Editor):
        source = self.source()
        current = source.by_id().get(row.entry_id)
        if row.kind == NEW and current is not None:
            raise EditorialError("conflict", f"条目编号 {row.entry_id} 已在知识库中，请退回后按修改重新提议")
        if row.kind == CHANGE and current is None:
            raise EditorialError("conflict", f"条目 {row.entry_id} 已不在知识库中，请退回")
        content = dict(row.content, updated=self.today().isoformat())
        path = current.file if current is not None else self._new_file(row.owner, source)
        now = self.now()
        version = self._next_version(session, row.entry_id)
        if current is not None and version == 1:   # keep the text it had before, as version 1
            session.add(KBVersion(entry_id=row.entry_id, version=1, content=writer.as_content(current),
                                  file=self._relative(path), proposal_id=None, proposed_by=FROM_FILE,
                                  approved_by=None, published_at=dt.datetime.combine(
                                      current.updated, dt.time(), dt.timezone.utc)))
            version = 2
        try:
            old = writer.write_entry(self.settings.source_dir, path, content)
        except writer.WriteRefused as exc:
            raise EditorialError("conflict", str(exc)) from None
        session.add(KBVersion(entry_id=row.entry_id, version=version, content=content, file=self._relative(path),
                              proposal_id=row.id, proposed_by=row.proposed_by, approved_by=editor.actor,
                              published_at=now))
        row.content, row.status, row.reviewed_by, row.reviewed_at = content, APPROVED, editor.actor, now
        return path, old

    def _sync(self) -> Dict[str, Any]:
        try:
            report = self.sync(self.settings)
        except Exception as exc:  # noqa: BLE001 - published anyway; said to the office, logged in full
            log.exception("knowledge index not updated after publishing")
            return {"updated": False, "message": f"条目已发布，但索引未能立即更新（{type(exc).__name__}），"
                                                 "助手服务器稍后会自动更新"}
        return {"updated": True, "added": list(report.added), "changed": list(report.changed),
                "removed": list(report.removed), "unchanged": report.unchanged, "full": report.full}

    def _new_file(self, owner: Optional[str], source: KnowledgeSource) -> Path:
        """The file holding most of the owner's entries, else knowledge/<owner>.yml (a free name)."""
        files = [e.file for e in source.entries if self.owner(e) == owner]
        if files:
            return max(set(files), key=files.count)
        folder, stem = self.settings.source_dir, owner or "rexian"
        path, n = folder / f"{stem}.yml", 2
        while path.exists():
            path, n = folder / f"{stem}-{n}.yml", n + 1
        return path

    # --- helpers --------------------------------------------------------------------

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.settings.source_dir).as_posix()

    def _entry(self, entry_id: str) -> Optional[Entry]:
        return self.source().by_id().get(entry_id)

    def _check_may_edit(self, editor: Editor, owner: Optional[str], verb: str) -> None:
        if not editor.reviewer and owner != editor.department_id:
            raise EditorialError("forbidden", f"这条知识由{department_label(owner)}维护，承办人只能{verb}本部门的条目")

    def _check_reviewer(self, editor: Editor) -> None:
        if not editor.reviewer:
            raise EditorialError("forbidden", "只有热线办可以审核知识库提议")

    def _pending(self, session: Session, proposal_id: int) -> KBProposal:
        row = session.scalars(select(KBProposal).where(KBProposal.id == proposal_id).with_for_update()).first()
        if row is None:
            raise EditorialError("not_found", f"没有编号为 {proposal_id} 的提议")
        if row.status != PENDING:
            raise EditorialError("conflict", f"提议 {proposal_id} 已{STATUS_LABELS[row.status]}，不能再审核")
        return row

    def _next_version(self, session: Session, entry_id: str) -> int:
        return (session.scalar(select(func.max(KBVersion.version)).where(KBVersion.entry_id == entry_id)) or 0) + 1

    def _pending_ids(self) -> Dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(select(KBProposal.entry_id, func.count()).where(KBProposal.status == PENDING)
                                   .group_by(KBProposal.entry_id)).all()
        return {eid: n for eid, n in rows}

    def _pending_new_ids(self) -> set:
        with self.sessions() as session:
            return set(session.scalars(select(KBProposal.entry_id).where(KBProposal.status == PENDING,
                                                                          KBProposal.kind == NEW)))

    def _proposal_json(self, p: KBProposal, current: Optional[Entry]) -> Dict[str, Any]:
        now = writer.as_content(current) if current is not None else None
        return {"id": p.id, "entry_id": p.entry_id, "kind": p.kind, "owner": p.owner,
                "owner_name": department_label(p.owner), "status": p.status, "status_label": STATUS_LABELS[p.status],
                "content": p.content, "note": p.note, "origin": p.origin or {},
                "proposed_by": p.proposed_by, "proposed_at": self._iso(p.proposed_at),
                "reviewed_by": p.reviewed_by, "reviewed_at": self._iso(p.reviewed_at), "reason": p.reason,
                # Against the entry as it is now: what approving would change. `outdated`: the entry
                # changed after the proposal was made (approving overwrites that change).
                "diff": drafts.diff(now, p.content) if p.status == PENDING else drafts.diff(p.base, p.content),
                "outdated": p.status == PENDING and p.base is not None and now is not None
                and drafts.diff(p.base, now) != []}


def _utc(value: dt.datetime) -> dt.datetime:
    """Stored in UTC: SQLite keeps no offset, so a local time would come back as another moment."""
    return value.astimezone(dt.timezone.utc) if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
