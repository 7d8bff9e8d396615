"""Password and PIN hashing (argon2id) and one-time secrets handed to people.

The argon2 parameters come from ``PASSWORD_HASH_PROFILE`` (an ``argon2.profiles`` name):
RFC 9106's low-memory profile normally, the cheapest one in the test suite. Both are argon2id.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# No 0/O, 1/l/I: temporary passwords and recovery codes are read aloud and typed by hand.
READABLE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

_hashers: dict[str, PasswordHasher] = {}
_dummy_hashes: dict[str, str] = {}


def hasher() -> PasswordHasher:
    name = current_app.config.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")
    if name not in _hashers:
        _hashers[name] = PasswordHasher.from_parameters(getattr(profiles, name))
    return _hashers[name]


def hash_secret(secret: str) -> str:
    return hasher().hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """True if ``secret`` matches ``stored_hash``. With no hash, spends the same time and fails."""
    if stored_hash is None:
        waste_time(secret)
        return False
    try:
        return hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


def waste_time(secret: str) -> None:
    """Verify against a throw-away hash, so an unknown account takes as long as a known one."""
    name = current_app.config.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")
    if name not in _dummy_hashes:
        _dummy_hashes[name] = hasher().hash(secrets.token_urlsafe(16))
    try:
        hasher().verify(_dummy_hashes[name], secret)
    except (VerificationError, InvalidHashError):
        pass


def temporary_password() -> str:
    """A one-time password like ``k7dm-qx3p-w9ht-b4nz`` (about 79 bits)."""
    groups = ("".join(secrets.choice(READABLE_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def recovery_code() -> str:
    """A one-time recovery code like ``K7DM-QX3P-W9HT-B4NZ`` (about 79 bits)."""
    return temporary_password().upper()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def recovery_code_digest(code: str) -> str:
    """Recovery codes carry ~79 random bits, so a plain SHA-256 is enough to store them."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()
