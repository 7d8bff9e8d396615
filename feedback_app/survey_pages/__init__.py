"""A survey, screen by screen, for whoever holds the device: a survivor on their own phone
(``survivor`` blueprint) or a survivor on a worker's tablet (``worker`` blueprint).

``journey`` reads the answers a page carries and works out the next screen; ``screens``
renders it (a full page, or the htmx fragment). Neither stores anything before the final
submit. No blueprint is imported here: each blueprint passes its own URLs in a
``SurveyContext``.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Helpers the survey templates use, for every blueprint that renders them."""
    from ..htmx import is_htmx
    from .journey import sensitive_warning

    app.context_processor(lambda: {"is_htmx": is_htmx, "warning_text": sensitive_warning})
