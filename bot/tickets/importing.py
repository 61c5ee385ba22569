"""Importing historical tickets from an older system's export (`hotline tickets import FILE`).

    report = import_file(store, path, dry_run=False, skip_bad=False, sheet=None)
    report.imported, report.already, report.rejected   # [(line, reason)], reasons in Chinese

How it works, and why:
  * the file is read twice, streamed (import_reading.py): first every row is checked and nothing is
    written; then, when all rows passed (or --skip-bad), the good rows are written in ONE
    transaction, in batches that are flushed and forgotten so memory stays flat. A crash, a
    database error or a refusal leaves the database as it was: nothing half-imported;
  * --dry-run is the first pass alone: every rejection reported, the database only read;
  * a row's idempotency key is the hash of its content (not of the whole file), plus which
    occurrence of that content in the file it is: importing the same file again, or a corrected
    copy after some rows were rejected, adds only rows not imported yet (reported 已导入过);
  * numbers, deadlines and times: bulk.py (numbered by the original date from the shared counter;
    the deadline is the policy's for the type from that date; created_at is the original time);
  * personal data: phones are stored normalised as given and never printed — reasons quote at
    most a masked number (import_rows.normalise_phone, and mask_text over every reason);
  * the write transaction holds SQLite's write lock while it runs (about 3 s per 3,000 rows):
    live tickets wait behind it (busy_timeout 10 s), so import a big file off-hours or on
    PostgreSQL, where only the imported days' counter rows are locked.
Which column is which, and which words mean which type, status and channel:
settings/import_columns.yml.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

from bot.privacy import mask_text
from bot.tickets import bulk
from bot.tickets.import_reading import ImportFileError, open_source
from bot.tickets.import_rows import Header, ImportColumns, ImportedRecord, RowRejected, is_blank, read_row
from bot.tickets.store import TicketStore

__all__ = ["ImportFileError", "ImportReport", "import_file"]

BATCH = 500
PROGRESS_EVERY = 5000
Progress = Callable[[str], None]


@dataclass
class ImportReport:
    file: str
    rows: int = 0                       # data rows read (blank rows not counted)
    accepted: int = 0                   # rows that passed every check
    imported: int = 0                   # tickets written
    already: int = 0                    # rows imported before (same content), skipped
    rejected: List[Tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False               # False: the database was not changed
    numbers: List[str] = field(default_factory=list)    # the first tickets written, for the summary


@dataclass
class _Checked:
    record: Optional[ImportedRecord]
    line: int
    reason: Optional[str] = None


def _rows(path: Path, sheet: Optional[str], store: TicketStore, now: dt.datetime) -> Iterator[_Checked]:
    """Every data row of the file, checked; the header is the first non-blank row."""
    columns = ImportColumns.load()
    source = open_source(path, sheet, columns.max_bytes)
    header: Optional[Header] = None
    seen: Counter = Counter()
    for line, cells in source.rows():
        if is_blank(cells):
            continue
        if header is None:
            header = columns.header(cells)
            continue
        content = header.row_key(cells)
        seen[content] += 1
        try:
            yield _Checked(read_row(header, cells, line, f"{content}-{seen[content]}", store.zone, now), line)
        except RowRejected as exc:
            # A reason may quote a cell; a phone typed into the wrong column is masked all the same.
            yield _Checked(None, line, mask_text(str(exc)))
    if header is None:
        raise ImportFileError("文件中没有表头和数据")


def _batches(checked: Iterator[_Checked], report: ImportReport, progress: Optional[Progress],
             ) -> Iterator[List[ImportedRecord]]:
    batch: List[ImportedRecord] = []
    for row in checked:
        report.rows += 1
        if progress and report.rows % PROGRESS_EVERY == 0:
            progress(f"已读取 {report.rows} 行……")
        if row.record is None:
            report.rejected.append((row.line, row.reason))
            continue
        report.accepted += 1
        batch.append(row.record)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _check(path: Path, sheet: Optional[str], store: TicketStore, now: dt.datetime,
           report: ImportReport, progress: Optional[Progress]) -> None:
    """The first pass: every row checked, and which were imported before; nothing written."""
    with store.sessions() as session:
        for batch in _batches(_rows(path, sheet, store, now), report, progress):
            report.already += len(bulk.existing_keys(session, [r.request_key for r in batch]))


def _write(path: Path, sheet: Optional[str], store: TicketStore, now: dt.datetime,
           report: ImportReport, progress: Optional[Progress]) -> None:
    """The second pass: the good rows not imported before, all in one transaction."""
    again = ImportReport(report.file)
    source = {"source": "import", "file": path.name, "sheet": sheet}
    with store.sessions.begin() as session:
        # An exception anywhere in here (a database error, Ctrl-C) rolls back every batch.
        for batch in _batches(_rows(path, sheet, store, now), again, None):
            done = bulk.existing_keys(session, [r.request_key for r in batch])
            fresh = [r for r in batch if r.request_key not in done]
            numbers = bulk.write(session, fresh, store.policy, store.zone, source)
            before, report.imported = report.imported, report.imported + len(numbers)
            report.numbers.extend(numbers[:max(0, 5 - len(report.numbers))])
            if progress and report.imported // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(f"已写入 {report.imported} 张……")
        if again.rejected != report.rejected:
            # The file changed between the passes: write nothing rather than something unchecked.
            raise ImportFileError("文件在导入过程中被修改，已取消导入，未写入任何记录")
        if progress:
            progress(f"已写入 {report.imported} 张，正在提交……")
    report.written = report.imported > 0


def import_file(store: TicketStore, path, dry_run: bool = False, skip_bad: bool = False,
                sheet: Optional[str] = None, progress: Optional[Progress] = None) -> ImportReport:
    """Check the file, then (unless dry_run, and unless a row was rejected without skip_bad)
    write its good rows. ImportFileError when the file as a whole cannot be read."""
    path = Path(path)
    report = ImportReport(path.name, dry_run=dry_run)
    now = store.now()
    _check(path, sheet, store, now, report, progress)
    if dry_run or (report.rejected and not skip_bad) or report.accepted == report.already:
        return report
    report.already = 0    # counted again by the write pass, inside its transaction
    _write(path, sheet, store, now, report, progress)
    report.already = report.accepted - report.imported
    return report
