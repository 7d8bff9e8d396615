"""Public survivor pages."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("survey", __name__)

AUDIENCES = {
    "adult": _l("For people aged 16 and over"),
    "young_person": _l("For young people aged 13 to 24"),
    "anyone": _l("For anyone"),
}


@bp.app_context_processor
def survey_helpers() -> dict:
    from ..htmx import is_htmx
    from .journey import sensitive_warning

    return {
        "is_htmx": is_htmx,
        "warning_text": sensitive_warning,
        "audience_label": lambda audience: AUDIENCES.get(audience, ""),
    }


from . import routes  # noqa: E402,F401
