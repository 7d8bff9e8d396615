"""The partnership's own facts for the privacy notice (``/privacy``) and the accessibility
statement (``/accessibility``), read from a data file, not code.

The pages' sentences are the templates' (translated with gettext); the facts that differ
from one partnership to another come from a TOML file: the partnership's name in each
language, who the controller is, whom to ask about privacy, the data protection officer,
the lawful basis, the accessibility status with its known issues, and the dates. The file is ``feedback_app/partnership/legal.toml`` unless
``PARTNERSHIP_FILE`` (``FEEDBACK_PARTNERSHIP_FILE``) names another. How long answers are
kept is never in the file: it is ``RETENTION_YEARS`` (``retention.years``).

The file is read and checked once, at start-up (``init_app``): a missing file, bad TOML, a
missing or misspelt key or a malformed value raises ``PartnershipFileError`` (a
``ConfigurationError``) naming the file and the key, so the app does not start rather than
show a broken page. Values still holding a placeholder (a phrase "to be confirmed", or an
address at a reserved example domain) are logged as a warning at start-up.

Free prose (the lawful basis, a known issue) may be given per language::

    [lawful_basis.personal_data]
    en = "UK GDPR Article 6(1)(e) ..."
    pl = "..."

or as one string, which is English. A page in a language the file does not give shows the
English, marked ``lang="en"`` (``Prose.in_language``).

The format (every key is required unless marked optional)::

    site_address = "https://feedback.example.org"   # the address the statement applies to

    [partnership]                      # optional; without it, PARTNERSHIP_NAME in English
    name = "..."                       # prose: the partnership's name, or a table by language

    [controller]                       # who is responsible for the answers (and runs the site)
    name = "..."
    address = ["line", "line", "postcode"]

    [privacy]
    last_updated = 2026-11-28          # the notice's date
    email = "privacy@..."              # questions about privacy
    address = ["..."]                  # optional: by post

    [data_protection_officer]
    name = "..."
    email = "dpo@..."
    address = ["..."]                  # optional

    [lawful_basis]
    personal_data = "..."              # prose: the UK GDPR Article 6 basis
    special_category = "..."           # prose: the Article 9 condition (and DPA 2018 Schedule 1)

    [accessibility]
    compliance = "partial"             # full | partial | none (WCAG 2.2 AA)
    email = "access@..."               # reporting a problem, asking for another format
    phone = "01234 567890"             # optional
    reply_within_days = 10             # working days
    prepared = 2026-11-28
    last_reviewed = 2026-11-28
    last_tested = 2026-11-28
    tested_by = "..."                  # optional: who tested it

    [[accessibility.known_issues]]     # none when compliance = "full"
    criteria = ["2.2.1"]               # WCAG success criteria it fails
    fix_by = 2027-03-31                # optional
    [accessibility.known_issues.text]  # prose
    en = "..."

Never imports: ``insight``, ``reports``, ``demo`` or any blueprint.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale

from ...config import PROJECT_ROOT, ConfigurationError
from . import retention

DEFAULT_FILE = PROJECT_ROOT / "feedback_app" / "partnership" / "legal.toml"
EXTENSION_KEY = "feedback_partnership_facts"
ENGLISH = "en"
COMPLIANCE = ("full", "partial", "none")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9][0-9 ]{5,19}")
CRITERION = re.compile(r"[1-4]\.[0-9]{1,2}\.[0-9]{1,2}")
PLACEHOLDER_PHRASE = "to be confirmed"
EXAMPLE_DOMAINS = re.compile(r"(^|[@./])(example\.(org|com|net)|[a-z0-9-]+\.example)(/|$)", re.IGNORECASE)

logger = logging.getLogger("feedback_app.partnership")


class PartnershipFileError(ConfigurationError):
    """The partnership's data file is missing or wrong; the message names the file and the key."""


# -- what the pages are given ---------------------------------------------------------------


@dataclass(frozen=True)
class InLanguage:
    """A piece of prose for one page: ``lang`` is set when it is not in the page's language."""

    text: str
    lang: str | None


