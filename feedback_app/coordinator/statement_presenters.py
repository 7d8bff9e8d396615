"""How “You said, we did” statements read on the coordinator's pages: quarters in words,
statuses, languages and services in the page's language."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..i18n import format_months, survey_text
from ..services.figures import periods
from ..services.impact import statements as statement_service
from .presenters import language_label as babel_language_label

TEXT_STATUS_LABELS = {
    statement_service.MISSING: _l("Missing"),
    statement_service.DRAFT: _l("Draft"),
    statement_service.APPROVED: _l("Approved"),
}
STATEMENT_STATUS_LABELS = {
    statement_service.DRAFT: _l("Not published yet"),
    statement_service.PUBLISHED: _l("Published"),
    statement_service.WITHDRAWN: _l("Withdrawn"),
}
GENERAL_LABEL = _l("General (not about one service)")
LANGUAGE_LABELS = {"en": _l("English"), "pl": _l("Polish"), "lt": _l("Lithuanian"), "ur": _l("Urdu")}


def language_label(code: str) -> str:
    """"Polish" (in the page's language); Babel's name for a language added later."""
    label = LANGUAGE_LABELS.get(code)
    return str(label) if label is not None else babel_language_label(code)


def months_of(period: periods.Period) -> str:
    """"April – June 2026" for a quarter ("" for a period without dates)."""
    if period.start is None or period.end is None:
        return ""
    return format_months(period.start, period.end)


def period_heading(period: periods.Period) -> str:
    """"Q1 2026/27 (April – June 2026)"."""
    months = months_of(period)
    return f"{period.label} ({months})" if months else period.label


def service_words(label: str | None) -> str:
    """A statement's service in the page's language (``label``: the English master label)."""
    return str(GENERAL_LABEL) if label is None else survey_text(label)


def statement_title(statement) -> str:
    """"Police, Q1 2026/27": what a statement is about, for headings and links."""
    period = statement_service.period_of(statement)
    service = service_words(statement_service.service_label(statement.service))
    return f"{service}, {period.label or statement.period}"


def language_words(code: str) -> str:
    """"English (the master wording)" for English; "Polish" for the others."""
    if code == statement_service.MASTER:
        return gettext("English (the master wording)")
    return language_label(code)


TEMPLATE_HELPERS = {
    "period_heading": period_heading,
    "service_words": service_words,
    "statement_title": statement_title,
    "language_label": language_label,
    "language_words": language_words,
    "text_status_labels": TEXT_STATUS_LABELS,
    "statement_status_labels": STATEMENT_STATUS_LABELS,
    "status_in": statement_service.status_in,
}
