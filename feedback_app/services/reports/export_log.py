"""The export log: every file of figures or responses that left the site, and who took it.

``log_export`` is how a download is recorded: one line in the export log (``ExportRecord``:
the kind of file, who took it, what it covered and how many rows) and one event in the
audit log, committed together, before the file is sent. A streamed file does not know its
rows yet; ``finish_export`` fills them in once it has all been sent.

Nothing here is survivor content. The scope is stored in English (the log is a record, not
a page).
"""

from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import EXPORT_KINDS, Account, ExportRecord
from ..figures.periods import Period
from ..paging import Page, paginate
from ..staff import audit

PER_PAGE = 50
SCOPE_LIMIT = 300  # ExportRecord.scope
RAW_KIND = "raw_csv"
# What each kind of file is, in the log's words.
KIND_SUBJECTS = {
    "summary_html": "Themed summary",
    "summary_pdf": "Themed summary",
    "summary_xlsx": "Themed summary",
    "summary_csv": "Themed summary",
    RAW_KIND: "Raw responses",
}
# The raw export has an audit action of its own; every other file is "export_created",
# whose detail names the kind.
RAW_EXPORT_ACTION = "raw_export"
EXPORT_ACTION = "export_created"


def log_export(kind: str, account: Account, period: Period, include_demo: bool, rows: int | None = None) -> int:
    """Record that ``account`` took a file of ``kind`` covering ``period``: a line in the
    export log and an event in the audit log, in one transaction. ``rows`` is None for a
    file still to be streamed. Returns the log line's id (for ``finish_export``)."""
    scope = scope_text(KIND_SUBJECTS.get(kind, kind), period, include_demo)  # an unknown kind: refused below
    record = record_export(kind, account, scope, rows, commit=False)
    if kind == RAW_KIND:
        audit.record(RAW_EXPORT_ACTION, account, detail=scope, commit=False)
    else:
        audit.record(EXPORT_ACTION, account, detail=f"{kind}: {scope}", commit=False)
    db.session.commit()
    return record.id


def record_export(kind: str, account: Account, scope: str, rows: int | None, *, commit: bool = True) -> ExportRecord:
    """Add a line to the export log. ``rows`` may be None while a streamed file is still
    being written (``finish_export`` fills it in)."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    record = ExportRecord(
        account_id=account.id,
        actor=account.email,
        kind=kind,
        scope=scope[:SCOPE_LIMIT],
        rows=rows,
    )
    db.session.add(record)
    if commit:
        db.session.commit()
    return record


def finish_export(record_id: int, rows: int) -> None:
    """Record how many rows a streamed export held, once it has all been sent."""
    record = db.session.get(ExportRecord, record_id)
    if record is not None:
        record.rows = rows
        db.session.commit()


def list_exports(page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The export log, newest first."""
    query = select(ExportRecord).order_by(ExportRecord.exported_at.desc(), ExportRecord.id.desc())
    return paginate(query, page, per_page)


def scope_text(what: str, period: Period, include_demo: bool) -> str:
    """What an export covered, for the log. Stored in English (the log is a record, not a
    page), e.g. "Themed summary; Q1 2024/25; demo responses included"."""
    demo = "demo responses included" if include_demo else "demo responses left out"
    return f"{what}; {period.label or 'all time'}; {demo}"