@dataclass(frozen=True)
class Prose:
    """Free prose from the file, by language; English is always there."""

    texts: Mapping[str, str]

    def in_language(self, locale: str) -> InLanguage:
        if locale in self.texts:
            return InLanguage(self.texts[locale], None)
        return InLanguage(self.texts[ENGLISH], ENGLISH)


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: tuple[str, ...] = ()

    @property
    def phone_link(self) -> str:
        """The number for a ``tel:`` link."""
        return "tel:" + self.phone.replace(" ", "")


@dataclass(frozen=True)
class KnownIssue:
    text: Prose
    criteria: tuple[str, ...]
    fix_by: date | None


@dataclass(frozen=True)
class Accessibility:
    compliance: str
    contact: Contact
    reply_within_days: int
    prepared: date
    last_reviewed: date
    last_tested: date
    tested_by: str
    known_issues: tuple[KnownIssue, ...]


@dataclass(frozen=True)
class PartnershipFacts:
    site_address: str
    partnership_name: Prose | None  # None: the file does not name it (PARTNERSHIP_NAME is used)
    controller: Contact
    privacy_updated: date
    privacy_contact: Contact
    data_protection_officer: Contact
    personal_data_basis: Prose
    special_category_basis: Prose
    accessibility: Accessibility


@dataclass(frozen=True)
class PrivacyNotice:
    facts: PartnershipFacts
    retention_years: int
    disclosure_threshold: int  # counts below this are never shown as a number


# -- reading and checking the file ------------------------------------------------------------


def _joined(where: str, key: str) -> str:
    """A key's full name: ``controller.name``, or ``site_address`` at the top of the file."""
    return f"{where}.{key}" if where else key


