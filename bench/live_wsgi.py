"""The application as ``bench.survivor_pages`` runs it under gunicorn (a copy of the browser
tests' live server module, so the benchmark does not import from ``tests``).

Everything comes from the environment the benchmark sets:

* ``BENCH_DATABASE_URL``: the (already migrated) throwaway database;
* ``BENCH_SECRET_KEY`` and ``BENCH_KEYRING`` (the keyring's JSON);
* ``BENCH_OVERRIDES``: JSON of further settings, e.g. ``{"RATELIMIT_ENABLED": false}``.

Run as ``gunicorn -c gunicorn.conf.py bench.live_wsgi:app``.
"""

import json
import os

from feedback_app import create_app
from feedback_app.config import TestConfig
from feedback_app.crypto import Keyring

app = create_app(
    TestConfig,
    {
        "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
        "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
        "KEYRING": Keyring.from_json(os.environ["BENCH_KEYRING"]),
        "TESTING": False,
        **json.loads(os.environ.get("BENCH_OVERRIDES", "{}")),
    },
)
