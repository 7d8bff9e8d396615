"""How the coordinator's figures read on a page: numbers in the page's language, and the
HTML ids of figures and sections.

The services hand over numbers, keys and disclosure ``Cell``s; the choices of a page are
made here:

* ``disclosure_rules`` is the configured disclosure control with each cell worded in the
  page's language ("1,234", "38%", "fewer than 5", "not shown"). The disclosure code stays
  pure (``services.figures.disclosure`` takes its formatting from the rules it is given), so
  the dashboard, the summary page, its PDF and its spreadsheets all show the same words.
* ``demo_note`` says whether demo responses are in the summary's figures (never how many),
  in the same words on the page, in the PDF and in the spreadsheet.
* ``service_id``, ``audience_id``, ``figure_id`` and ``themes_id`` build HTML ids from keys.
  A figure's id is its key within the section that holds it ("gender", then
  "audience-adult-gender" on the summary, where several audiences share one page).

``TEMPLATE_HELPERS`` are passed to the templates that show figures, ``CODING_HELPERS`` to
the coding queue's (a comment's anchor id, its language in words, its text with the words
searched for marked).
"""

from __future__ import annotations

import uuid

from babel import Locale
from flask_babel import format_number, format_percent, get_locale, gettext, ngettext
from markupsafe import Markup, escape

from ..services.figures.dashboard import Figure
from ..services.figures.dashboard import disclosure_rules as configured_rules
from ..services.figures.disclosure import DisclosureRules
from ..services.insight.coding import BulkResult
from ..services.insight.comment_search import TextSearch
from ..services.reports import themed_summary
from ..services.reports.themed_summary import DemoNote, ThemeTable


def fewer_than(threshold: int) -> str:
    return gettext("fewer than %(number)s", number=format_number(threshold))


def not_shown() -> str:
    return gettext("not shown")


def disclosure_rules() -> DisclosureRules:
    """The configured thresholds, with cells worded for the page's language."""
    return configured_rules(
        format_count=format_number,
        format_percent=format_percent,
        fewer_than=fewer_than,
        not_shown=not_shown,
    )


def demo_note(note: DemoNote) -> str:
    """Whether demo responses are in the figures, never how many: with a total, that would
    give away the number of real ones."""
    if note.kind == themed_summary.DEMO_EXCLUDED:
        return gettext("Demo responses in this period are left out.")
    if note.kind == themed_summary.DEMO_INCLUDED:
        return gettext(
            "Demo data: these figures include demo responses, not real feedback. Tick “Leave out demo responses” to see only real feedback."
        )
    if note.kind == themed_summary.DEMO_ALL:
        return gettext("Demo data: every response in these figures is a demo response, not real feedback.")
    return gettext("There are no demo responses in this period.")


# -- HTML ids -----------------------------------------------------------------------------


def service_id(key: str, within: str = "") -> str:
    """A service's section, e.g. "service-services-police" (key "services.police")."""
    return _within(within, "service-" + key.replace(".", "-").replace("_", "-"))


def audience_id(audience: str) -> str:
    """An audience's section of the summary, e.g. "audience-young-person"."""
    return "audience-" + audience.replace("_", "-")


def figure_id(figure: Figure, within: str = "") -> str:
    """A figure: its key, within the id of the section that holds it (if any)."""
    return _within(within, figure.key)


def themes_id(table: ThemeTable, within: str) -> str:
    """A table of top themes, e.g. "audience-adult-service-services-police-helpful-themes"."""
    return f"{within}-{table.kind}-themes"


def _within(within: str, own: str) -> str:
    return f"{within}-{own}" if within else own


TEMPLATE_HELPERS = {
    "service_id": service_id,
    "audience_id": audience_id,
    "figure_id": figure_id,
    "themes_id": themes_id,
    "demo_note": demo_note,
}


def comment_anchor(response_id: uuid.UUID, field: str) -> str:
    """The HTML id of one comment in the coding queue (also the anchor to come back to)."""
    return f"comment-{response_id.hex}-{field.replace('.', '-')}"


def language_label(code: str) -> str:
    """A language's name in the page's language ("Polish"), or the code if unknown."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError):
        return code


def highlight(text: str, search: TextSearch | None) -> Markup:
    """A comment's text for the page, the words searched for marked with ``<mark>``. Each
    piece of the survivor's text is escaped first; the only markup is the ``<mark>`` added
    here, so nothing a survivor wrote can become HTML."""
    if search is None:
        return escape(text)
    pieces, at = [], 0
    for start, end in search.spans(text):
        pieces.append(escape(text[at:start]))
        pieces.append(Markup("<mark>%s</mark>") % text[start:end])  # % escapes its argument
        at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


def bulk_message(result: BulkResult) -> str:
    """What adding one theme to the selected comments did, kindly, in a few sentences."""
    name = result.theme.name
    parts = [
        ngettext(
            "Theme “%(name)s” added to %(num)d comment.", "Theme “%(name)s” added to %(num)d comments.",
            result.added, name=name,
        )
    ]
    if result.already:
        parts.append(ngettext("%(num)d comment had it already.", "%(num)d comments had it already.", result.already))
    if result.other_service:
        parts.append(
            ngettext(
                "It was not added to %(num)d comment about another service: the theme is only for one service.",
                "It was not added to %(num)d comments about other services: the theme is only for one service.",
                result.other_service,
            )
        )
    if result.other_kind:
        parts.append(
            ngettext(
                "It was not added to %(num)d comment that answers another kind of question (what helped, or what "
                "could improve).",
                "It was not added to %(num)d comments that answer another kind of question (what helped, or what "
                "could improve).",
                result.other_kind,
            )
        )
    if result.missing:
        parts.append(
            ngettext(
                "%(num)d selected comment could not be found or opened, and was left as it was.",
                "%(num)d selected comments could not be found or opened, and were left as they were.",
                result.missing,
            )
        )
    return " ".join(parts)


CODING_HELPERS = {"language_label": language_label, "comment_anchor": comment_anchor, "highlight": highlight}
