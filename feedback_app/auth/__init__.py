"""Staff sign-in (password, then a two-factor code), sign-out, the idle timeout, and each
staff member's own account: password and two-factor set-up."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from . import account_routes, routes  # noqa: F401  (each registers its views on ``bp``)
from .blueprint import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Wire Flask-Login to accounts, and the idle timeout and narrative keys to every request."""
    from ..extensions import login_manager
    from ..services.staff.accounts import load_signed_in
    from ..services.staff.narrative_sessions import load_for_request
    from .staff_session import enforce_idle_timeout, forget_cached_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    # Our own check (the session nonce in the user id) replaces Flask-Login's "session
    # protection", which would keep a hash of the address and user agent in the cookie.
    login_manager.session_protection = None
    login_manager._session_identifier_generator = lambda: ""
    login_manager.user_loader(load_signed_in)
    app.before_request(forget_cached_user)
    app.before_request(enforce_idle_timeout)
    app.before_request(load_for_request)  # a coordinator's narrative keys, for this request only

