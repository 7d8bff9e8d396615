"""The ``survivor`` blueprint object (public pages, no URL prefix) and what its templates use."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..services.operations.signposting import helplines_for, signposting

bp = Blueprint("survivor", __name__)

AUDIENCES = {
    "adult": _l("For people aged 16 and over"),
    "young_person": _l("For young people aged 13 to 24"),
    "anyone": _l("For anyone"),
}


@bp.app_context_processor
def survivor_helpers() -> dict:
    return {
        "audience_label": lambda audience: AUDIENCES.get(audience, ""),
        "helplines_for": helplines_for,
        "urgent_helpline": lambda: signposting().urgent,
    }
