"""A signed-in coordinator's unlocked narrative key, kept for their session only.

At sign-in (``open_for``) the private keys ``narrative_access.unlock`` opened are encrypted
under a new random *session key* and stored, under a new random id, in the session store:
Redis when ``NARRATIVE_SESSION_STORE`` (or, without it, the rate limits' storage) is a Redis
URL, shared by every gunicorn worker; otherwise this process's memory (development, tests).
The session key and the id are kept ONLY in Flask's session cookie (HttpOnly, Secure in
production). Flask's cookie is signed, not encrypted, so:

* the store alone holds ciphertext bound to ``narrative-session:<id>:<account id>``, which
  nothing on the server opens without the cookie;
* the cookie alone holds a random key, which opens nothing without the store.

Before each request (``load_for_request``) a signed-in coordinator's entry is opened and its
keys handed to ``responses.narrative_keys`` for that request only. The entry is deleted at
sign-out and idle timeout (``end``), and every entry of an account (``forget_account``) at a
password change, an admin's reset, deactivation or when access is taken away. Entries also
expire on their own after the idle timeout.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid

from flask import current_app, session
from flask_login import current_user

from ...crypto import CryptoError, NarrativeOpener, random_key, unwrap, wrap
from ...models import Account
from ..responses import narrative_keys
from . import narrative_access

COOKIE_FIELD = "narrative"  # {"id": ..., "key": base64, "account": ...} in the session cookie
EXTENSION_KEY = "feedback_narrative_sessions"
PENDING_SECONDS = 5 * 60  # between password and two-factor code


def entry_place(entry_id: str, account_id: uuid.UUID | str) -> str:
    return f"narrative-session:{entry_id}:{account_id}"


# -- the store ------------------------------------------------------------------------------------
class MemoryStore:
    """Entries in this process (development and tests), with expiry."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._accounts: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def put(self, entry_id: str, account_id: str, value: bytes, seconds: int) -> None:
        with self._lock:
            self._entries[entry_id] = (time.monotonic() + seconds, value)
            self._accounts.setdefault(account_id, set()).add(entry_id)

    def get(self, entry_id: str) -> bytes | None:
        with self._lock:
            found = self._entries.get(entry_id)
            if found is None or found[0] < time.monotonic():
                self._entries.pop(entry_id, None)
                return None
            return found[1]

    def touch(self, entry_id: str, seconds: int) -> None:
        with self._lock:
            if entry_id in self._entries:
                self._entries[entry_id] = (time.monotonic() + seconds, self._entries[entry_id][1])

    def delete(self, entry_id: str) -> None:
        with self._lock:
            self._entries.pop(entry_id, None)

    def delete_account(self, account_id: str) -> None:
        with self._lock:
            for entry_id in self._accounts.pop(account_id, set()):
                self._entries.pop(entry_id, None)

    def values(self) -> list[bytes]:
        """Everything stored (for the tests that prove it opens nothing alone)."""
        with self._lock:
            return [value for _, value in self._entries.values()]


class RedisStore:
    """Entries in Redis, shared by every worker; keys start with ``prefix``."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self._prefix = prefix

    def _entry(self, entry_id: str) -> str:
        return f"{self._prefix}entry:{entry_id}"

    def _account(self, account_id: str) -> str:
        return f"{self._prefix}account:{account_id}"

    def put(self, entry_id: str, account_id: str, value: bytes, seconds: int) -> None:
        pipe = self._redis.pipeline()
        pipe.set(self._entry(entry_id), value, ex=seconds)
        pipe.sadd(self._account(account_id), entry_id)
        pipe.expire(self._account(account_id), seconds * 4)
        pipe.execute()

    def get(self, entry_id: str) -> bytes | None:
        return self._redis.get(self._entry(entry_id))

    def touch(self, entry_id: str, seconds: int) -> None:
        self._redis.expire(self._entry(entry_id), seconds)

    def delete(self, entry_id: str) -> None:
        self._redis.delete(self._entry(entry_id))

    def delete_account(self, account_id: str) -> None:
        entry_ids = self._redis.smembers(self._account(account_id))
        keys = [self._entry(e.decode() if isinstance(e, bytes) else e) for e in entry_ids]
        self._redis.delete(*keys, self._account(account_id))

    def values(self) -> list[bytes]:
        found = []
        for key in self._redis.scan_iter(match=f"{self._prefix}entry:*"):
            value = self._redis.get(key)
            if value is not None:
                found.append(value)
        return found

    def clear(self) -> None:
        """Delete every key under the prefix (tests clean up after themselves)."""
        keys = list(self._redis.scan_iter(match=f"{self._prefix}*"))
        if keys:
            self._redis.delete(*keys)


def store():
    """This application's session store, made on first use."""
    app = current_app
    if EXTENSION_KEY not in app.extensions:
        url = app.config.get("NARRATIVE_SESSION_STORE") or app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        if url.startswith(("redis://", "rediss://", "unix://")):
            app.extensions[EXTENSION_KEY] = RedisStore(url, app.config["NARRATIVE_SESSION_PREFIX"])
        else:
            app.extensions[EXTENSION_KEY] = MemoryStore()
    return app.extensions[EXTENSION_KEY]


