"""Who holds the narrative private key: key pairs, coordinators' lockers, grants, recovery.

The partnership's narrative key pair is made once (``initialise``): the server keeps its
public key, and its private key only wrapped

* for each coordinator with access, under a key derived from their password with argon2id
  (their locker's own salt and parameters, ``NARRATIVE_ARGON2``), bound to
  ``locker:<account id>:<key id>``;
* for a coordinator just given access, sealed to their *inbox* public key
  (``grant:<account id>:<key id>``) until their next sign-in moves it under their password;
* for the partnership's safe, sealed to the offline recovery key
  (``recovery:<recovery key id>:<key id>``), printed once and never stored.

``unlock`` runs at sign-in with the password just typed: it makes the coordinator's locker
(their inbox key pair) the first time, moves grants under their password and returns the
private keys it opened, for ``narrative_sessions`` to keep for the session. Nothing here is
kept in memory. Admins and workers never get a locker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ...crypto import (
    CryptoError,
    NarrativeKey,
    NarrativeOpener,
    new_salt,
    password_key,
    recovery_key_from_text,
    recovery_key_text,
    unwrap,
    wrap,
)
from ...extensions import db
from ...models import Account, NarrativeKeyPair, NarrativeLocker, NarrativeWrap
from ...models.account import utcnow
from ..responses import narrative_keys
from . import audit
from .errors import AccountError

READER_ROLE = "coordinator"


class NarrativeKeysExist(Exception):
    """``initialise`` was asked for when a key pair already exists."""


# -- places ---------------------------------------------------------------------------------
def locker_place(account_id: uuid.UUID, key_id: str) -> str:
    return f"locker:{account_id}:{key_id}"


def inbox_place(account_id: uuid.UUID, inbox_id: str) -> str:
    return f"locker:{account_id}:inbox:{inbox_id}"


def grant_place(account_id: uuid.UUID, key_id: str) -> str:
    return f"grant:{account_id}:{key_id}"


def recovery_place(recovery_id: str, key_id: str) -> str:
    return f"recovery:{recovery_id}:{key_id}"


# -- key pairs ------------------------------------------------------------------------------
def key_pairs() -> list[NarrativeKeyPair]:
    return list(db.session.scalars(select(NarrativeKeyPair).order_by(NarrativeKeyPair.created_at)))


def current_pair() -> NarrativeKeyPair | None:
    public = narrative_keys.current_public_key()
    return db.session.get(NarrativeKeyPair, public.key_id) if public else None


def has_keys() -> bool:
    return narrative_keys.current_public_key() is not None


def _new_pair(recovery: NarrativeKey) -> tuple[NarrativeKeyPair, NarrativeOpener]:
    opener = NarrativeOpener.generate()
    while db.session.get(NarrativeKeyPair, opener.key_id) is not None:
        opener = NarrativeOpener.generate()
    pair = NarrativeKeyPair(
        id=opener.key_id,
        public_key=opener.public_key().public,
        created_at=utcnow(),
        recovery_key_id=recovery.key_id,
        recovery_public_key=recovery.public,
        recovery_wrap=recovery.seal(opener.private_bytes(), recovery_place(recovery.key_id, opener.key_id)),
    )
    db.session.add(pair)
    return pair, opener


def initialise(by: Account | str) -> tuple[NarrativeKeyPair, str, NarrativeOpener]:
    """Make the partnership's first narrative key pair and its recovery key. Returns the pair,
    the recovery key as text (to print once) and the private key (to give access with, in
    this process only). ``NarrativeKeysExist`` if one exists."""
    if db.session.scalar(select(func.count()).select_from(NarrativeKeyPair)):
        raise NarrativeKeysExist("narrative keys already exist: see 'flask narratives status'")
    recovery = NarrativeOpener.generate()
    pair, opener = _new_pair(recovery.public_key())
    audit.record("narrative_keys_created", by, detail=f"key {pair.id}", commit=False)
    db.session.commit()
    narrative_keys.forget_public_key()
    return pair, recovery_key_text(recovery.key_id, recovery.private_bytes()), opener


def rotate_pair(openers: dict[str, NarrativeOpener], by: Account | str) -> tuple[NarrativeKeyPair, NarrativeOpener]:
    """A new key pair wrapped for the same recovery key, and for every coordinator whose
    current wrap can be re-made here: those holding a grant wait for it as before (the new
    key is granted to their inbox). The old pair is retired by ``finish_rotation``."""
    old = current_pair()
    if old is None or old.id not in openers:
        raise AccountError("the current narrative private key is needed to replace it")
    pair, opener = _new_pair(NarrativeKey(old.recovery_key_id, bytes(old.recovery_public_key)))
    db.session.flush()
    for locker in db.session.scalars(select(NarrativeLocker)):
        if db.session.get(NarrativeWrap, (locker.account_id, old.id)) is not None:
            _grant_one(locker, opener, by)
    audit.record("narrative_keys_rotated", by, detail=f"key {old.id} -> {pair.id} (started)", commit=False)
    db.session.commit()
    return pair, opener


def finish_rotation(new_id: str, by: Account | str) -> None:
    """Retire every key pair but ``new_id`` and drop their wraps (nothing is sealed to them)."""
    for pair in key_pairs():
        if pair.id != new_id and pair.retired_at is None:
            pair.retired_at = utcnow()
    db.session.execute(delete(NarrativeWrap).where(NarrativeWrap.key_id != new_id))
    audit.record("narrative_keys_rotated", by, detail=f"key {new_id} (finished)", commit=False)
    db.session.commit()
    narrative_keys.forget_public_key()


def openers_from_recovery(text: str) -> dict[str, NarrativeOpener]:
    """Every private key the recovery key opens. ``CryptoError`` if it is the wrong one."""
    recovery = recovery_key_from_text(text)
    found = {}
    for pair in key_pairs():
        if pair.recovery_key_id != recovery.key_id:
            continue
        private = recovery.open(bytes(pair.recovery_wrap), recovery_place(recovery.key_id, pair.id))
        found[pair.id] = NarrativeOpener(pair.id, private)
    if not found:
        raise CryptoError("this recovery key is not the one the narrative keys were wrapped for")
    return found


# -- lockers ----------------------------------------------------------------------------------
def _parameters() -> dict:
    return dict(current_app.config["NARRATIVE_ARGON2"])


def _new_locker(account: Account, key: bytes, salt: bytes, parameters: dict) -> NarrativeLocker:
    inbox = NarrativeOpener.generate()
    locker = NarrativeLocker(
        account_id=account.id,
        salt=salt,
        parameters=parameters,
        inbox_key_id=inbox.key_id,
        inbox_public_key=inbox.public_key().public,
        inbox_private_wrap=wrap(inbox.private_bytes(), key, inbox_place(account.id, inbox.key_id)),
        created_at=utcnow(),
    )
    db.session.add(locker)
    return locker


def unlock(account: Account, password: str) -> list[NarrativeOpener]:
    """At sign-in, with the password just checked: the narrative private keys the account
    holds (none for admins and workers, or before any key exists). Makes the locker the first
    time and moves grants under the password. Commits."""
    if account.role != READER_ROLE or not has_keys():
        return []
    locker = db.session.get(NarrativeLocker, account.id)
    if locker is None:
        salt, parameters = new_salt(), _parameters()
        key = password_key(password, salt, parameters)
        _new_locker(account, key, salt, parameters)
        db.session.commit()
        return []
    key = password_key(password, bytes(locker.salt), locker.parameters)
    try:
        inbox = NarrativeOpener(
            locker.inbox_key_id,
            unwrap(bytes(locker.inbox_private_wrap), key, inbox_place(account.id, locker.inbox_key_id)),
        )
    except CryptoError:
        # Not this password's locker (a reset or recovery replaces the locker, so this is
        # a wrong password or an altered row): no access, and nothing is changed.
        return []
    openers = []
    for held in db.session.scalars(select(NarrativeWrap).where(NarrativeWrap.account_id == account.id)):
        try:
            if held.kind == "granted":
                private = inbox.open(bytes(held.wrapped), grant_place(account.id, held.key_id))
                held.wrapped = wrap(private, key, locker_place(account.id, held.key_id))
                held.kind = "password"
            else:
                private = unwrap(bytes(held.wrapped), key, locker_place(account.id, held.key_id))
        except CryptoError:
            continue  # a wrap that does not open gives no access; the others still do
        openers.append(NarrativeOpener(held.key_id, private))
    db.session.commit()
    return openers


def rewrap(account: Account, current: str, new: str) -> None:
    """After the account's own password change: the locker under the new password (same
    wraps, new salt). Not committed: the caller commits with the password."""
    locker = db.session.get(NarrativeLocker, account.id)
    if locker is None:
        return
    old_key = password_key(current, bytes(locker.salt), locker.parameters)
    salt, parameters = new_salt(), _parameters()
    new_key = password_key(new, salt, parameters)
    try:
        inbox = unwrap(bytes(locker.inbox_private_wrap), old_key, inbox_place(account.id, locker.inbox_key_id))
    except CryptoError:
        remove_locker(account)
        return
    locker.salt, locker.parameters = salt, parameters
    locker.inbox_private_wrap = wrap(inbox, new_key, inbox_place(account.id, locker.inbox_key_id))
    for held in db.session.scalars(select(NarrativeWrap).where(NarrativeWrap.account_id == account.id)):
        if held.kind != "password":
            continue  # a grant is sealed to the inbox, which has not changed
        try:
            private = unwrap(bytes(held.wrapped), old_key, locker_place(account.id, held.key_id))
        except CryptoError:
            db.session.delete(held)
            continue
        held.wrapped = wrap(private, new_key, locker_place(account.id, held.key_id))


def remove_locker(account: Account) -> bool:
    """Forget the account's locker and wraps (an admin reset its password). Not committed.
    True if it held access."""
    had = db.session.scalar(select(func.count()).select_from(NarrativeWrap).where(NarrativeWrap.account_id == account.id))
    db.session.execute(delete(NarrativeWrap).where(NarrativeWrap.account_id == account.id))
    db.session.execute(delete(NarrativeLocker).where(NarrativeLocker.account_id == account.id))
    return bool(had)


# -- giving and taking away access ---------------------------------------------------------------
def _grant_one(locker: NarrativeLocker, opener: NarrativeOpener, by) -> None:
    inbox = NarrativeKey(locker.inbox_key_id, bytes(locker.inbox_public_key))
    sealed = inbox.seal(opener.private_bytes(), grant_place(locker.account_id, opener.key_id))
    held = db.session.get(NarrativeWrap, (locker.account_id, opener.key_id))
    if held is not None and held.kind == "password":
        return
    if held is None:
        held = NarrativeWrap(account_id=locker.account_id, key_id=opener.key_id, created_at=utcnow())
        db.session.add(held)
    held.kind, held.wrapped = "granted", sealed
    held.granted_by = by.id if isinstance(by, Account) else None


def can_be_granted(account: Account) -> bool:
    """Whether access can be given to ``account``: a coordinator who has signed in since
    narrative keys existed (so has an inbox)."""
    return account.role == READER_ROLE and account.is_active and db.session.get(NarrativeLocker, account.id) is not None


def grant(grantee: Account, openers: Iterable[NarrativeOpener], by: Account | str) -> None:
    """Give ``grantee`` the private keys in ``openers`` (the granter's, unlocked), sealed to
    their inbox until their next sign-in. Audited, without any words."""
    locker = db.session.get(NarrativeLocker, grantee.id)
    if grantee.role != READER_ROLE or not grantee.is_active or locker is None:
        raise AccountError(_l("Access can only be given to an active coordinator who has signed in once."))
    given = [opener for opener in openers]
    if not given:
        raise AccountError(_l("Your own access to comments is not unlocked. Sign out and sign in again."))
    for opener in given:
        _grant_one(locker, opener, by)
    audit.record("narrative_access_granted", by, grantee, "keys " + ", ".join(o.key_id for o in given), commit=False)
    db.session.commit()


def revoke(grantee: Account, by: Account | str) -> None:
    """Take access away: ``grantee``'s wraps are deleted (their inbox stays, for a later grant)."""
    db.session.execute(delete(NarrativeWrap).where(NarrativeWrap.account_id == grantee.id))
    audit.record("narrative_access_revoked", by, grantee, commit=False)
    db.session.commit()


def recover_for(account: Account, openers: dict[str, NarrativeOpener], by: str) -> None:
    """With keys opened by the recovery key: give ``account`` access, sealed to their inbox
    (their next sign-in takes it). A coordinator without a locker (never signed in since keys
    existed, or reset) is given a passphrase instead: ``accounts.set_recovery_passphrase``
    then ``give_with_password``."""
    locker = db.session.get(NarrativeLocker, account.id)
    if account.role != READER_ROLE or not account.is_active or locker is None:
        raise AccountError("Only an active coordinator with a locker can be granted to their inbox.")
    for opener in openers.values():
        _grant_one(locker, opener, by)
    audit.record("narrative_access_recovered", by, account, "granted to their inbox", commit=False)
    db.session.commit()


def has_locker(account: Account) -> bool:
    return db.session.get(NarrativeLocker, account.id) is not None


# -- who has access ------------------------------------------------------------------------------
def access_of(account: Account) -> str:
    """``"unlocked"`` wraps for the current key under their password, ``"granted"`` waiting
    for their next sign-in, ``"none"`` (has a locker), or ``"never_signed_in"``."""
    pair = current_pair()
    if pair is None:
        return "none"
    held = db.session.get(NarrativeWrap, (account.id, pair.id))
    if held is not None:
        return "unlocked" if held.kind == "password" else "granted"
    return "none" if db.session.get(NarrativeLocker, account.id) is not None else "never_signed_in"


def coordinators() -> list[tuple[Account, str]]:
    accounts = db.session.scalars(
        select(Account).where(Account.role == READER_ROLE, Account.is_active.is_(True)).order_by(Account.display_name)
    )
    return [(account, access_of(account)) for account in accounts]


def give_with_password(account: Account, password: str, openers: Iterable[NarrativeOpener], by: Account | str) -> None:
    """Wrap ``openers`` for ``account`` under ``password`` directly (its locker made if
    needed): for demo and test accounts whose password the command knows. Audited."""
    if account.role != READER_ROLE:
        raise AccountError("Only coordinators read comments.")
    locker = db.session.get(NarrativeLocker, account.id)
    if locker is None:
        salt, parameters = new_salt(), _parameters()
        key = password_key(password, salt, parameters)
        _new_locker(account, key, salt, parameters)
    else:
        key = password_key(password, bytes(locker.salt), locker.parameters)
    given = list(openers)
    for opener in given:
        held = db.session.get(NarrativeWrap, (account.id, opener.key_id))
        if held is None:
            held = NarrativeWrap(account_id=account.id, key_id=opener.key_id, created_at=utcnow())
            db.session.add(held)
        held.kind = "password"
        held.wrapped = wrap(opener.private_bytes(), key, locker_place(account.id, opener.key_id))
    audit.record("narrative_access_granted", by, account, "keys " + ", ".join(o.key_id for o in given), commit=False)
    db.session.commit()


def words_unlocked() -> bool:
    """Whether this request may open survivors' words (a coordinator's key is unlocked for
    the session, or no narrative key exists yet and words are still keyring-sealed)."""
    return narrative_keys.unlocked()


def grant_from_session(grantee: Account, by: Account) -> None:
    """Give ``grantee`` the keys unlocked for this request (``by``'s own)."""
    grant(grantee, narrative_keys.openers().values(), by)


def coordinator(account_id: str) -> Account | None:
    """The active coordinator with this id, or None."""
    try:
        found = db.session.get(Account, uuid.UUID(str(account_id)))
    except ValueError:
        return None
    return found if found is not None and found.role == READER_ROLE and found.is_active else None
