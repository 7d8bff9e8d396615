"""Building responses for tests."""

from __future__ import annotations

from datetime import date

from feedback_app.services.responses.submissions import store_response


def store(answers: dict | None = None, **fields):
    values = dict(
        survey_slug="adult",
        survey_version=1,
        language="en",
        collection_mode="online",
        answers=answers or {"age": "25_34", "services": ["police"], "listened.police": "yes"},
        submitted_on=date(2026, 11, 19),
    )
    values.update(fields)
    response_id, _created = store_response(**values)
    return response_id
