"""The application as the browser tests' live server runs it (under gunicorn).

Everything comes from the environment the test run sets, so the test process can read
what the server stored with the same keyring."""

import json
import os

from feedback_app import create_app
from feedback_app.config import TestConfig
from feedback_app.crypto import Keyring

app = create_app(
    TestConfig,
    {
        "SQLALCHEMY_DATABASE_URI": os.environ["LIVE_DATABASE_URL"],
        "SECRET_KEY": os.environ["LIVE_SECRET_KEY"],
        "KEYRING": Keyring.from_json(os.environ["LIVE_KEYRING"]),
        "QUICK_EXIT_URL": os.environ["LIVE_EXIT_URL"],
        "TESTING": False,
        **json.loads(os.environ.get("LIVE_OVERRIDES", "{}")),
    },
)
