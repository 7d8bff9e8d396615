"""The production application exactly as ``wsgi.py`` builds it (FEEDBACK_CONFIG=production,
everything from the environment), with one test-only change: a low submission rate limit
from PRODUCTION_TEST_SUBMISSION_RATE_LIMIT, so the rate-limit tests need few submissions."""

import os

from wsgi import app

if os.environ.get("PRODUCTION_TEST_SUBMISSION_RATE_LIMIT"):
    app.config["SUBMISSION_RATE_LIMIT"] = os.environ["PRODUCTION_TEST_SUBMISSION_RATE_LIMIT"]
