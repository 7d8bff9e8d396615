"""WSGI entry point: ``gunicorn wsgi:app``. Production unless FEEDBACK_CONFIG says otherwise."""

import sys

from feedback_app import create_app
from feedback_app.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as exc:
    sys.stderr.write(f"{exc}\n")
    sys.exit(1)