class _Reader:
    """Reads one file's tables, naming the file and the key in every error."""

    def __init__(self, path: Path, languages: tuple[str, ...]) -> None:
        self.path = path
        self.languages = languages

    def load(self, setting: str) -> dict:
        """The file's tables; ``setting`` is the environment variable that names the file."""
        try:
            with self.path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise self.fail("", f"there is no such file (set {setting} to the right path)") from None
        except OSError as exc:
            raise self.fail("", f"cannot be read ({exc.strerror})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise self.fail("", f"is not valid TOML ({exc})") from exc

    def fail(self, where: str, problem: str) -> PartnershipFileError:
        place = f" at {where}" if where else ""
        return PartnershipFileError(f"Cannot start: the partnership file {self.path}{place}: {problem}.")

    def table(self, data: Mapping, key: str, where: str, allowed: set[str], required: set[str]) -> dict:
        value = data.get(key)
        name = _joined(where, key)
        if not isinstance(value, dict):
            raise self.fail(name, "needs a table" + ("" if value is None else f", not {type(value).__name__}"))
        self.keys(value, name, allowed, required)
        return value

    def keys(self, table: Mapping, where: str, allowed: set[str], required: set[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")
        missing = sorted(required - set(table))
        if missing:
            raise self.fail(where, f"missing {missing[0]!r}")

    def text(self, table: Mapping, key: str, where: str, optional: bool = False) -> str:
        value = table.get(key, "" if optional else None)
        if not isinstance(value, str) or not (value.strip() or optional):
            raise self.fail(_joined(where, key), "needs some text")
        return value.strip()

    def lines(self, table: Mapping, key: str, where: str, optional: bool = False) -> tuple[str, ...]:
        value = table.get(key, [] if optional else None)
        if not isinstance(value, list) or not all(isinstance(line, str) and line.strip() for line in value):
            raise self.fail(_joined(where, key), 'needs a list of lines, like ["1 High Street", "Town", "AB1 2CD"]')
        if not value and not optional:
            raise self.fail(_joined(where, key), "needs at least one line")
        return tuple(line.strip() for line in value)

    def email(self, table: Mapping, key: str, where: str) -> str:
        value = self.text(table, key, where)
        if not EMAIL.fullmatch(value):
            raise self.fail(_joined(where, key), f"{value!r} is not an email address")
        return value

    def phone(self, table: Mapping, key: str, where: str) -> str:
        value = self.text(table, key, where, optional=True)
        if value and not PHONE.fullmatch(value):
            raise self.fail(_joined(where, key), f"{value!r} is not a phone number (digits and spaces)")
        return value

    def day(self, table: Mapping, key: str, where: str, optional: bool = False) -> date | None:
        value = table.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(_joined(where, key), "needs a date written like 2026-11-28 (no quotes)")
        return value

    def prose(self, table: Mapping, key: str, where: str) -> Prose:
        value = table.get(key)
        name = _joined(where, key)
        if isinstance(value, str):
            value = {ENGLISH: value}
        if not isinstance(value, dict):
            raise self.fail(name, "needs text, or a table of texts by language (en, pl, ...)")
        unknown = sorted(set(value) - set(self.languages))
        if unknown:
            raise self.fail(name, f"unknown language {unknown[0]!r} (known: {', '.join(self.languages)})")
        if ENGLISH not in value:
            raise self.fail(name, "needs the English text (en)")
        texts = {}
        for language, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{name}.{language}", "needs some text")
            texts[language] = " ".join(text.split())  # one paragraph, however the file wraps it
        return Prose(texts)


def read_file(path: Path, languages: tuple[str, ...]) -> PartnershipFacts:
    """The facts in ``path``; ``PartnershipFileError`` if it is missing or wrong."""
    reader = _Reader(path, languages)
    data = reader.load("FEEDBACK_PARTNERSHIP_FILE")

    required = {"site_address", "controller", "privacy", "data_protection_officer", "lawful_basis", "accessibility"}
    reader.keys(data, "", required | {"partnership"}, required)
    site_address = reader.text(data, "site_address", "")
    if not site_address.startswith("https://"):
        raise reader.fail("site_address", "needs the site's https:// address")

    partnership_name = None
    if "partnership" in data:
        table = reader.table(data, "partnership", "", {"name"}, {"name"})
        partnership_name = reader.prose(table, "name", "partnership")

    table = reader.table(data, "controller", "", {"name", "address"}, {"name", "address"})
    controller = Contact(name=reader.text(table, "name", "controller"), address=reader.lines(table, "address", "controller"))

    table = reader.table(data, "privacy", "", {"last_updated", "email", "address"}, {"last_updated", "email"})
    privacy_updated = reader.day(table, "last_updated", "privacy")
    privacy_contact = Contact(
        email=reader.email(table, "email", "privacy"),
        address=reader.lines(table, "address", "privacy", optional=True),
    )

    where = "data_protection_officer"
    table = reader.table(data, where, "", {"name", "email", "address"}, {"name", "email"})
    officer = Contact(
        name=reader.text(table, "name", where),
        email=reader.email(table, "email", where),
        address=reader.lines(table, "address", where, optional=True),
    )

    table = reader.table(data, "lawful_basis", "", {"personal_data", "special_category"}, {"personal_data", "special_category"})
    personal_data = reader.prose(table, "personal_data", "lawful_basis")
    special_category = reader.prose(table, "special_category", "lawful_basis")

    return PartnershipFacts(
        site_address=site_address,
        partnership_name=partnership_name,
        controller=controller,
        privacy_updated=privacy_updated,
        privacy_contact=privacy_contact,
        data_protection_officer=officer,
        personal_data_basis=personal_data,
        special_category_basis=special_category,
        accessibility=_accessibility(reader, data),
    )


def _accessibility(reader: _Reader, data: Mapping) -> Accessibility:
    where = "accessibility"
    allowed = {
        "compliance", "email", "phone", "reply_within_days", "prepared", "last_reviewed", "last_tested",
        "tested_by", "known_issues",
    }
    table = reader.table(data, where, "", allowed, allowed - {"phone", "tested_by", "known_issues"})
    compliance = table["compliance"]
    if compliance not in COMPLIANCE:
        raise reader.fail(f"{where}.compliance", f"{compliance!r} should be one of {', '.join(COMPLIANCE)}")
    days = table["reply_within_days"]
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
        raise reader.fail(f"{where}.reply_within_days", "needs a number of working days (1 to 60)")
    issues = table.get("known_issues", [])
    if not isinstance(issues, list):
        raise reader.fail(f"{where}.known_issues", "needs [[accessibility.known_issues]] tables")
    known = tuple(_known_issue(reader, issue, f"{where}.known_issues[{n}]") for n, issue in enumerate(issues, 1))
    if compliance == "full" and known:
        raise reader.fail(f"{where}.known_issues", 'lists issues, so compliance cannot be "full"')
    if compliance != "full" and not known:
        raise reader.fail(f"{where}.known_issues", f'is empty, so compliance cannot be "{compliance}"')
    prepared = reader.day(table, "prepared", where)
    reviewed = reader.day(table, "last_reviewed", where)
    if reviewed < prepared:
        raise reader.fail(f"{where}.last_reviewed", "is before the statement was prepared")
    return Accessibility(
        compliance=compliance,
        contact=Contact(email=reader.email(table, "email", where), phone=reader.phone(table, "phone", where)),
        reply_within_days=days,
        prepared=prepared,
        last_reviewed=reviewed,
        last_tested=reader.day(table, "last_tested", where),
        tested_by=reader.text(table, "tested_by", where, optional=True),
        known_issues=known,
    )


def _known_issue(reader: _Reader, issue: Any, where: str) -> KnownIssue:
    if not isinstance(issue, dict):
        raise reader.fail(where, "needs a table")
    reader.keys(issue, where, {"text", "criteria", "fix_by"}, {"text", "criteria"})
    criteria = issue["criteria"]
    if not isinstance(criteria, list) or not criteria or not all(isinstance(c, str) and CRITERION.fullmatch(c) for c in criteria):
        raise reader.fail(f"{where}.criteria", 'needs a list of WCAG success criteria, like ["2.2.1"]')
    return KnownIssue(
        text=reader.prose(issue, "text", where),
        criteria=tuple(criteria),
        fix_by=reader.day(issue, "fix_by", where, optional=True),
    )


def placeholders(facts: PartnershipFacts) -> list[str]:
    """The values still holding a placeholder the partnership must replace."""
    found = []

    def look(name: str, value: Any) -> None:
        if isinstance(value, str):
            if PLACEHOLDER_PHRASE in value.lower() or EXAMPLE_DOMAINS.search(value):
                found.append(name)
        elif isinstance(value, Prose):
            look(name, value.texts[ENGLISH])
        elif isinstance(value, tuple):
            if any(isinstance(v, str) and (PLACEHOLDER_PHRASE in v.lower()) for v in value):
                found.append(name)

    look("site_address", facts.site_address)
    if facts.partnership_name is not None:
        look("partnership.name", facts.partnership_name)
    for section, contact in (
        ("controller", facts.controller),
        ("privacy", facts.privacy_contact),
        ("data_protection_officer", facts.data_protection_officer),
        ("accessibility", facts.accessibility.contact),
    ):
        for field in ("name", "email", "address"):
            look(f"{section}.{field}", getattr(contact, field))
    look("lawful_basis.personal_data", facts.personal_data_basis)
    look("lawful_basis.special_category", facts.special_category_basis)
    look("accessibility.tested_by", facts.accessibility.tested_by)
    return found


# -- in the application -----------------------------------------------------------------------


def file_path(app: Flask) -> Path:
    return Path(app.config.get("PARTNERSHIP_FILE") or DEFAULT_FILE)


def init_app(app: Flask) -> None:
    """Read and check the file once; ``PartnershipFileError`` stops start-up."""
    path = file_path(app)
    facts = read_file(path, tuple(app.config["SUPPORTED_LOCALES"]))
    unfilled = placeholders(facts)
    if unfilled:
        logger.warning(
            "the partnership file %s still has placeholders for the privacy notice and accessibility "
            "statement: %s",
            path,
            ", ".join(unfilled),
        )
    app.extensions[EXTENSION_KEY] = facts
    app.jinja_env.globals["partnership_name"] = partnership_name


def partnership_facts() -> PartnershipFacts:
    return current_app.extensions[EXTENSION_KEY]


def partnership_name(locale: str | None = None) -> str:
    """The partnership's name in ``locale`` (the current language by default): the file's
    name in that language, else its English name, else ``PARTNERSHIP_NAME`` (English).
    Templates call it as ``partnership_name()``."""
    name = partnership_facts().partnership_name
    if name is None:
        return current_app.config["PARTNERSHIP_NAME"]
    return name.in_language(locale or str(get_locale())).text


def privacy_notice() -> PrivacyNotice:
    """What the privacy notice says: the file's facts, how long answers are kept and the
    smallest count ever shown."""
    return PrivacyNotice(
        facts=partnership_facts(),
        retention_years=retention.years(),
        disclosure_threshold=int(current_app.config["DISCLOSURE_THRESHOLD"]),
    )


def accessibility_statement() -> PartnershipFacts:
    return partnership_facts()
