"""What the public “You said, we did” page shows: the published statements in the page's
language, by quarter (in words anyone reads: "April – June 2026") and service."""

from __future__ import annotations

from flask_babel import get_locale

from ..i18n import format_months
from ..services.impact import statements as statement_service


def _months(period) -> str:
    return format_months(period.start, period.end) if period.start and period.end else ""


def page_context() -> dict:
    language = str(get_locale())
    return {
        "statements": statement_service.published_in(language),
        "months_of": _months,
        "known_services": {o.value for o in statement_service.service_options()},
        "general": statement_service.GENERAL,
        "english": statement_service.MASTER,
    }
