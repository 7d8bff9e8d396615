"""Signposting: the helplines survivors are shown, read from the partnership's data file
(``feedback_app/partnership/signposting.toml`` unless ``SIGNPOSTING_FILE`` /
``FEEDBACK_SIGNPOSTING_FILE`` names another), checked once at start-up like the legal pages'
file (``legal_pages``): anything wrong stops start-up with the file and the key named.

Each helpline says which survey audiences it is for (``adult``, ``young_person``, ``anyone``);
pages that belong to no survey (the landing page, staying safe, the legal pages) show those
for ``anyone``. The sentences around a helpline ("Free to call.", "Open 24 hours, every
day.") are the templates' and translated there; names, who a line is for and opening hours
are prose by language with English as the fallback.

The format::

    checked = 2026-11-28                 # when every number and opening time was last checked
    urgent = "national_domestic_abuse"   # the helpline "If you are not safe now" names

    [[helplines]]
    key = "national_domestic_abuse"      # letters, digits and _
    number = "0808 2000 247"
    web = "https://..."                  # optional
    audiences = ["adult", "anyone"]
    free = true                          # optional flags, false when left out
    confidential = true
    always_open = true                   # otherwise give hours
    interpreters = true
    name = "..."                         # prose (or a table by language)
    for_whom = "..."                     # optional prose
    hours = "..."                        # prose, unless always_open

Never imports: ``insight``, ``reports``, ``demo`` or any blueprint.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask import Flask, current_app

from ...config import PROJECT_ROOT
from .legal_pages import Contact, Prose, _Reader

DEFAULT_FILE = PROJECT_ROOT / "feedback_app" / "partnership" / "signposting.toml"
EXTENSION_KEY = "feedback_signposting"
AUDIENCES = ("adult", "young_person", "anyone")
GENERAL = "anyone"  # pages that belong to no survey
KEY = re.compile(r"[a-z][a-z0-9_]*")
STALE_AFTER = timedelta(days=183)
FLAGS = ("free", "confidential", "always_open", "interpreters")

logger = logging.getLogger("feedback_app.partnership")


@dataclass(frozen=True)
class Helpline:
    key: str
    name: Prose
    number: str
    web: str
    audiences: tuple[str, ...]
    free: bool = False
    confidential: bool = False
    always_open: bool = False
    interpreters: bool = False
    for_whom: Prose | None = None
    hours: Prose | None = None

    @property
    def phone_link(self) -> str:
        return Contact(phone=self.number).phone_link


@dataclass(frozen=True)
class Signposting:
    checked: date
    helplines: tuple[Helpline, ...]
    urgent: Helpline

    def for_audience(self, audience: str | None) -> tuple[Helpline, ...]:
        wanted = audience if audience in AUDIENCES else GENERAL
        return tuple(h for h in self.helplines if wanted in h.audiences)


def read_file(path: Path, languages: tuple[str, ...]) -> Signposting:
    reader = _Reader(path, languages)
    data = reader.load("FEEDBACK_SIGNPOSTING_FILE")
    reader.keys(data, "", {"checked", "urgent", "helplines"}, {"checked", "urgent", "helplines"})
    checked = reader.day(data, "checked", "")
    raw = data.get("helplines")
    if not isinstance(raw, list) or not raw:
        raise reader.fail("helplines", "needs at least one [[helplines]] table")
    helplines = tuple(_helpline(reader, table, n) for n, table in enumerate(raw, 1))
    keys = [h.key for h in helplines]
    for key in keys:
        if keys.count(key) > 1:
            raise reader.fail(f"helplines.{key}", "this key is used more than once")
    for audience in AUDIENCES:
        if not any(audience in h.audiences for h in helplines):
            raise reader.fail("helplines", f"no helpline is for the {audience!r} audience")
    urgent = reader.text(data, "urgent", "")
    if urgent not in keys:
        raise reader.fail("urgent", f"{urgent!r} is not one of the helplines' keys ({', '.join(keys)})")
    return Signposting(checked, helplines, helplines[keys.index(urgent)])


def _helpline(reader: _Reader, table: object, n: int) -> Helpline:
    where = f"helplines[{n}]"
    if not isinstance(table, dict):
        raise reader.fail(where, "needs a table")
    allowed = {"key", "number", "web", "audiences", "name", "for_whom", "hours", *FLAGS}
    reader.keys(table, where, allowed, {"key", "number", "audiences", "name"})
    key = reader.text(table, "key", where)
    if not KEY.fullmatch(key):
        raise reader.fail(f"{where}.key", "needs lower-case letters, digits and _")
    where = f"helplines.{key}"
    number = reader.phone(table, "number", where)
    if not number:
        raise reader.fail(f"{where}.number", "needs the phone number")
    web = reader.text(table, "web", where, optional=True)
    if web and not web.startswith("https://"):
        raise reader.fail(f"{where}.web", "needs an https:// address")
    audiences = table.get("audiences")
    if not isinstance(audiences, list) or not audiences or not set(audiences) <= set(AUDIENCES):
        raise reader.fail(f"{where}.audiences", f"needs a list of one or more of {', '.join(AUDIENCES)}")
    flags = {}
    for flag in FLAGS:
        value = table.get(flag, False)
        if not isinstance(value, bool):
            raise reader.fail(f"{where}.{flag}", "needs true or false")
        flags[flag] = value
    if not flags["always_open"] and "hours" not in table:
        raise reader.fail(where, "needs 'hours', or always_open = true")
    return Helpline(
        key=key,
        name=reader.prose(table, "name", where),
        number=number,
        web=web,
        audiences=tuple(audiences),
        for_whom=reader.prose(table, "for_whom", where) if "for_whom" in table else None,
        hours=reader.prose(table, "hours", where) if "hours" in table else None,
        **flags,
    )


def file_path(app: Flask) -> Path:
    return Path(app.config.get("SIGNPOSTING_FILE") or DEFAULT_FILE)


def init_app(app: Flask) -> None:
    """Read and check the file once; a ``PartnershipFileError`` stops start-up."""
    path = file_path(app)
    signposting = read_file(path, tuple(app.config["SUPPORTED_LOCALES"]))
    if date.today() - signposting.checked > STALE_AFTER:
        logger.warning(
            "the helplines in %s were last checked on %s: check every number and opening time with its "
            "service, then update 'checked'",
            path,
            signposting.checked.isoformat(),
        )
    app.extensions[EXTENSION_KEY] = signposting


def signposting() -> Signposting:
    return current_app.extensions[EXTENSION_KEY]


def helplines_for(audience: str | None) -> tuple[Helpline, ...]:
    """The helplines a page for ``audience`` (a survey's audience, or None) shows."""
    return signposting().for_audience(audience)
