"""The ``auth`` blueprint object (staff pages under ``/staff``) and what its templates use."""

from flask import Blueprint

from .access import role_label

bp = Blueprint("auth", __name__, url_prefix="/staff")


@bp.app_context_processor
def staff_helpers() -> dict:
    return {"role_label": role_label}
