"""The sealed-response store: the only code that seals and opens a response's answers and
facts. Runs on SQLite and on PostgreSQL (``TEST_DATABASE_SERVER``): the places the database
builds must be the ones Python builds."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from feedback_app.crypto import Keyring, OpenFailed
from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses import facts as response_facts
from feedback_app.services.responses import key_rotation, row_stream, store
from feedback_app.services.responses.keyring import current_keyring, replace_keyring
from feedback_app.services.responses.sealed_text import open_text, seal_text
from feedback_app.services.responses.submissions import build_response
from feedback_app.surveys.registry import get_survey
from tests.helpers.responses import store as store_one

ANSWERS = {
    "age": "age_25_34",
    "gender": "woman",
    "services": ["police", "idva"],
    "listened.police": "yes",
    "helpful.police": "Someone listened to me at last",
}


def _row(response_id: uuid.UUID) -> Response:
    return db.session.get(Response, response_id)


def _fact_source(response_id: uuid.UUID):
    """A row as the raw export reads it: the id and the store's fact source columns."""
    return db.session.execute(
        select(Response.id, *store.FACT_SOURCE_COLUMNS).where(Response.id == response_id)
    ).one()


def _set(response_id: uuid.UUID, **values) -> None:
    db.session.execute(update(Response).where(Response.id == response_id).values(**values))
    db.session.commit()
    db.session.expire_all()


def _tamper(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 1])


def _all_facts(**kwargs) -> list[store.FactBatch]:
    surveys = [get_survey(slug) for slug in ("adult", "young_person", "seeking_support")]
    slugs = [s.slug for s in surveys]
    batches: list[store.FactBatch] = []
    store.read_facts(surveys, lambda s: s.where(Response.survey_slug.in_(slugs)), batches.append, **kwargs)
    return batches


def _counted(batches) -> tuple[list[str], dict[str, list[bytes]], list]:
    surveys, tokens, unreadable = [], {}, []
    for batch in batches:
        surveys += batch.surveys
        for slug, found in batch.tokens.items():
            tokens.setdefault(slug, []).extend(found)
        unreadable += batch.unreadable
    return surveys, tokens, unreadable


# -- places ---------------------------------------------------------------------------------


def test_payload_and_facts_places_use_the_same_32_hex_digit_id():
    response_id = uuid.UUID("0b9d3a4e-0000-4000-8000-000000000001")
    assert store.payload_place(response_id) == "response:0b9d3a4e000040008000000000000001:payload"
    assert store.facts_place(response_id) == "response:0b9d3a4e000040008000000000000001:facts"
    assert store.legacy_payload_place(response_id) == "response:0b9d3a4e-0000-4000-8000-000000000001:payload"


def test_the_database_builds_the_same_facts_place_as_python(app):
    ids = [store_one() for _ in range(3)]
    built = dict(db.session.execute(select(Response.id, store.facts_place_sql())).all())
    assert built == {response_id: store.facts_place(response_id) for response_id in ids}
    # The same expression through the streaming reader (a binary server-side cursor on PostgreSQL).
    streamed = [row[0] for rows in row_stream.partitions(select(store.facts_place_sql()), 2) for row in rows]
    assert sorted(streamed) == sorted(store.facts_place(response_id) for response_id in ids)


# -- one at a time --------------------------------------------------------------------------


def test_round_trip(app):
    response_id = store_one(ANSWERS)
    row = _row(response_id)
    assert store.open_answers(row) == ANSWERS
    tokens = response_facts.tokens_of(get_survey("adult"), ANSWERS)
    assert store.open_facts(_fact_source(response_id), get_survey("adult")) == tokens
    assert row.key_id == row.facts_key_id == current_keyring().primary
    assert b"listened" not in row.payload and b"police" not in row.facts
    # Bound to the current places, and the facts hold no free text.
    assert current_keyring().open(row.payload, store.payload_place(response_id))
    facts = current_keyring().open(row.facts, store.facts_place(response_id))
    assert b"listened.police=yes" in facts and b"Someone" not in facts


def test_a_survey_the_registry_does_not_know_gets_no_facts(app):
    response = build_response(
        survey_slug="retired_survey", survey_version=1, language="en", collection_mode="online", answers={"a": "b"}
    )
    assert response.facts is None and response.facts_key_id is None
    assert store.open_answers(response) == {"a": "b"}


@pytest.mark.parametrize("column", ["payload", "facts"])
def test_a_blob_copied_to_another_row_does_not_open(app, column):
    first, second = store_one(ANSWERS), store_one({"gender": "man"})
    _set(second, **{column: getattr(_row(first), column)})
    with pytest.raises(store.Unreadable) as caught:
        if column == "payload":
            store.open_answers(_row(second))
        else:
            store.open_facts(_fact_source(second), get_survey("adult"))
    assert caught.value.reason == "OpenFailed"
    assert str(second.hex) in str(caught.value) and "Someone" not in str(caught.value)


