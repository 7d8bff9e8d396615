"""Who holds the narrative key: lockers under argon2id of a password, grants through an
inbox, password changes and resets, the recovery key; and the store's two kinds of sealed
value (chosen answers with the keyring, words to the narrative key)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.crypto import CryptoError, is_narrative
from feedback_app.extensions import db
from feedback_app.models import NarrativeLocker, NarrativeWrap, Response
from feedback_app.services.responses import narrative_keys, store
from feedback_app.services.responses.keyring import current_keyring
from feedback_app.services.staff import accounts, narrative_access
from tests.helpers import narratives
from tests.helpers.responses import store as store_response
from tests.helpers.staff import PASSWORD, make_account

WORDS = {"age": "age_25_34", "services": ["police"], "listened.police": "yes", "anything_else": "Kestrel words"}


def _row():
    return db.session.scalars(select(Response)).one()


def test_words_are_sealed_to_the_narrative_key_and_choices_to_the_keyring(app):
    store_response(WORDS)
    row = _row()
    assert is_narrative(row.narrative) and row.narrative_key_id == narratives.opener().key_id
    payload = store.decode_answers(current_keyring().open(row.payload, store.payload_place(row.id)))
    assert payload == {"age": "age_25_34", "services": ["police"], "listened.police": "yes", "~written": ["anything_else"]}
    assert store.open_answers(row) == WORDS  # the test's own calls hold the key
    narratives.lock_for_test()
    assert store.open_answers(row) == {k: v for k, v in WORDS.items() if k != "anything_else"}
    with pytest.raises(narrative_keys.NarrativesLocked):
        store.open_answers(row, words_required=True)
    [batch] = _read_all()
    assert batch.words_locked and "anything_else" not in batch.answers


def _read_all():
    found = []
    store.read_answers(lambda s: s.order_by(Response.id), found.extend)
    return found


def test_a_narrative_moved_to_another_row_does_not_open(app):
    first, second = store_response(WORDS), store_response(WORDS)
    rows = {r.id: r for r in db.session.scalars(select(Response))}
    rows[second].narrative = rows[first].narrative
    db.session.commit()
    with pytest.raises(store.Unreadable):
        store.open_answers(rows[second])
    [problem] = [o for o in _read_all() if o.problem is not None]
    assert problem.id == second and problem.problem.reason == "OpenFailed"


def test_a_locker_keeps_its_own_salt_and_argon2id_parameters(app):
    one, _ = make_account("coordinator")
    two, _ = make_account("coordinator")
    lockers = {locker.account_id: locker for locker in db.session.scalars(select(NarrativeLocker))}
    assert lockers[one.id].parameters == app.config["NARRATIVE_ARGON2"] == {"memory_cost": 8, "iterations": 1, "lanes": 1}
    assert len(lockers[one.id].salt) == 16 and lockers[one.id].salt != lockers[two.id].salt
    wrap = db.session.get(NarrativeWrap, (one.id, narratives.opener().key_id))
    assert wrap.kind == "password" and narratives.opener().private_bytes() not in bytes(wrap.wrapped)


def test_the_right_password_unlocks_and_a_wrong_one_changes_nothing(app):
    account, _ = make_account("coordinator")
    [opener] = narrative_access.unlock(account, PASSWORD)
    assert opener.private_bytes() == narratives.opener().private_bytes()
    before = bytes(db.session.get(NarrativeWrap, (account.id, opener.key_id)).wrapped)
    assert narrative_access.unlock(account, "not the password at all") == []
    assert bytes(db.session.get(NarrativeWrap, (account.id, opener.key_id)).wrapped) == before


def test_admins_and_workers_never_get_a_locker(app):
    for role in ("admin", "worker"):
        account, _ = make_account(role)
        assert narrative_access.unlock(account, PASSWORD) == []
        assert db.session.get(NarrativeLocker, account.id) is None


def test_a_grant_waits_in_the_inbox_and_moves_under_the_password_at_sign_in(app):
    granter, _ = make_account("coordinator")
    grantee, _ = accounts.create_account("new@example.org", "New", "coordinator", "Refuge", by="test", password=PASSWORD)
    with pytest.raises(Exception):
        narrative_access.grant(grantee, [narratives.opener()], granter)  # no inbox before a first sign-in
    assert narrative_access.unlock(grantee, PASSWORD) == []  # first sign-in: the locker is made
    assert narrative_access.access_of(grantee) == "none"
    narrative_access.grant(grantee, narrative_access.unlock(granter, PASSWORD), granter)
    assert narrative_access.access_of(grantee) == "granted"
    [opener] = narrative_access.unlock(grantee, PASSWORD)
    assert opener.private_bytes() == narratives.opener().private_bytes()
    assert narrative_access.access_of(grantee) == "unlocked"
    narrative_access.revoke(grantee, granter)
    assert narrative_access.unlock(grantee, PASSWORD) == [] and narrative_access.access_of(grantee) == "none"


def test_a_password_change_rewraps_the_locker(app):
    account, _ = make_account("coordinator")
    accounts.change_password(account, PASSWORD, "a brand new long password")
    assert narrative_access.unlock(account, PASSWORD) == []
    assert len(narrative_access.unlock(account, "a brand new long password")) == 1


def test_an_admin_reset_takes_the_locker_away(app):
    admin, _ = make_account("admin")
    account, _ = make_account("coordinator")
    temporary = accounts.reset_password(account, admin)
    assert db.session.get(NarrativeLocker, account.id) is None
    assert narrative_access.unlock(account, temporary) == []  # a new, empty locker
    assert narrative_access.access_of(account) == "none"


def test_the_recovery_key_opens_the_private_key_and_another_does_not(app):
    found = narrative_access.openers_from_recovery(narratives.recovery_key())
    assert found[narratives.opener().key_id].private_bytes() == narratives.opener().private_bytes()
    from feedback_app.crypto import NarrativeOpener, recovery_key_text

    other = NarrativeOpener.generate()
    with pytest.raises(CryptoError):
        narrative_access.openers_from_recovery(recovery_key_text(other.key_id, other.private_bytes()))


def test_init_refuses_a_second_key_pair(app):
    with pytest.raises(narrative_access.NarrativeKeysExist):
        narrative_access.initialise("test")
