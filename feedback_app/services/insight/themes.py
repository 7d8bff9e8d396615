"""The codebook: themes, their keyword rules, and which themes apply to a comment.

Themes are never deleted, only deactivated: codings refer to them. A deactivated theme is
not offered in the coding queue and makes no suggestions, but the codings made with it stay.
Names are unique, whatever their case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...i18n import survey_text
from ...models import RULE_LANGUAGES, THEME_KINDS, CommentCoding, Theme, ThemeRule
from ...surveys.registry import all_surveys
from ..figures.filters import Option, union_services
from .theme_suggestions import KeywordError, RuleInput, clean_keyword, keyword_key

NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 1000

KIND_LABELS = {"helpful": _l("What helped"), "improvement": _l("What could improve")}
RULE_LANGUAGE_LABELS = {"en": _l("English"), "pl": _l("Polish"), "lt": _l("Lithuanian")}
GENERAL_THEMES_LABEL = _l("General (any service)")  # themes for comments of any scope


class ThemeError(ValueError):
    """A change to the codebook that cannot be made. ``field`` names the form field it is
    about; ``message`` (a lazy translation) says why."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ThemeGroup:
    service: str | None
    label: str
    kind: str
    kind_label: str
    themes: tuple[Theme, ...]


def service_options() -> tuple[Option, ...]:
    """Every service a theme can be about (English master labels)."""
    return union_services(all_surveys().values())


def service_label(service: str | None) -> str:
    """A service key in words, translated ("Police"); general themes say so."""
    if service is None:
        return str(GENERAL_THEMES_LABEL)
    label = next((o.label for o in service_options() if o.value == service), service)
    return survey_text(label)


def get_theme(theme_id: int) -> Theme | None:
    return db.session.get(Theme, theme_id)


def all_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(func.lower(Theme.name))))


def coding_counts() -> dict[int, int]:
    """How many comments each theme is assigned to."""
    rows = db.session.execute(select(CommentCoding.theme_id, func.count()).group_by(CommentCoding.theme_id))
    return {theme_id: count for theme_id, count in rows}


def grouped_themes() -> list[ThemeGroup]:
    """Every theme, general first, then by service in the surveys' order; helpful before
    improvement within each."""
    themes = all_themes()
    order = [None] + [o.value for o in service_options()]
    order += sorted({t.service for t in themes if t.service not in order})  # a service since removed
    groups = []
    for service in order:
        for kind in THEME_KINDS:
            chosen = tuple(t for t in themes if t.service == service and t.kind == kind)
            if chosen:
                groups.append(ThemeGroup(service, service_label(service), kind, str(KIND_LABELS[kind]), chosen))
    return groups


def applicable_themes(service: str | None, kinds: Iterable[str], *, active_only: bool = True) -> list[Theme]:
    """Active themes a comment can be coded with: general ones and those of ``service``
    (None: general only), of the given kinds, by name. With ``active_only=False``,
    deactivated ones too."""
    scope = Theme.service.is_(None) if service is None else (Theme.service.is_(None) | (Theme.service == service))
    query = select(Theme).where(Theme.kind.in_(tuple(kinds)), scope).order_by(func.lower(Theme.name))
    if active_only:
        query = query.where(Theme.is_active.is_(True))
    return list(db.session.scalars(query))


def rules_of(themes: Iterable[Theme]) -> list[RuleInput]:
    return [RuleInput(theme.id, rule.language, rule.keyword) for theme in themes for rule in theme.rules]


