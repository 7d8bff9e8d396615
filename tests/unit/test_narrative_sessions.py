"""The session copy of a coordinator's unlocked narrative key: in memory or in Redis, always
encrypted under a key only the session cookie holds; deleted one by one or per account."""

from __future__ import annotations

import secrets

import pytest

from feedback_app.crypto import CryptoError, unwrap
from feedback_app.services.responses import narrative_keys
from feedback_app.services.staff import narrative_sessions
from feedback_app.services.staff.narrative_sessions import COOKIE_FIELD, MemoryStore, RedisStore
from tests.helpers import narratives
from tests.helpers.staff import make_account

LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _redis_or_skip() -> RedisStore:
    store = RedisStore(LOCAL_REDIS, f"feedback-test-{secrets.token_hex(6)}:narrative:")
    try:
        store._redis.ping()
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return store


@pytest.fixture(params=["memory", "redis"])
def session_store(request, app):
    store = MemoryStore() if request.param == "memory" else _redis_or_skip()
    app.extensions[narrative_sessions.EXTENSION_KEY] = store
    yield store
    if isinstance(store, RedisStore):
        store.clear()  # tests leave no keys behind


def test_kept_keys_open_only_with_the_cookie_key(app, session_store):
    account, _ = make_account("coordinator")
    opener = narratives.opener()
    with app.test_request_context():
        from flask import session

        narrative_sessions.keep(account, [opener])
        held = dict(session[COOKIE_FIELD])
        [stored] = session_store.values()
        assert opener.private_bytes() not in stored
        # Everything the server holds besides the cookie: the keyring, SECRET_KEY. None opens it.
        place = narrative_sessions.entry_place(held["id"], account.id)
        for key in (app.config["SECRET_KEY"].encode()[:32], *app.extensions["feedback_keyring"].keys.values()):
            with pytest.raises(CryptoError):
                unwrap(stored, key.ljust(32, b"\0"), place)
        assert [o.private_bytes() for o in narrative_sessions.carry_over(account)] == [opener.private_bytes()]
        assert session_store.values() == []  # carried over means taken out


def test_end_and_forget_account_delete_entries(app, session_store):
    account, _ = make_account("coordinator")
    other, _ = make_account("coordinator")
    with app.test_request_context():
        narrative_sessions.keep(account, [narratives.opener()])
        narrative_sessions.end()
        assert session_store.values() == []
    for who in (account, account, other):
        with app.test_request_context():
            narrative_sessions.keep(who, [narratives.opener()])
    assert len(session_store.values()) == 3
    narrative_sessions.forget_account(account.id)
    assert len(session_store.values()) == 1


def test_a_request_gets_no_keys_from_an_entry_that_is_gone(app, session_store):
    account, _ = make_account("coordinator")
    with app.test_request_context():
        narrative_sessions.keep(account, [narratives.opener()])
        narrative_sessions.forget_account(account.id)
        assert narrative_sessions._entry_openers(str(account.id)) == []
        narrative_keys.forget_openers()
        assert not narrative_keys.unlocked()
