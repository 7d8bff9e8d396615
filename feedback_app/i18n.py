"""Languages: which are supported, which one a request gets, and ``<html lang dir>``.

A locale is chosen by, in order: an explicit choice (``?lang=xx`` on a link, or a
``lang`` field posted with a form), then the language cookie set by an earlier explicit
choice, then the browser's ``Accept-Language``, then English.
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, request
from babel import dates as babel_dates
from flask_babel import format_number, get_locale, get_translations, refresh
from flask_babel import gettext, pgettext
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .config import PROJECT_ROOT, ConfigurationError
from .surveys.schema import MESSAGE_CONTEXTS

LANG_COOKIE = "lang"
LANG_FIELD = "lang"
OFFERED_KEY = "feedback_offered_locales"

logger = logging.getLogger("feedback_app.i18n")

# Messages from these places are what a survivor can meet.
SURVIVOR_SOURCES = (
    "feedback_app/templates/base.html",
    "feedback_app/templates/components/",
    "feedback_app/templates/errors/",
    "feedback_app/templates/survey/",
    "feedback_app/templates/survivor/",
    "feedback_app/survivor/",
    "feedback_app/survey_pages/",
    "feedback_app/surveys/definitions/",
)


def supported_locales() -> tuple[str, ...]:
    """The languages offered: configured ones whose survivor-facing text is complete."""
    return current_app.extensions[OFFERED_KEY]


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


def use_locale(code: str) -> None:
    """Switch this request to ``code`` as if it had been chosen explicitly (and remember it)."""
    if code in supported_locales():
        g.locale_choice = g.explicit_locale = code
        refresh()


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


# Languages whose dates follow a region other than the language's default: the site is British,
# so English dates are "28 Nov 2026", not "Nov 28, 2026".
DATE_REGIONS = {"en": "en_GB"}


def format_date(value, format: str = "medium") -> str:  # noqa: A002 - Babel's own name
    """A date as people of the current language write it here (en_GB for English)."""
    code = str(get_locale())
    return babel_dates.format_date(value, format=format, locale=DATE_REGIONS.get(code, code))


def format_months(start, end) -> str:
    """The months from ``start`` to ``end`` as people of the current language write them:
    "April – June 2026", "kwiecień–czerwiec 2026" (for a quarter, in words anyone reads)."""
    code = str(get_locale())
    return babel_dates.format_interval(start, end, skeleton="yMMMM", locale=DATE_REGIONS.get(code, code))


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """The current language's form of a message for each of its plural categories (CLDR:
    "one", "few", "other", ...), with ``%(num)s`` left in: for text the browser fills in as
    a number changes (``Intl.PluralRules`` picks the category)."""
    code = str(get_locale())
    rule = Locale.parse(code).plural_form
    samples: dict[str, int] = {}
    for number in range(0, 200):
        samples.setdefault(rule(number), number)
    translations = get_translations()
    return {category: translations.ungettext(singular, plural, number) for category, number in samples.items()}


# The message contexts survey texts may have, in the order a context-free look-up tries them.
SURVEY_CONTEXTS = tuple(dict.fromkeys(MESSAGE_CONTEXTS.values()))


def survey_text(message: str, context: str | None = None) -> str:
    """A survey text (title, question, hint, choice, ...) in the current language, never
    %-formatted. ``context`` is the survey's message context (``Survey.message_context``):
    the young-person survey's texts are their own messages, worded for young people.

    Without a context (adult and open surveys, or staff pages that show master wording from
    any survey): the context-free message, else the first survey context that translates
    it, so a young-person-only label ("Family") still reads in the page's language.
    """
    if context:
        return pgettext(context, message)
    text = gettext(message)
    if text == message:
        for survey_context in SURVEY_CONTEXTS:
            text = pgettext(survey_context, message)
            if text != message:
                break
    return text


def survey_translator(context: str | None):
    """``survey_text`` for one survey's context, as a one-argument function (for
    ``StepInstance.render_title``)."""

    def translate(message: str) -> str:
        return survey_text(message, context)

    return translate


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


def catalog_path(locale_code: str) -> Path:
    return PROJECT_ROOT / "translations" / locale_code / "LC_MESSAGES" / "messages.po"


def is_survivor_facing(message: Message) -> bool:
    return any(path.startswith(SURVIVOR_SOURCES) for path, _line in message.locations)


def missing_survivor_messages(locale_code: str) -> list[str]:
    """Survivor-facing messages with no usable translation (empty or fuzzy) in a catalog."""
    path = catalog_path(locale_code)
    if not path.exists():
        return ["(no catalog)"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale_code)
    missing = []
    for message in catalog:
        if not message.id or not is_survivor_facing(message):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def offered_locales(app: Flask) -> tuple[str, ...]:
    """Configured locales that survivors can be offered; incomplete ones are logged and left out."""
    offered = []
    for code in app.config["SUPPORTED_LOCALES"]:
        if code == app.config["BABEL_DEFAULT_LOCALE"]:
            offered.append(code)
            continue
        missing = missing_survivor_messages(code)
        if missing and not app.config.get("OFFER_INCOMPLETE_LOCALES"):
            logger.warning("language %s is not offered: %d survivor-facing messages are not translated", code, len(missing))
            continue
        offered.append(code)
    logger.info("languages offered: %s", ", ".join(offered))
    return tuple(offered)


def forget_previous_choice() -> None:
    """Each request chooses afresh (the application context can outlive a request)."""
    g.pop("locale_choice", None)
    g.pop("explicit_locale", None)
    refresh()


def init_app(app: Flask) -> None:
    validate_locales(app)
    app.extensions[OFFERED_KEY] = offered_locales(app)
    app.before_request(forget_previous_choice)
    app.after_request(remember_choice)
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale()),
        text_direction=text_direction,
        language_name=language_name,
        supported_locales=supported_locales,
        format_number=format_number,
        # Survey content: translated text that is never %-formatted. translate(text, context):
        # context is the survey's message context (survey.message_context), or none.
        translate=survey_text,
        survey_translator=survey_translator,
        format_date=format_date,
        plural_forms=plural_forms,
    )
