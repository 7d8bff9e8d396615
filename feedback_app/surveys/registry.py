"""The registry: the survey definitions, loaded and checked once at start-up and kept on the
application (``all_surveys``, ``get_survey``)."""

from __future__ import annotations

from flask import Flask, current_app

from .loader import load_surveys
from .schema import Survey

EXTENSION_KEY = "feedback_surveys"


def init_app(app: Flask) -> None:
    """Load every definition; a bad one raises ``SurveyDefinitionError`` and stops start-up."""
    app.extensions[EXTENSION_KEY] = load_surveys(app.config.get("SURVEY_DEFINITIONS_DIR"))


def all_surveys() -> dict[str, Survey]:
    return current_app.extensions[EXTENSION_KEY]


def get_survey(slug: str) -> Survey | None:
    return all_surveys().get(slug)
