"""Themes, codings and quotes for the themed summary's tests."""

from __future__ import annotations

import uuid
from datetime import date

from feedback_app.extensions import db
from feedback_app.models import CommentCoding, Quote, Theme, quote_place
from feedback_app.services.responses.sealed_text import seal_text
from feedback_app.services.responses.submissions import store_response


def add_theme(name: str, kind: str = "helpful", service: str | None = None) -> Theme:
    theme = Theme(name=name, kind=kind, service=service, description="")
    db.session.add(theme)
    db.session.commit()
    return theme


def code(response_id, field: str, theme: Theme) -> None:
    db.session.add(CommentCoding(response_id=response_id, field=field, theme_id=theme.id))
    db.session.commit()


def add_quote(response_id, field: str, text: str, status: str = "approved") -> Quote:
    quote_id = uuid.uuid4()
    key_id, blob = seal_text(text, quote_place(quote_id))
    quote = Quote(id=quote_id, response_id=response_id, field=field, status=status, key_id=key_id, text=blob)
    db.session.add(quote)
    db.session.commit()
    return quote


def store_adults(count: int, answers: dict, *, day: date = date(2024, 5, 1), is_demo: bool = False) -> list:
    """``count`` adult responses with the same answers; returns their ids."""
    return [
        store_response(
            survey_slug="adult",
            survey_version=1,
            language="en",
            collection_mode="online",
            answers=answers,
            submitted_on=day,
            is_demo=is_demo,
        )[0]
        for _ in range(count)
    ]


def store_summary_dataset() -> dict:
    """The fixed insight dataset with themes coded and quotes in every state; returns
    {name: response id}. See tests/unit/test_report.py for the counts this gives."""
    from tests.helpers.insight_data import store_fixed_dataset

    ids = store_fixed_dataset()
    listened = add_theme("Listened to me", "helpful")
    updated = add_theme("Keep me updated", "improvement")
    talk = add_theme("Someone to talk to", "helpful")
    code(ids["A1"], "helpful.police", listened)
    code(ids["A5"], "helpful.police", listened)
    code(ids["A1"], "helpful.idva", listened)  # A1 again: one person overall
    code(ids["A2"], "better.police", updated)
    code(ids["A1"], "anything_else", updated)
    code(ids["A4"], "better.idva", updated)  # March 2024: outside Q1 2024/25
    code(ids["Y1"], "helped.school", talk)
    code(ids["Y2"], "better.other", updated)  # the young people's "other", not the adults'
    code(ids["S1"], "seek_support_other", talk)
    add_quote(ids["A1"], "helpful.police", APPROVED_POLICE)
    add_quote(ids["A2"], "better.police", PROPOSED, status="proposed")
    add_quote(ids["A5"], "helpful.police", WITHDRAWN, status="withdrawn")
    add_quote(ids["A1"], "anything_else", APPROVED_GENERAL)
    add_quote(ids["A3"], "better.housing", APPROVED_HOUSING)
    add_quote(ids["A4"], "better.idva", OUT_OF_PERIOD)
    return ids


APPROVED_POLICE = "They called me back every week."
APPROVED_GENERAL = "Thank you for asking."
APPROVED_HOUSING = "Answer the phone."
PROPOSED = "PROPOSED WORDING"
WITHDRAWN = "WITHDRAWN WORDING"
OUT_OF_PERIOD = "OUT OF PERIOD WORDING"
