"""Security headers (with a per-request CSP nonce) and the rate-limit key."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone

from functools import wraps

from flask import Flask, abort, current_app, g, request
from werkzeug.wrappers import Response

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


def csp_nonce() -> str:
    """The nonce for this request's inline-free script tags."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if current_app.config.get("SEND_HSTS"):
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if not request.path.startswith("/static/"):
        # Pages may hold what someone typed: never keep them anywhere.
        headers["Cache-Control"] = "no-store, max-age=0"
        headers["Pragma"] = "no-cache"
    return response


def rate_limit_key() -> str:
    """A key for rate limiting that is never the raw address.

    The client's address is passed through HMAC with a salt derived from the secret key and
    today's date, so keys change every day and cannot be turned back into an address.
    """
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    salt = hmac.new(secret, b"rate-limit:" + day.encode("ascii"), hashlib.sha256).digest()
    return hmac.new(salt, (request.remote_addr or "").encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def new_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(18)


def init_app(app: Flask) -> None:
    app.before_request(new_nonce)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce


# -- access control -----------------------------------------------------------------------
# Every view is either explicitly public or requires one of the staff roles; a test walks
# the URL map and fails on any view that is neither (tests/views/test_route_access.py).

ROLES = ("admin", "coordinator", "worker")


def public(view):
    """Mark a view as open to anyone (survivor pages, sign-in)."""
    view.access = "public"
    return view


def role_required(*roles: str):
    """Allow a view only to signed-in staff with one of ``roles`` who passed two-factor
    where it is required. Anyone else is sent to sign in (or gets 403 if signed in).

    A signed-in account with the right role is first sent to change a temporary password or
    to set up two-factor authentication, if it must (``auth.staff_session.staff_gate``)."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {unknown or 'none given'}")

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from flask_login import current_user

            from .auth.staff_session import staff_gate

            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
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


def current_account():
    """The signed-in staff ``Account`` itself (not Flask-Login's proxy), e.g. to record who acted."""
    from flask_login import current_user

    return current_user._get_current_object()
