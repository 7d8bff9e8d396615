"""What a coordinator can filter figures by, and which surveys and questions that covers.

Filters on metadata (survey, audience, period, language, collection mode) are applied in
SQL; filters on answers (a service chosen, an area) after decrypting.

Services are keyed ``"<question id>.<choice id>"``: the adult survey's ``services.police``
and the young people's ``supporters.school`` are both "services" here, and the two
"other" choices stay apart (``services.other``, ``supporters.other``).

Labels are the English master wording from the definitions; translate them when shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app

from ...models import COLLECTION_MODES, Response
from ...surveys import Question, Survey
from ...surveys.registry import all_surveys
from ...surveys.schema import PREFER_NOT_TO_SAY
from ..responses import facts as response_facts
from .periods import ALL_TIME, Period

AREA_QUESTION = "area"


@dataclass(frozen=True)
class Filters:
    survey: str | None = None
    audience: str | None = None
    period: Period = ALL_TIME
    service: str | None = None  # "services.police", "supporters.school", ...
    area: str | None = None
    language: str | None = None
    collection_mode: str | None = None
    include_demo: bool = True  # demo responses (``Response.is_demo``) counted too


@dataclass(frozen=True)
class Option:
    value: str
    label: str  # English master wording (survey titles and choice labels) or a code


@dataclass(frozen=True)
class FilterOptions:
    surveys: tuple[Option, ...]
    audiences: tuple[str, ...]
    services: tuple[Option, ...]
    areas: tuple[Option, ...]
    languages: tuple[str, ...]
    collection_modes: tuple[str, ...]


def service_questions(survey: Survey) -> tuple[Question, ...]:
    """The multi-choice questions that other steps repeat for (the services someone used)."""
    ids = []
    for step in survey.steps:
        if step.repeat_for and step.repeat_for not in ids:
            ids.append(step.repeat_for)
    return tuple(survey.question(qid) for qid in ids)


def service_key(question_id: str, choice_id: str) -> str:
    return f"{question_id}.{choice_id}"


def split_service_key(key: str) -> tuple[str, str]:
    question_id, _, choice_id = key.partition(".")
    return question_id, choice_id


def asks(survey: Survey, question_id: str) -> Question | None:
    try:
        return survey.question(question_id)
    except KeyError:
        return None


def union_choices(surveys: Iterable[Survey], question_id: str) -> tuple[Option, ...]:
    """The choices of one question across surveys, first seen first, "Prefer not to say" last."""
    seen: dict[str, str] = {}
    for survey in surveys:
        question = asks(survey, question_id)
        for choice in question.choices if question else ():
            seen.setdefault(choice.id, choice.label)
    ordered = [Option(cid, label) for cid, label in seen.items() if cid != PREFER_NOT_TO_SAY]
    if PREFER_NOT_TO_SAY in seen:
        ordered.append(Option(PREFER_NOT_TO_SAY, seen[PREFER_NOT_TO_SAY]))
    return tuple(ordered)


def union_services(surveys: Iterable[Survey]) -> tuple[Option, ...]:
    seen: dict[str, str] = {}
    for survey in surveys:
        for question in service_questions(survey):
            for choice in question.choices:
                seen.setdefault(service_key(question.id, choice.id), choice.label)
    return tuple(Option(key, label) for key, label in seen.items())


def filter_options() -> FilterOptions:
    surveys = list(all_surveys().values())
    audiences = tuple(dict.fromkeys(s.audience for s in surveys))
    return FilterOptions(
        surveys=tuple(Option(s.slug, s.title) for s in surveys),
        audiences=audiences,
        services=union_services(surveys),
        areas=union_choices(surveys, AREA_QUESTION),
        languages=tuple(current_app.config["SUPPORTED_LOCALES"]),
        collection_modes=COLLECTION_MODES,
    )


def surveys_in_scope(filters: Filters) -> list[Survey]:
    """The surveys the survey and audience filters (and answer filters) leave in."""
    chosen = []
    for survey in all_surveys().values():
        if filters.survey and survey.slug != filters.survey:
            continue
        if filters.audience and survey.audience != filters.audience:
            continue
        if filters.service and filters.service not in {o.value for o in union_services([survey])}:
            continue
        if filters.area and not asks(survey, AREA_QUESTION):
            continue
        chosen.append(survey)
    return chosen


def required_facts(filters: Filters) -> tuple[str, ...]:
    """The fact tokens (``services.responses.facts``) a response must hold to pass the
    filters on answers: a service chosen, an area."""
    required = []
    if filters.service:
        question_id, choice_id = split_service_key(filters.service)
        required.append(response_facts.single_token(question_id, choice_id))
    if filters.area:
        required.append(response_facts.single_token(AREA_QUESTION, filters.area))
    return tuple(required)


def where_metadata(statement, filters: Filters, slugs: list[str]):
    """``statement`` narrowed in SQL to ``slugs`` and the filters on metadata: the period,
    language, collection mode and whether demo responses count."""
    statement = statement.where(Response.survey_slug.in_(slugs))
    period = filters.period
    if period.start is not None:
        statement = statement.where(Response.submitted_week >= period.start)
    if period.end is not None:
        statement = statement.where(Response.submitted_week <= period.end)
    if filters.language:
        statement = statement.where(Response.language == filters.language)
    if filters.collection_mode:
        statement = statement.where(Response.collection_mode == filters.collection_mode)
    if not filters.include_demo:
        statement = statement.where(Response.is_demo.is_(False))
    return statement
