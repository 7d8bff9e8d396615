"""Files that leave the site: CSV and XLSX writers that are safe to open.

* CSV is produced one row at a time (a generator of text), so a response can stream it
  with constant memory. It starts with a byte order mark so that spreadsheets read the
  UTF-8 (Polish and Lithuanian letters) correctly.
* XLSX is written with openpyxl's write-only workbook (constant memory) into a spooled
  temporary file, which is then streamed in chunks.
* Every text value goes through ``spreadsheet_safety.neutralise`` and every text cell in an
  XLSX is forced to a string cell (openpyxl would otherwise store ``"=..."`` as a formula).
  Numbers stay numeric.
* Percentages (``Percent``) are whole numbers as a page shows them: ``53`` in a CSV, and in
  an XLSX the number 0.53 formatted ``0%``. Dates are ISO (``2026-11-28``) in a CSV and real
  dates formatted ``d mmm yyyy`` (28 Nov 2026) in an XLSX.
* Every XLSX sheet keeps its header row in view (frozen, and repeated on printed pages),
  with column widths set (``Sheet.widths``, or ``fit_widths``) and chosen columns wrapped.

Recording who took a file is ``export_log``'s job.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .spreadsheet_safety import neutralise, neutralise_text

BOM = "\ufeff"
CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 4 * 1024 * 1024  # kept in memory up to this size, then on disk
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_RESERVED = {"history"}  # Excel keeps a sheet of this name for itself
PERCENT_FORMAT = "0%"
DATE_FORMAT = "d mmm yyyy"  # 28 Nov 2026, as on the site's English pages (en_GB)
LONG_DATE_FORMAT = "d mmmm yyyy"  # 28 November 2026, as in a published report (en_GB)
WIDTH_MIN = 8
WIDTH_MAX = 60


@dataclass(frozen=True)
class Percent:
    """A percentage as a page shows it, in whole per cent (``53`` for "53%"): written as
    ``53`` in a CSV and as the number 0.53 formatted ``0%`` in a spreadsheet."""

    whole: int

    @property
    def share(self) -> float:
        return self.whole / 100


# -- CSV ----------------------------------------------------------------------------------


def csv_line(values: Sequence[object]) -> str:
    """One CSV line, every value neutralised."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_csv_value(v) for v in values])
    return buffer.getvalue()


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = True) -> Iterator[str]:
    """The header then each row, one line at a time."""
    yield (BOM if bom else "") + csv_line(header)
    for row in rows:
        yield csv_line(row)


def _csv_value(value: object) -> str:
    if isinstance(value, Percent):
        return str(value.whole)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_text(value)


# -- XLSX ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a header row (bold, frozen, repeated on printed pages), then ``rows``.
    ``widths``: each column's width in characters (default ``fit_widths`` of the header
    alone); ``wrap``: the columns (from 0) whose text wraps within the width; ``date_format``:
    how its dates read (default ``d mmm yyyy``)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] = ()
    wrap: Collection[int] = ()
    date_format: str = DATE_FORMAT


def fit_widths(
    header: Sequence[object],
    rows: Iterable[Sequence[object]] = (),
    *,
    minimum: float = WIDTH_MIN,
    maximum: float = WIDTH_MAX,
) -> list[float]:
    """Column widths (in characters) that fit the longest value of each column, from
    ``minimum`` up to ``maximum``."""
    widths = [len(_shown_text(value)) for value in header]
    for row in rows:
        for column, value in enumerate(row):
            length = max((len(line) for line in _shown_text(value).splitlines()), default=0)
            if column >= len(widths):
                widths.append(length)
            elif length > widths[column]:
                widths[column] = length
    return [min(max(width + 2, minimum), maximum) for width in widths]


def _shown_text(value: object) -> str:
    if isinstance(value, Percent):
        return f"{value.whole}%"
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return "" if value is None else str(value)


def write_xlsx(sheets: Iterable[Sheet]) -> tuple[IO[bytes], int]:
    """A workbook of ``sheets`` in a spooled temporary file (rewound), and how many data
    rows it holds. The caller closes the file."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    rows_written = 0
    used_titles: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used_titles))
        # Columns and panes must be set before the first row is written.
        for column, width in enumerate(sheet.widths or fit_widths(sheet.header), start=1):
            worksheet.column_dimensions[get_column_letter(column)].width = width
        worksheet.freeze_panes = "A2"
        worksheet.print_title_rows = "1:1"
        worksheet.append([_xlsx_cell(worksheet, value, font=bold) for value in sheet.header])
        for row in sheet.rows:
            worksheet.append(
                [
                    _xlsx_cell(
                        worksheet, value, alignment=wrapped if column in sheet.wrap else None, date_format=sheet.date_format
                    )
                    for column, value in enumerate(row)
                ]
            )
            rows_written += 1
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    workbook.save(output)
    output.seek(0)
    return output, rows_written


def _xlsx_cell(
    worksheet,
    value: object,
    font: Font | None = None,
    alignment: Alignment | None = None,
    date_format: str = DATE_FORMAT,
) -> WriteOnlyCell:
    if isinstance(value, Percent):
        cell = WriteOnlyCell(worksheet, value=value.share)
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = date_format
    elif value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        cell = WriteOnlyCell(worksheet, value=value)
    else:
        cell = WriteOnlyCell(worksheet, value=safe_text(value))
        cell.data_type = "s"  # never a formula, whatever the text
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def safe_text(value: object) -> str:
    """Text for an XLSX string cell: neutralised, without characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(neutralise(str(value))))


def _sheet_title(title: str, used: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of ``[]:*?/\\``, no apostrophe
    at either end, not Excel's own "History"."""
    base = _SHEET_NAME_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title)).strip().strip("'").strip()
    base = base[:SHEET_NAME_LIMIT].rstrip().rstrip("'") or "Sheet"
    name, number = base, 2
    while name.casefold() in used or name.casefold() in SHEET_NAME_RESERVED:
        suffix = f" {number}"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(name.casefold())
    return name


def file_chunks(file: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The file's bytes in chunks; closes it at the end (or when the stream is dropped)."""
    try:
        while chunk := file.read(chunk_bytes):
            yield chunk
    finally:
        file.close()
