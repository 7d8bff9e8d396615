"""Who may open a page: every view is either ``public`` or ``role_required(...)``.

A test walks the URL map and fails on any view that is neither
(``tests/views/test_route_access.py``). This is the one module of ``auth`` that other
blueprints import; it imports no blueprint.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import ROLES, Account
from .staff_session import hand_over, handed_over, handover_gate, staff_gate, take_back

__all__ = [
    "ROLE_LABELS", "current_account", "hand_over", "handed_over", "public", "role_label", "role_required", "take_back",
]

ROLE_LABELS = {"admin": _l("Admin"), "coordinator": _l("Coordinator"), "worker": _l("Support worker")}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def public(view):
    """Mark a view as open to anyone (survivor pages, sign-in)."""
    view.access = "public"
    return view


def role_required(*roles: str):
    """Allow a view only to signed-in staff with one of ``roles`` who passed two-factor
    where it is required. Anyone else is sent to sign in (or gets 403 if signed in).

    While a worker's tablet is handed over, every such view answers with the PIN screen,
    whoever's it is (``staff_session.handover_gate``). A signed-in account with the right role
    is first sent to change a temporary password or to set up two-factor authentication, if
    it must (``staff_session.staff_gate``)."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {unknown or 'none given'}")

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            locked = handover_gate()
            if locked is not None:
                return locked
            if current_user.role not in roles:
                abort(403)
            detour = staff_gate()
            if detour is not None:
                return detour
            return view(*args, **kwargs)

        wrapped.access = tuple(roles)
        wrapped.needs_session = True  # an idle-timed-out session is sent to sign in again
        return wrapped

    return decorate


def current_account() -> Account:
    """The signed-in staff ``Account`` itself (not Flask-Login's proxy), e.g. to record who acted."""
    return current_user._get_current_object()