@pytest.mark.parametrize("column", ["payload", "facts"])
def test_a_tampered_blob_does_not_open(app, column):
    response_id = store_one(ANSWERS)
    _set(response_id, **{column: _tamper(getattr(_row(response_id), column))})
    with pytest.raises(store.Unreadable) as caught:
        if column == "payload":
            store.open_answers(_row(response_id))
        else:
            store.open_facts(_fact_source(response_id), get_survey("adult"))
    assert caught.value.reason == "OpenFailed"
    assert not isinstance(caught.value, OpenFailed)  # no CryptoError leaves the store


def test_a_blob_sealed_with_a_key_not_in_the_keyring_does_not_open(app):
    response_id = store_one(ANSWERS)
    stranger = Keyring.generate()
    _set(response_id, payload=stranger.seal(b"{}", store.payload_place(response_id)))
    with pytest.raises(store.Unreadable) as caught:
        store.open_answers(_row(response_id))
    assert caught.value.reason == "UnknownKey"


@pytest.mark.parametrize(
    "plaintext, reason",
    [(b"\xff\xfe", "UnicodeDecodeError"), (b"{not json", "JSONDecodeError"), (b'["x"]', "ValueError")],
)
def test_answers_that_are_not_a_json_mapping_do_not_open(app, plaintext, reason):
    response_id = store_one(ANSWERS)
    _set(response_id, payload=current_keyring().seal(plaintext, store.payload_place(response_id)))
    with pytest.raises(store.Unreadable) as caught:
        store.open_answers(_row(response_id))
    assert caught.value.reason == reason


def test_a_row_without_facts_gets_them_from_its_answers(app):
    response_id = store_one(ANSWERS)
    sealed_tokens = store.open_facts(_fact_source(response_id), get_survey("adult"))
    _set(response_id, facts=None, facts_key_id=None)
    assert sorted(store.open_facts(_fact_source(response_id), get_survey("adult"))) == sorted(sealed_tokens)


# -- the legacy payload place ---------------------------------------------------------------


def _seal_at_legacy_place(response_id: uuid.UUID, answers: dict, keyring: Keyring | None = None) -> None:
    keyring = keyring or current_keyring()
    blob = keyring.seal(store.encode_answers(answers), store.legacy_payload_place(response_id))
    _set(response_id, payload=blob, key_id=keyring.primary, facts=None, facts_key_id=None)


def test_a_payload_sealed_at_the_legacy_place_still_opens(app):
    response_id = store_one(ANSWERS)
    _seal_at_legacy_place(response_id, ANSWERS)
    with pytest.raises(OpenFailed):  # it really is bound to the dashed id only
        current_keyring().open(_row(response_id).payload, store.payload_place(response_id))
    assert store.open_answers(_row(response_id)) == ANSWERS
    surveys, tokens, unreadable = _counted(_all_facts())
    assert (surveys, unreadable) == (["adult"], [])
    assert b"listened.police=yes" in tokens["adult"]


def test_rotation_reseals_a_legacy_payload_at_the_current_place(app, key_file):
    legacy, current = store_one(ANSWERS), store_one({"gender": "man"})
    _seal_at_legacy_place(legacy, ANSWERS)
    old = current_keyring()

    new = key_rotation.add_primary_key(key_file)
    assert key_rotation.reseal_all() == 3  # two payloads, one facts

    row = _row(legacy)
    assert row.key_id == new.primary
    assert new.open(row.payload, store.payload_place(legacy)) == store.encode_answers(ANSWERS)
    with pytest.raises(OpenFailed):
        new.open(row.payload, store.legacy_payload_place(legacy))
    assert store.open_answers(row) == ANSWERS
    assert store.open_answers(_row(current)) == {"gender": "man"}
    # The old key is no longer needed for anything.
    replace_keyring(new.without(old.primary))
    assert store.open_answers(_row(legacy)) == ANSWERS


def test_flask_keys_rotate_reseals_a_legacy_payload(app, key_file):
    response_id = store_one(ANSWERS)
    _seal_at_legacy_place(response_id, ANSWERS)
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    primary = Keyring.from_file(key_file).primary
    assert current_keyring().open(_row(response_id).payload, store.payload_place(response_id))
    assert _row(response_id).key_id == primary


def test_rotation_stops_with_unreadable_on_a_value_that_does_not_open(app, key_file):
    response_id = store_one(ANSWERS)
    _set(response_id, payload=_tamper(_row(response_id).payload))
    key_rotation.add_primary_key(key_file)
    with pytest.raises(store.Unreadable) as caught:
        key_rotation.reseal_all()
    assert caught.value.place == store.payload_place(response_id)


def test_retiring_the_primary_key_is_a_value_error(app, key_file):
    with pytest.raises(ValueError):
        key_rotation.retire_key(current_keyring().primary, key_file)
    with pytest.raises(ValueError):
        key_rotation.retire_key("00000000", key_file)


