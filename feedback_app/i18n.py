"""Languages: which are supported, which one a request gets, and ``<html lang dir>``.

A locale is chosen by, in order: an explicit choice (``?lang=xx`` on a link, or a
``lang`` field posted with a form), then the language cookie set by an earlier explicit
choice, then the browser's ``Accept-Language``, then English.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, request
from flask_babel import format_date, format_number, get_locale
from flask_babel import gettext as translate
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .config import ConfigurationError

LANG_COOKIE = "lang"
LANG_FIELD = "lang"


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["SUPPORTED_LOCALES"])


def _explicit_choice() -> str | None:
    choice = request.args.get(LANG_FIELD, "")
    if not choice and request.method == "POST":
        try:
            choice = request.form.get(LANG_FIELD, "")
        except HTTPException:  # e.g. a body too large to read: the error page still renders
            choice = ""
    return choice if choice in supported_locales() else None


def select_locale() -> str:
    if "locale_choice" in g:
        return g.locale_choice
    choice = _explicit_choice()
    if choice:
        g.explicit_locale = choice
    else:
        cookie = request.cookies.get(LANG_COOKIE, "")
        if cookie in supported_locales():
            choice = cookie
        else:
            choice = request.accept_languages.best_match(supported_locales()) or current_app.config[
                "BABEL_DEFAULT_LOCALE"
            ]
    g.locale_choice = choice
    return choice


def remember_choice(response: Response) -> Response:
    """An explicit choice is remembered for the browser session only."""
    choice = g.get("explicit_locale")
    if choice and request.cookies.get(LANG_COOKIE) != choice:
        response.set_cookie(
            LANG_COOKIE,
            choice,
            httponly=True,
            samesite="Strict",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def text_direction(locale_code: str | None = None) -> str:
    locale = Locale.parse(locale_code or str(get_locale()))
    return locale.text_direction


def language_name(locale_code: str) -> str:
    """A language's name in its own language, e.g. "polski"."""
    return Locale.parse(locale_code).get_display_name(locale_code) or locale_code


def validate_locales(app: Flask) -> None:
    """Stop start-up if a configured locale is not a real locale."""
    configured = app.config.get("SUPPORTED_LOCALES") or ()
    if not configured or app.config["BABEL_DEFAULT_LOCALE"] not in configured:
        raise ConfigurationError("Cannot start: SUPPORTED_LOCALES must include the default locale 'en'.")
    for code in configured:
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError) as exc:
            raise ConfigurationError(f"Cannot start: SUPPORTED_LOCALES has an unknown locale {code!r}.") from exc


def init_app(app: Flask) -> None:
    validate_locales(app)
    app.after_request(remember_choice)
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale()),
        text_direction=text_direction,
        language_name=language_name,
        supported_locales=supported_locales,
        format_number=format_number,
        # Survey content: translated text that is never %-formatted.
        translate=translate,
        format_date=format_date,
    )
