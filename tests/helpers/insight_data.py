"""A small, fixed set of responses whose figures were worked out by hand (see the tests).

Dates matter: 31 March 2024 is a Sunday (its week starts Monday 25 March, Q4 2023/24) and
1 April 2024 a Monday (Q1 2024/25), so the quarter boundary falls between two weeks.
"""

from __future__ import annotations

from datetime import date

from feedback_app.services.responses.submissions import store_response

SECRET_TEXT = "Pineapple-Lighthouse-7731 my neighbour"

# (name, survey, language, mode, submitted on, answers)
FIXED = [
    ("A1", "adult", "en", "online", date(2024, 4, 1), {
        "age": "age_25_34", "gender": "woman", "area": "fenland", "services": ["police", "idva"],
        "listened.police": "yes", "safer.police": "sometimes", "helpful.police": SECRET_TEXT,
        "listened.idva": "yes", "safer.idva": "yes", "better.idva": "More evening appointments",
        "preferred_support": ["phone", "email"], "seek_support": ["anonymity", "counselling"],
        "anything_else": "Thank you " + SECRET_TEXT,
    }),
    ("A2", "adult", "en", "online", date(2024, 4, 10), {
        "age": "age_25_34", "gender": "woman", "area": "peterborough", "services": ["police"],
        "listened.police": "no", "safer.police": "no", "preferred_support": ["phone"],
    }),
    ("A3", "adult", "pl", "assisted", date(2024, 5, 20), {
        "age": "age_35_44", "gender": "woman", "area": "fenland", "services": ["police", "housing"],
        "listened.police": "sometimes", "listened.housing": "yes", "safer.housing": "prefer_not_to_say",
        "seek_support": ["own_language"],
    }),
    ("A4", "adult", "en", "online", date(2024, 3, 31), {
        "gender": "man", "services": ["idva"], "listened.idva": "yes",
    }),
    ("A5", "adult", "lt", "handed_over", date(2024, 6, 30), {
        "age": "prefer_not_to_say", "gender": "prefer_not_to_say", "services": ["police"],
        "listened.police": "yes", "safer.police": "yes",
    }),
    ("A6", "adult", "en", "online", date(2024, 7, 1), {
        "gender": "woman", "services": ["police"], "listened.police": "yes",
    }),
    ("Y1", "young_person", "en", "online", date(2024, 4, 15), {
        "age": "age_13_15", "gender": "girl", "supporters": ["school", "family"],
        "listened.school": "yes", "listened.family": "yes", "helped.school": SECRET_TEXT,
    }),
    ("Y2", "young_person", "en", "assisted", date(2024, 5, 1), {
        "age": "age_16_17", "gender": "boy", "supporters": ["school"], "listened.school": "no",
    }),
    ("Y3", "young_person", "pl", "online", date(2024, 8, 1), {
        "gender": "girl", "supporters": ["yp_idva"], "listened.yp_idva": "sometimes",
    }),
    ("S1", "seeking_support", "en", "online", date(2024, 4, 2), {
        "gender": "woman", "area": "fenland", "seek_support": ["anonymity", "self_defence"],
        "seek_support_other": SECRET_TEXT, "preferred_support": ["online_chat", "phone"],
    }),
    ("S2", "seeking_support", "en", "online", date(2024, 5, 5), {
        "gender": "woman", "area": "cambridge_city", "seek_support": ["anonymity"], "preferred_support": ["phone"],
    }),
    ("S3", "seeking_support", "lt", "online", date(2025, 1, 10), {
        "gender": "man", "seek_support": ["counselling"],
    }),
]


def store_fixed_dataset() -> dict:
    """Store the responses above; returns {name: response id}."""
    ids = {}
    for name, survey, language, mode, day, answers in FIXED:
        ids[name], _ = store_response(
            survey_slug=survey,
            survey_version=1,
            language=language,
            collection_mode=mode,
            organisation=None if mode == "online" else "Refuge North",
            answers=answers,
            submitted_on=day,
        )
    return ids


def store_many(count: int, answers: dict, *, survey: str = "adult", day: date = date(2024, 5, 1), **fields) -> None:
    for _ in range(count):
        store_response(
            survey_slug=survey,
            survey_version=1,
            language=fields.get("language", "en"),
            collection_mode="online",
            answers=answers,
            submitted_on=day,
        )
