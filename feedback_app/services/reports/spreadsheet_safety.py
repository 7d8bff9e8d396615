"""Text that goes into a spreadsheet (CSV or XLSX) must never run as a formula.

OWASP's advice for CSV injection: a cell whose text starts with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a line feed may be read as a formula (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``, ``@SUM(...)``) by Excel, LibreOffice or Google Sheets. Such text
gets a leading apostrophe, which spreadsheets show as text and never evaluate.

Spaces in front do not make a value safe in every spreadsheet (some trim them when they
import a CSV), so the first character after any leading spaces is checked too.

Numbers are not text and are left alone; only text goes through ``neutralise``.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
ESCAPE = "'"


def is_risky(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS)


def neutralise(value: object) -> object:
    """``value`` made safe for a spreadsheet cell: text that could start a formula gets a
    leading apostrophe; numbers, None and booleans are returned as they are."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return ESCAPE + text if is_risky(text) else text


def neutralise_text(value: object) -> str:
    """Like ``neutralise`` but always text ("" for None): for CSV rows of strings."""
    if value is None:
        return ""
    safe = neutralise(value)
    return safe if isinstance(safe, str) else str(safe)
