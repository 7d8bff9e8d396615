"""“You said, we did”: statements, their wording per language, approval and publication.

A statement is about one financial-year quarter and one service (or ``GENERAL``). Its
wording has two parts, what people said (``you_said``) and what was done (``we_did``), each
at most ``PART_MAX_LENGTH`` characters, in English (the master) and in each other offered
language, entered by a coordinator. Per language the wording is missing, a draft, or
approved; a draft may lack a part, an approved wording has both.

A statement is published or withdrawn as a whole, and shown on the public page in a
language only when its wording in that language *and* in English is approved. Changing
the English sends every translation back to draft (marked ``english_changed``), because
it was a translation of other words. Changing any approved wording makes it a draft
again unless it is approved as it is saved: only approved words are ever public.

Publishing, withdrawing and approving a wording are written to the audit log with the
statement's period, service and language, never its words. Nothing here counts responses:
a statement holds only the numbers a coordinator typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Account, Statement, StatementText
from ...models.account import utcnow
from ...surveys.registry import all_surveys
from ..figures import periods
from ..figures.filters import Option, union_services
from ..staff import audit

MASTER = "en"
GENERAL = "general"
PART_MAX_LENGTH = 600
MISSING, DRAFT, APPROVED = "missing", "draft", "approved"
PUBLISHED, WITHDRAWN = "published", "withdrawn"
PARTS = ("you_said", "we_did")
# Quarters offered for a new statement: those that have started, in this many financial years.
YEARS_OFFERED = 3

NOTHING_WRITTEN = _l("Write what people told us, what was done, or both, before saving.")
NEEDS_YOU_SAID = _l("Write what people told us before approving.")
NEEDS_WE_DID = _l("Write what was done before approving.")
TOO_LONG = _l("Keep this to %(n)d characters or fewer.", n=PART_MAX_LENGTH)
BAD_PERIOD = _l("Choose a quarter from the list.")
BAD_SERVICE = _l("Choose a service from the list, or “General”.")
NOTHING_TO_APPROVE = _l("There is no wording in this language yet. Write it first.")
INCOMPLETE = _l("Write both parts before approving: what people told us and what was done.")
ENGLISH_FIRST = _l(
    "Approve the English wording first. A statement is published only when its English wording is approved."
)
ALREADY_PUBLISHED = _l("This statement is already published.")
NOT_PUBLISHED = _l("This statement is not published, so there is nothing to withdraw.")
SAVED_BY_SOMEONE_ELSE = _l("Someone saved this wording at the same moment. Check it below, then save again.")


class StatementError(ValueError):
    """A change that cannot be made, with a message per form field (``""``: not about one
    field). Nothing was changed."""

    def __init__(self, errors: dict[str, list]) -> None:
        super().__init__("the statement was not changed")
        self.errors = errors

    @classmethod
    def about(cls, field: str, message) -> StatementError:
        return cls({field: [message]})


@dataclass(frozen=True)
class SaveResult:
    text: StatementText
    approved: bool
    # Translations sent back to draft (or marked) because the English changed.
    translations_to_check: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceGroup:
    service: str
    label: str | None  # the English master label of the service; None for GENERAL
    items: tuple  # Statement (overview) or StatementText (public page)


@dataclass(frozen=True)
class PeriodGroup:
    period: periods.Period
    services: tuple[ServiceGroup, ...]


@dataclass(frozen=True)
class PublicStatements:
    """What the public page shows in one language, and whether English has more."""

    language: str
    groups: tuple[PeriodGroup, ...]
    more_in_english: bool


# -- languages, periods and services ----------------------------------------------------------


def languages() -> tuple[str, ...]:
    """Every language a statement can be worded in: English first, then the configured ones."""
    configured = current_app.config["SUPPORTED_LOCALES"]
    return (MASTER, *(code for code in configured if code != MASTER))


def translation_languages() -> tuple[str, ...]:
    return languages()[1:]


def period_options(today: date, keep: str | None = None) -> list[periods.Period]:
    """Quarters a statement can be about, newest first: those that have started in the last
    ``YEARS_OFFERED`` financial years, and ``keep`` (a statement's own, however old)."""
    options = [p for p in periods.recent_periods(today, YEARS_OFFERED) if p.kind == periods.QUARTER]
    kept = _quarter(keep) if keep else None
    if kept is not None and kept not in options:
        options.append(kept)
        options.sort(key=lambda p: p.start, reverse=True)
    return options


def service_options() -> tuple[Option, ...]:
    """The services a statement can be about besides ``GENERAL``: the dashboard's service
    keys, with their English master labels, in the surveys' order."""
    return union_services(all_surveys().values())


def service_label(service: str) -> str | None:
    """The English master label of a service key (None for ``GENERAL``; the key itself for a
    service no survey asks about any more)."""
    if service == GENERAL:
        return None
    return next((o.label for o in service_options() if o.value == service), service)


def _quarter(token: str | None) -> periods.Period | None:
    try:
        period = periods.parse_token(token or "")
    except periods.PeriodError:
        return None
    return period if period.kind == periods.QUARTER else None


def period_of(statement: Statement) -> periods.Period:
    return _quarter(statement.period) or periods.ALL_TIME


# -- checking what was typed -------------------------------------------------------------------


def clean(text: str | None) -> str:
    """One line, single spaces: a statement is a sentence or two, shown as one paragraph."""
    return " ".join((text or "").split())


def _checked_wording(you_said: str | None, we_did: str | None, approve: bool) -> dict[str, str]:
    wording = {"you_said": clean(you_said), "we_did": clean(we_did)}
    errors: dict[str, list] = {}
    for part, text in wording.items():
        if len(text) > PART_MAX_LENGTH:
            errors.setdefault(part, []).append(TOO_LONG)
    if approve:
        for part, message in (("you_said", NEEDS_YOU_SAID), ("we_did", NEEDS_WE_DID)):
            if not wording[part]:
                errors.setdefault(part, []).append(message)
    elif not any(wording.values()):
        errors["you_said"] = [NOTHING_WRITTEN]
    if errors:
        raise StatementError(errors)
    return wording


def _checked_place(period: str | None, service: str | None, today: date, statement: Statement | None = None):
    errors: dict[str, list] = {}
    keep_period = statement.period if statement is not None else None
    chosen = _quarter(period)
    if chosen is None or chosen not in period_options(today, keep_period):
        errors["period"] = [BAD_PERIOD]
    service = (service or "").strip()
    known = {GENERAL} | {o.value for o in service_options()}
    if service not in known and not (statement is not None and service == statement.service):
        errors["service"] = [BAD_SERVICE]
    return (chosen.token if chosen else None), service, errors


# -- changing statements ---------------------------------------------------------------------


def get_statement(statement_id: int) -> Statement | None:
    return db.session.get(Statement, statement_id)


def create_statement(
    period: str | None,
    service: str | None,
    you_said: str | None,
    we_did: str | None,
    *,
    approve: bool,
    by: Account,
    today: date,
) -> SaveResult:
    """A new statement (a draft, not published) with its English wording."""
    period_token, service, errors = _checked_place(period, service, today)
    try:
        wording = _checked_wording(you_said, we_did, approve)
    except StatementError as error:
        errors = error.errors | errors
    if errors:
        raise StatementError(errors)
    statement = Statement(period=period_token, service=service, status=DRAFT, created_by=by.id)
    text = StatementText(language=MASTER, status=DRAFT, updated_by=by.id, **wording)
    statement.texts.append(text)
    db.session.add(statement)
    db.session.flush()
    if approve:
        _approve(statement, text, by)
    db.session.commit()
    return SaveResult(text, approve)


def save_wording(
    statement: Statement,
    language: str,
    you_said: str | None,
    we_did: str | None,
    *,
    approve: bool,
    by: Account,
    today: date,
    period: str | None = None,
    service: str | None = None,
) -> SaveResult:
    """Save one language's wording (and, for English, the statement's period and service),
    as a draft or approved. Everything typed is checked before anything changes."""
    if language not in languages():
        raise ValueError(f"not a language of statements: {language!r}")
    errors: dict[str, list] = {}
    if language == MASTER:
        period, service, errors = _checked_place(period, service, today, statement)
    try:
        wording = _checked_wording(you_said, we_did, approve)
    except StatementError as error:
        errors = error.errors | errors
    if errors:
        raise StatementError(errors)

    text = statement.text_in(language)
    if text is None:
        text = StatementText(language=language, status=DRAFT)
        statement.texts.append(text)
    changed = (text.you_said, text.we_did) != (wording["you_said"], wording["we_did"])
    text.you_said, text.we_did = wording["you_said"], wording["we_did"]
    text.updated_by, text.updated_at = by.id, utcnow()
    text.english_changed = False
    to_check: list[str] = []
    if language == MASTER:
        statement.period, statement.service = period, service
        if changed:
            to_check = _english_changed(statement)
    if approve:
        if changed or text.status != APPROVED:
            _approve(statement, text, by)
    else:
        text.status, text.approved_by, text.approved_at = DRAFT, None, None
    _commit()
    return SaveResult(text, approve, tuple(to_check))


def _english_changed(statement: Statement) -> list[str]:
    """Mark every translation for checking (approved ones go back to draft)."""
    marked = []
    for text in statement.texts:
        if text.language == MASTER or text.id is None:
            continue
        text.english_changed = True
        if text.status == APPROVED:
            text.status, text.approved_by, text.approved_at = DRAFT, None, None
        marked.append(text.language)
    return marked


def approve_wording(statement: Statement, language: str, by: Account) -> StatementText:
    """Approve a language's wording as it is (both parts written)."""
    text = statement.text_in(language)
    if text is None:
        raise StatementError.about("", NOTHING_TO_APPROVE)
    if not (text.you_said and text.we_did):
        raise StatementError.about("", INCOMPLETE)
    if text.status != APPROVED or text.english_changed:
        text.english_changed = False
        _approve(statement, text, by)
        _commit()
    return text


def _approve(statement: Statement, text: StatementText, by: Account) -> None:
    text.status, text.approved_by, text.approved_at = APPROVED, by.id, utcnow()
    detail = f"{_detail(statement)}, {text.language}"
    audit.record("statement_text_approved", by, _target(statement), detail, commit=False)


def publish(statement: Statement, by: Account) -> None:
    if statement.status == PUBLISHED:
        raise StatementError.about("", ALREADY_PUBLISHED)
    english = statement.text_in(MASTER)
    if english is None or english.status != APPROVED:
        raise StatementError.about("", ENGLISH_FIRST)
    statement.status, statement.published_at = PUBLISHED, utcnow()
    audit.record("statement_published", by, _target(statement), _detail(statement), commit=False)
    db.session.commit()


def withdraw(statement: Statement, by: Account) -> None:
    if statement.status != PUBLISHED:
        raise StatementError.about("", NOT_PUBLISHED)
    statement.status = WITHDRAWN
    audit.record("statement_withdrawn", by, _target(statement), _detail(statement), commit=False)
    db.session.commit()


def _target(statement: Statement) -> str:
    return f"statement {statement.id}"


def _detail(statement: Statement) -> str:
    """The audit detail: the period and the service, never the words."""
    return f"{period_of(statement).label or statement.period}, {statement.service}"


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # a second wording for the same language, saved a moment ago
        db.session.rollback()
        raise StatementError.about("", SAVED_BY_SOMEONE_ELSE) from None


# -- reading ---------------------------------------------------------------------------------


def status_in(statement: Statement, language: str) -> str:
    """MISSING, DRAFT or APPROVED."""
    text = statement.text_in(language)
    return MISSING if text is None else text.status


def shown_in(statement: Statement) -> tuple[str, ...]:
    """The languages the public page shows this statement in now."""
    if statement.status != PUBLISHED or status_in(statement, MASTER) != APPROVED:
        return ()
    return tuple(code for code in languages() if status_in(statement, code) == APPROVED)


def _service_order() -> list[str]:
    return [GENERAL, *(o.value for o in service_options())]


def _grouped(statements: Iterable[Statement], item=lambda statement: statement) -> tuple[PeriodGroup, ...]:
    """By quarter, newest first; within a quarter general first, then by service in the
    surveys' order (services no survey asks about any more last); oldest statement first."""
    order = _service_order()
    by_period: dict[str, list[Statement]] = {}
    for statement in statements:
        by_period.setdefault(statement.period, []).append(statement)
    groups = []
    for token in sorted(by_period, key=lambda t: period_of_token(t).start or date.min, reverse=True):
        chosen = by_period[token]
        services = sorted(
            {s.service for s in chosen}, key=lambda s: (order.index(s) if s in order else len(order), s)
        )
        service_groups = tuple(
            ServiceGroup(
                service,
                service_label(service),
                tuple(item(s) for s in sorted(chosen, key=lambda s: s.id) if s.service == service),
            )
            for service in services
        )
        groups.append(PeriodGroup(period_of_token(token), service_groups))
    return tuple(groups)


def period_of_token(token: str) -> periods.Period:
    return _quarter(token) or periods.ALL_TIME


def overview() -> tuple[PeriodGroup, ...]:
    """Every statement, for coordinators."""
    query = select(Statement).options(selectinload(Statement.texts)).order_by(Statement.id)
    return _grouped(db.session.scalars(query))


def published_in(language: str) -> PublicStatements:
    """What the public page shows in ``language``: the wording of each published statement
    whose English and ``language`` wording are approved. ``more_in_english``: some
    published statements are shown in English but not (yet) in this language."""
    query = (
        select(Statement)
        .where(Statement.status == PUBLISHED)
        .options(selectinload(Statement.texts))
        .order_by(Statement.id)
    )
    public = [s for s in db.session.scalars(query) if status_in(s, MASTER) == APPROVED]
    shown = [s for s in public if status_in(s, language) == APPROVED]
    groups = _grouped(shown, item=lambda statement: statement.text_in(language))
    return PublicStatements(language, groups, more_in_english=len(shown) < len(public))
