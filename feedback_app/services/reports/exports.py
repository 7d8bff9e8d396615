"""Files that leave the site: CSV and XLSX writers that are safe to open.

* CSV is produced one row at a time (a generator of text), so a response can stream it
  with constant memory. It starts with a byte order mark so that spreadsheets read the
  UTF-8 (Polish and Lithuanian letters) correctly.
* XLSX is written with openpyxl's write-only workbook (constant memory) into a spooled
  temporary file, which is then streamed in chunks.
* Every text value goes through ``spreadsheet_safety.neutralise`` and every text cell in an
  XLSX is forced to a string cell (openpyxl would otherwise store ``"=..."`` as a formula).
  Numbers stay numeric.

Recording who took a file is ``export_log``'s job.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .spreadsheet_safety import neutralise, neutralise_text

BOM = "\ufeff"
CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 4 * 1024 * 1024  # kept in memory up to this size, then on disk
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Percent:
    """A percentage: ``share`` (0.38) for a spreadsheet, ``text`` ("38%") for a CSV."""

    share: float
    text: str


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
        return value.text
    return neutralise_text(value)


# -- XLSX ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]


def write_xlsx(sheets: Iterable[Sheet]) -> tuple[IO[bytes], int]:
    """A workbook of ``sheets`` in a spooled temporary file (rewound), and how many data
    rows it holds. The caller closes the file."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    rows_written = 0
    used_titles: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used_titles))
        worksheet.append([_xlsx_cell(worksheet, value, font=bold) for value in sheet.header])
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
            rows_written += 1
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    workbook.save(output)
    output.seek(0)
    return output, rows_written


def _xlsx_cell(worksheet, value: object, font: Font | None = None) -> WriteOnlyCell:
    if isinstance(value, Percent):
        cell = WriteOnlyCell(worksheet, value=value.share)
        cell.number_format = "0%"
    elif value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        cell = WriteOnlyCell(worksheet, value=value)
    else:
        cell = WriteOnlyCell(worksheet, value=safe_text(value))
        cell.data_type = "s"  # never a formula, whatever the text
    if font is not None:
        cell.font = font
    return cell


def safe_text(value: object) -> str:
    """Text for an XLSX string cell: neutralised, without characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(neutralise(str(value))))


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip().strip("'")[:SHEET_NAME_LIMIT] or "Sheet"
    name, number = base, 2
    while name.casefold() in used:
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