# -- in bulk --------------------------------------------------------------------------------


def test_read_facts_opens_every_row_in_batches(app):
    ids = [store_one(ANSWERS) for _ in range(5)] + [store_one({"gender": "man"}, language="pl")]
    batches = _all_facts(batch_size=2)
    assert len(batches) == 3
    surveys, tokens, unreadable = _counted(batches)
    assert surveys == ["adult"] * 6 and unreadable == []
    assert tokens["adult"].count(b"gender=woman") == 5 and tokens["adult"].count(b"gender=man") == 1
    assert not any(b"Someone" in token for token in tokens["adult"])
    assert sum(len(batch.weeks) for batch in batches) == sum(len(batch.demo) for batch in batches) == len(ids)


def test_read_facts_keeps_only_rows_holding_the_required_facts(app):
    store_one(ANSWERS)
    store_one({"gender": "man", "services": ["police"]})
    store_one({"gender": "woman", "services": ["housing"]})
    surveys, tokens, _ = _counted(_all_facts(required=("services=police",)))
    assert len(surveys) == 2 and sorted(t for t in tokens["adult"] if t.startswith(b"gender")) == [
        b"gender=man",
        b"gender=woman",
    ]
    # Rows without facts are filtered the same way.
    db.session.execute(update(Response).values(facts=None, facts_key_id=None))
    db.session.commit()
    assert len(_counted(_all_facts(required=("services=police", "gender=man")))[0]) == 1


def test_read_facts_lists_rows_that_do_not_open_instead_of_raising(app):
    good, bad_facts, bad_legacy = store_one(ANSWERS), store_one(ANSWERS), store_one(ANSWERS)
    _set(bad_facts, facts=_tamper(_row(bad_facts).facts))
    _set(bad_legacy, payload=_tamper(_row(bad_legacy).payload), facts=None, facts_key_id=None)
    surveys, _tokens, unreadable = _counted(_all_facts())
    assert surveys == ["adult"]
    assert [(response_id, error.reason) for response_id, error in unreadable] == [
        (bad_facts, "OpenFailed"),
        (bad_legacy, "OpenFailed"),
    ]
    assert all(isinstance(error, store.Unreadable) for _id, error in unreadable)
    assert good not in [response_id for response_id, _error in unreadable]


# -- other sealed texts ---------------------------------------------------------------------


def test_a_sealed_text_that_does_not_open_is_unreadable(app):
    key_id, blob = seal_text("Nobody listened.", "quote:1:text")
    assert key_id == current_keyring().primary
    assert open_text(blob, "quote:1:text") == "Nobody listened."
    with pytest.raises(store.Unreadable):
        open_text(blob, "quote:2:text")
    with pytest.raises(store.Unreadable) as caught:
        open_text(current_keyring().seal(b"\xff", "quote:1:text"), "quote:1:text")
    assert caught.value.reason == "UnicodeDecodeError"


def _ordered(statement):
    return statement.order_by(Response.submitted_week, Response.id)


def test_read_answers_opens_rows_in_batches_up_to_a_limit(app):
    ids = sorted(store_one(ANSWERS | {"helpful.police": f"Comment {n}"}) for n in range(5))
    batches = []
    cut_short = store.read_answers(_ordered, batches.append, batch_size=2)
    assert cut_short is False
    assert [len(b) for b in batches] == [2, 2, 1]
    opened = [a for b in batches for a in b]
    assert [a.id for a in opened] == ids  # as UUIDs, on SQLite and PostgreSQL alike
    assert {a.answers["helpful.police"] for a in opened} == {f"Comment {n}" for n in range(5)}
    assert all(a.survey_slug == "adult" and a.language == "en" and a.problem is None for a in opened)

    batches = []
    assert store.read_answers(_ordered, batches.append, limit=3, batch_size=2) is True
    assert [a.id for b in batches for a in b] == ids[:3]
    batches = []
    assert store.read_answers(_ordered, batches.append, limit=5, batch_size=2) is False  # exactly all
    assert sum(map(len, batches)) == 5


def test_read_answers_stops_when_asked_and_hands_over_rows_that_do_not_open(app):
    good = store_one(ANSWERS)
    bad = store_one(ANSWERS)
    db.session.execute(update(Response).where(Response.id == bad).values(payload=b"\x01garbage" * 8))
    db.session.commit()
    seen = []
    store.read_answers(_ordered, seen.extend)
    by_id = {a.id: a for a in seen}
    assert by_id[good].answers == ANSWERS and by_id[good].problem is None
    assert by_id[bad].answers is None and isinstance(by_id[bad].problem, store.Unreadable)
    calls = []
    store.read_answers(_ordered, lambda batch: calls.append(batch) or True, batch_size=1)
    assert len(calls) == 1  # into said stop
