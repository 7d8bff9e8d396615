import uuid
from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses.store import Unreadable
from feedback_app.services.responses.submissions import read_response, store_response, week_of
from tests.helpers.responses import store


@pytest.mark.parametrize(
    "day, monday",
    [
        (date(2026, 11, 16), date(2026, 11, 16)),
        (date(2026, 11, 19), date(2026, 11, 16)),
        (date(2026, 11, 22), date(2026, 11, 16)),
        (date(2027, 1, 1), date(2026, 12, 28)),
    ],
)
def test_week_of_is_the_monday(day, monday):
    assert week_of(day) == monday


def test_store_and_read_back(app):
    answers = {"age": "prefer_not_to_say", "helpful.police": "Jak się masz? Ačiū už pagalbą."}
    response_id = store(answers, language="pl")
    stored = read_response(response_id)
    assert stored.answers == answers
    assert stored.language == "pl"
    assert stored.submitted_week == date(2026, 11, 16)
    assert stored.organisation is None


def test_ids_are_random_uuids(app):
    ids = {store() for _ in range(3)}
    assert len(ids) == 3
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)


def test_row_holds_ciphertext_and_key_id(app):
    response_id = store({"anything_else": "a distinctive sentence"})
    row = db.session.get(Response, response_id)
    assert b"distinctive" not in row.payload
    assert row.key_id == app.extensions["feedback_keyring"].primary


def test_double_submit_with_the_same_token_stores_once(app):
    first = store(submission_token="tok-123")
    second_id, created = store_response(
        survey_slug="adult",
        survey_version=1,
        language="en",
        collection_mode="online",
        answers={"age": "16_24"},
        submission_token="tok-123",
    )
    assert second_id == first and created is False
    assert db.session.scalar(select(db.func.count()).select_from(Response)) == 1
    assert read_response(first).answers["age"] == "25_34"


def test_online_responses_carry_no_organisation(app):
    with pytest.raises(ValueError):
        store(organisation="Refuge North")
    assert store(collection_mode="assisted", organisation="Refuge North")


def test_unknown_collection_mode_is_refused(app):
    with pytest.raises(ValueError):
        store(collection_mode="postal")


def test_payload_copied_to_another_row_does_not_open(app):
    first, second = store({"x": "first"}), store({"x": "second"})
    row_a, row_b = db.session.get(Response, first), db.session.get(Response, second)
    row_b.payload = row_a.payload
    db.session.commit()
    with pytest.raises(Unreadable) as caught:
        read_response(second)
    assert caught.value.reason == "OpenFailed"
