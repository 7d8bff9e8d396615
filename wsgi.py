"""WSGI entry point: ``gunicorn wsgi:app``. Production unless FEEDBACK_CONFIG says otherwise."""

import sys

from feedback_app import create_app
from feedback_app.config import ConfigurationError
from feedback_app.surveys import SurveyDefinitionError

try:
    app = create_app()
except (ConfigurationError, SurveyDefinitionError) as exc:
    sys.stderr.write(f"{exc}\n" if isinstance(exc, ConfigurationError) else f"Cannot start: survey definition {exc}\n")
    sys.exit(1)
