"""Security headers (with a per-request CSP nonce) and the rate-limit key.

A base module: it imports nothing of ours (a rule in ``tests/unit/test_architecture.py``).
Role checks live in ``auth.access``."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone

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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refuse_cross_site_posts() -> None:
    """Refuse a form post that the browser says came from another site.

    Browsers send ``Sec-Fetch-Site`` whatever the referrer policy, so this stands in for
    the Referer check that ``Referrer-Policy: no-referrer`` rules out. Clients that send no
    such header (older browsers, scripts) are left to the CSRF token and the SameSite
    cookie."""
    if request.method not in SAFE_METHODS and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        abort(403)


def init_app(app: Flask) -> None:
    app.before_request(new_nonce)
    app.before_request(refuse_cross_site_posts)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
