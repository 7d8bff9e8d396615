"""Survey definitions as data: loading, checking, and planning the steps a person sees.

``loader``, ``schema`` and ``flow`` are pure Python (no Flask); ``registry`` keeps the set
loaded at start-up on the application. Typical use::

    surveys = load_surveys()                 # {"adult": Survey, ...}; checked at start-up
    result = parse_answers(survey, request.form)
    screens = plan(survey, result.answers)
"""

from .flow import (
    NOT_OFFERED,
    TOO_LONG,
    ParseResult,
    StepInstance,
    parse_answers,
    parse_step,
    plan,
    prune_answers,
    step_index,
)
from .loader import load_surveys
from .schema import Choice, Condition, Question, Step, Survey, SurveyDefinitionError

__all__ = [
    "NOT_OFFERED",
    "TOO_LONG",
    "Choice",
    "Condition",
    "ParseResult",
    "Question",
    "Step",
    "StepInstance",
    "Survey",
    "SurveyDefinitionError",
    "load_surveys",
    "parse_answers",
    "parse_step",
    "plan",
    "prune_answers",
    "step_index",
]
