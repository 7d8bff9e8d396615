import stat

import pytest
from sqlalchemy import select

from feedback_app.crypto import Keyring, blob_key_id
from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.figures import counting as aggregates
from feedback_app.services.figures.filters import Filters
from feedback_app.services.responses import key_rotation
from feedback_app.services.responses.keyring import current_keyring
from feedback_app.services.responses.submissions import read_response
from tests.helpers.responses import store


class Interrupted(Exception):
    pass


def test_rotation_interrupted_then_resumed(app, key_file):
    old_primary = current_keyring().primary
    ids = [store({"n": str(i)}) for i in range(25)]

    new = key_rotation.add_primary_key(key_file)
    assert Keyring.from_file(key_file).primary == new.primary != old_primary
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    def stop_after_first_batch(done, total):
        assert total == 50  # each response seals its answers and its facts
        raise Interrupted

    with pytest.raises(Interrupted):
        key_rotation.reseal_all(batch_size=10, progress=stop_after_first_batch)
    db.session.rollback()
    assert key_rotation.key_usage() == {old_primary: 40, new.primary: 10}
    # Nothing is lost half-way: every response still opens.
    assert [read_response(i).answers["n"] for i in ids] == [str(i) for i in range(25)]

    seen = []
    key_rotation.reseal_all(batch_size=10, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(10, 40), (15, 40), (25, 40), (35, 40), (40, 40)]
    assert key_rotation.key_usage() == {old_primary: 0, new.primary: 50}
    rows = db.session.scalars(select(Response)).all()
    assert {blob_key_id(r.payload) for r in rows} == {new.primary}
    assert {blob_key_id(r.facts) for r in rows} == {r.facts_key_id for r in rows} == {new.primary}
    assert aggregates.compute_uncached(Filters()).total == 25  # the re-sealed facts still open
    assert sorted(read_response(i).answers["n"] for i in ids) == sorted(str(i) for i in range(25))

    key_rotation.retire_key(old_primary, key_file)
    assert list(Keyring.from_file(key_file).keys) == [new.primary]


def test_a_key_in_use_cannot_be_retired(app, key_file):
    old_primary = current_keyring().primary
    store()
    key_rotation.add_primary_key(key_file)
    with pytest.raises(ValueError) as caught:
        key_rotation.retire_key(old_primary, key_file)
    assert "still seals 2" in str(caught.value)  # its answers and its facts


def test_cli_generate_rotate_and_status(app, key_file):
    for i in range(3):
        store({"n": str(i)})
    runner = app.test_cli_runner()

    generated = runner.invoke(args=["keys", "generate"])
    assert generated.exit_code == 0
    assert Keyring.from_json(generated.output).primary

    result = runner.invoke(args=["keys", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    new_primary = Keyring.from_file(key_file).primary
    assert f"New primary key {new_primary}" in result.output
    assert "Re-sealing 6 values" in result.output
    assert f"{new_primary} (primary): 6" in result.output

    status = runner.invoke(args=["keys", "status"])
    assert f"{new_primary} (primary): 6" in status.output


def test_cli_rotate_resume_reports_a_blob_that_does_not_open(app, key_file):
    response_id = store()
    key_rotation.add_primary_key(key_file)
    row = db.session.get(Response, response_id)
    tampered = bytearray(row.payload)
    tampered[-1] ^= 1
    row.payload = bytes(tampered)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["keys", "rotate", "--resume"])
    assert result.exit_code != 0
    assert "Stopped:" in result.output and "does not open" in result.output
    assert db.session.get(Response, response_id).payload == bytes(tampered)


def test_cli_rotate_without_key_file_explains(app):
    app.config["KEYRING_FILE"] = None
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code != 0
    assert "FEEDBACK_KEYRING_FILE" in result.output
