"""Pages that are the same for everyone (in one language) are rendered once.

The landing and "staying safe online" pages hold nothing personal: only the language and
the CSP nonce differ between requests. They are rendered once per language with a
placeholder nonce, and each request gets a copy with its own nonce.
"""

from __future__ import annotations

from flask import current_app, g, render_template
from flask_babel import get_locale

from .security import csp_nonce

PLACEHOLDER = "__csp_nonce_placeholder__"
EXTENSION_KEY = "feedback_page_cache"


def render_shared_page(template: str, **context) -> str:
    cache: dict = current_app.extensions.setdefault(EXTENSION_KEY, {})
    key = (template, str(get_locale()))
    html = cache.get(key)
    nonce = csp_nonce()
    if html is None:
        g.csp_nonce = PLACEHOLDER
        try:
            html = render_template(template, **context)
        finally:
            g.csp_nonce = nonce
        cache[key] = html
    return html.replace(PLACEHOLDER, nonce)