def _checked(name: str, description: str, service: str | None, kind: str, theme: Theme | None = None):
    name = " ".join((name or "").split())
    description = (description or "").strip()
    service = service or None
    if not name:
        raise ThemeError(_l("Enter a name for the theme."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise ThemeError(_l("Keep the name to %(n)d characters or fewer.", n=NAME_MAX_LENGTH), "name")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ThemeError(
            _l("Keep the description to %(n)d characters or fewer.", n=DESCRIPTION_MAX_LENGTH), "description"
        )
    known = {o.value for o in service_options()}
    if service is not None and service not in known and not (theme is not None and theme.service == service):
        raise ThemeError(_l("Choose a service from the list, or “General”."), "service")
    if kind not in THEME_KINDS:
        raise ThemeError(_l("Choose whether the theme is about what helped or what could improve."), "kind")
    clash = db.session.scalar(select(Theme).where(func.lower(Theme.name) == name.lower()))
    if clash is not None and clash is not theme:
        raise ThemeError(_name_taken(clash.name), "name")
    return name, description, service, kind


def _commit_or_clash(name: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # someone else took the name a moment ago
        db.session.rollback()
        raise ThemeError(_name_taken(name), "name") from None


def _name_taken(name: str):
    return _l("There is already a theme called “%(name)s”. Choose another name, or change that theme.", name=name)


def create_theme(name: str, description: str, service: str | None, kind: str) -> Theme:
    name, description, service, kind = _checked(name, description, service, kind)
    theme = Theme(name=name, description=description, service=service, kind=kind, is_active=True)
    db.session.add(theme)
    _commit_or_clash(name)
    return theme


def update_theme(theme: Theme, name: str, description: str, service: str | None, kind: str) -> Theme:
    name, description, service, kind = _checked(name, description, service, kind, theme)
    theme.name, theme.description, theme.service, theme.kind = name, description, service, kind
    _commit_or_clash(name)
    return theme


def set_active(theme: Theme, active: bool) -> None:
    theme.is_active = active
    db.session.commit()


def add_rule(theme: Theme, language: str, keyword: str) -> ThemeRule:
    if language not in RULE_LANGUAGES:
        raise ThemeError(_l("Choose English, Polish or Lithuanian."), "language")
    try:
        keyword = clean_keyword(keyword)
    except KeywordError as error:
        raise ThemeError(error.message, "keyword") from None
    key = keyword_key(keyword)
    taken = ThemeError(
        _l("“%(keyword)s” is already a keyword of this theme in that language.", keyword=keyword), "keyword"
    )
    if any(rule.language == language and keyword_key(rule.keyword) == key for rule in theme.rules):
        raise taken
    rule = ThemeRule(theme=theme, language=language, keyword=keyword)
    db.session.add(rule)
    try:
        db.session.commit()
    except IntegrityError:  # added a moment ago (a double click)
        db.session.rollback()
        raise taken from None
    return rule


def remove_rule(theme: Theme, rule_id: int) -> bool:
    rule = next((r for r in theme.rules if r.id == rule_id), None)
    if rule is None:
        return False
    theme.rules.remove(rule)
    db.session.commit()
    return True


# -- the demo codebook ---------------------------------------------------------------------

DEMO_NOTE = "Demo theme (sample codebook, not the partnership's own). "

# (name, service or None, kind, description, {language: keywords}); drawn from section 7.6
# of the partnership's annual report, with keywords that match the demo free text.
DEMO_THEMES = (
    ("Kept informed", None, "improvement", "Wants to be kept updated about their case.", {
        "en": ["updated", "keep me informed", "informed", "news about my case"],
        "pl": ["informować", "informacj*", "na bieżąco"],
        "lt": ["pranešti", "informuo*", "apie mano bylą"],
    }),
    ("Listened to without judgement", None, "helpful", "Felt heard and believed, not judged.", {
        "en": ["listened", "judg*", "believed me", "understood"],
        "pl": ["wysłuchał*", "słuchał*", "nie oceniał*", "zrozumiał*"],
        "lt": ["išklausė", "klausė", "suprato"],
    }),
    ("Quick response", None, "helpful", "Help came quickly when it was needed.", {
        "en": ["quick", "quickly", "fast", "straight away"],
        "pl": ["szybko", "szybk*", "od razu"],
        "lt": ["greitai", "greit*", "iš karto"],
    }),
    ("Waiting too long for a call back", None, "improvement", "Waited too long for a reply or a call back.", {
        "en": ["waited", "waiting", "too long", "call back"],
        "pl": ["czekał", "za długo", "nikt nie oddzwonił"],
        "lt": ["laukti", "per ilgai", "skambuč*"],
    }),
    ("Same officer each time", "services.police", "improvement",
     "Would like support from a consistent officer, who knows their case.", {
        "en": ["same officer", "same person", "consistent", "different officer*"],
        "pl": ["ten sam", "tego samego", "tej samej"],
        "lt": ["tas pats", "to paties", "tą patį"],
    }),
    ("Help in my own language", None, "helpful", "Could speak their own language, or had an interpreter.", {
        "en": ["interpreter", "translator", "own language", "in polish", "in lithuanian"],
        "pl": ["tłumacz*", "po polsku", "w moim języku"],
        "lt": ["lietuviškai", "vertėj*", "savo kalb*"],
    }),
    ("Follow-up calls", None, "helpful", "Was called back and checked on, which made them feel safe.", {
        "en": ["follow up", "called me back", "checked on me"],
        "pl": ["oddzwa*", "dzwonił*"],
        "lt": ["paskambin*", "perskambin*"],
    }),
    ("Feeling safer", None, "helpful", "Support made them feel safe or safer.", {
        "en": ["safe", "safer", "safety"],
        "pl": ["bezpiecz*"],
        "lt": ["saugiau", "saug*"],
    }),
    ("Practical help", None, "helpful", "Letters, referrals and other practical help (housing, courts).", {
        "en": ["letter", "referral", "referred", "housing"],
        "pl": ["pismo", "skierowani*", "mieszkani*"],
        "lt": ["laišk*", "siuntim*", "būst*"],
    }),
    ("Someone to talk to", None, "helpful", "Having someone to talk to regularly.", {
        "en": ["someone to talk to", "talk to", "every week"],
        "pl": ["porozmawia*", "rozmow*", "co tydzień"],
        "lt": ["pasikalbėti", "kas savaitę"],
    }),
    ("Helped me plan what to do next", None, "helpful", "Helped them see the big picture and plan ahead.", {
        "en": ["next steps", "big picture", "plan"],
        "pl": ["co dalej", "planowa*"],
        "lt": ["daryti toliau", "planuo*"],
    }),
    ("Services working together", "services.childrens_services", "improvement",
     "Services should work in partnership and know what support is available locally.", {
        "en": ["work together", "partnership", "multi agency"],
        "pl": ["współprac*"],
        "lt": ["bendradarbi*"],
    }),
    ("Missing lessons", "supporters.school", "improvement", "Support at school meant missing lessons.", {
        "en": ["lessons", "catch up", "schoolwork"],
        "pl": ["lekcj*", "nadrobi*"],
        "lt": ["pamok*"],
    }),
)


def create_demo_codebook() -> int:
    """Add the demo codebook (clearly marked as demo) if there are no themes yet.
    Returns how many themes it made (0 if the codebook was not empty)."""
    if db.session.scalar(select(func.count()).select_from(Theme)):
        return 0
    known = {o.value for o in service_options()}
    made = 0
    for name, service, kind, description, keywords in DEMO_THEMES:
        theme = Theme(
            name=name,
            description=DEMO_NOTE + description,
            service=service if service in known else None,
            kind=kind,
            is_active=True,
        )
        for language, words in keywords.items():
            for keyword in words:
                theme.rules.append(ThemeRule(language=language, keyword=clean_keyword(keyword)))
        db.session.add(theme)
        made += 1
    db.session.commit()
    return made