def _lifetime() -> int:
    return int(current_app.config["STAFF_IDLE_TIMEOUT_MINUTES"]) * 60 + 60


def _encode(openers: list[NarrativeOpener]) -> bytes:
    return json.dumps(
        [[o.key_id, base64.b64encode(o.private_bytes()).decode("ascii")] for o in openers]
    ).encode("ascii")


def _decode(plaintext: bytes) -> list[NarrativeOpener]:
    return [NarrativeOpener(key_id, base64.b64decode(private)) for key_id, private in json.loads(plaintext)]


# -- keeping, loading, ending ------------------------------------------------------------------
def keep(account: Account, openers: list[NarrativeOpener], seconds: int | None = None) -> None:
    """Store ``openers`` for this browser's session (the cookie gets the id and key)."""
    session.pop(COOKIE_FIELD, None)
    if not openers:
        return
    entry_id, key = secrets.token_urlsafe(24), random_key()
    value = wrap(_encode(openers), key, entry_place(entry_id, account.id))
    try:
        store().put(entry_id, str(account.id), value, seconds or _lifetime())
    except Exception:  # the shared store is down: signed in with figures; words wait
        current_app.logger.warning("the narrative session store cannot be reached")
        return
    session[COOKIE_FIELD] = {
        "id": entry_id,
        "key": base64.urlsafe_b64encode(key).decode("ascii"),
        "account": str(account.id),
    }


def open_for(account: Account, password: str) -> None:
    """At sign-in (password right; a two-factor code may still follow): unlock and keep."""
    keep(account, narrative_access.unlock(account, password), PENDING_SECONDS if account.totp_enabled else None)


def _entry_openers(account_id: str | None = None) -> list[NarrativeOpener]:
    held = session.get(COOKIE_FIELD)
    if not isinstance(held, dict) or (account_id is not None and held.get("account") != account_id):
        return []
    try:
        value = store().get(str(held["id"]))
        if value is None:
            return []
        key = base64.urlsafe_b64decode(str(held["key"]))
        return _decode(unwrap(value, key, entry_place(str(held["id"]), held["account"])))
    except (CryptoError, KeyError, ValueError, TypeError):
        return []
    except Exception:  # the shared store is down: words wait, figures still work
        current_app.logger.warning("the narrative session store cannot be reached")
        return []


def carry_over(account: Account) -> list[NarrativeOpener]:
    """The keys this browser's entry holds for ``account`` (its pending sign-in, or the
    session a password change refreshes), deleting the entry: ``keep`` them again in the
    new session."""
    openers = _entry_openers(str(account.id))
    end()
    return openers


def load_for_request() -> None:
    """Before every request: the signed-in coordinator's keys for this request, or none."""
    narrative_keys.forget_openers()
    if COOKIE_FIELD not in session or not current_user.is_authenticated:
        return
    if current_user.role != narrative_access.READER_ROLE:
        return
    openers = _entry_openers(str(current_user.id))
    if openers:
        narrative_keys.use_openers(openers)
        try:
            store().touch(str(session[COOKIE_FIELD]["id"]), _lifetime())
        except Exception:
            pass


def end() -> None:
    """Sign-out or idle timeout: delete this session's entry."""
    held = session.pop(COOKIE_FIELD, None)
    narrative_keys.forget_openers()
    if isinstance(held, dict) and "id" in held:
        try:
            store().delete(str(held["id"]))
        except Exception:
            current_app.logger.warning("the narrative session store cannot be reached")


def forget_account(account_id: uuid.UUID) -> None:
    """Delete every entry of an account (password change or reset, deactivation, revoke)."""
    try:
        store().delete_account(str(account_id))
    except Exception:
        current_app.logger.warning("the narrative session store cannot be reached")
