"""Encryption at rest. The only module that imports ``cryptography``.

A sealed value ("blob") is::

    version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext + GCM tag

Version 1 is AES-256-GCM under a key from the keyring.

Version 2 is a *narrative*: sealed to an X25519 public key the server holds without its
private half (the partnership's narrative key, a coordinator's inbox key, the recovery key)::

    2 | key id (4 bytes) | ephemeral X25519 public key (32) | nonce (12) | ciphertext + GCM tag

The AES-256-GCM key is HKDF-SHA256 of the ephemeral key agreement (salt: the ephemeral
public key then the recipient's; info names the scheme and the key id). Only the private key
opens it (``NarrativeOpener``); the public key seals (``NarrativeKey``).

Version 3 is a *wrap*: a secret sealed under a symmetric key that is not the keyring's (a key
derived from a coordinator's password with argon2id, ``password_key``, or a random session
key), ``3 | nonce (12) | ciphertext + tag``.

Associated data binds every blob to its place, e.g. ``response:<id>:payload`` (places
are built by the code that owns the value, e.g. ``services.responses.store``), so a blob
copied onto another row or column does not open.

A keyring maps key ids (8 hex characters) to 32-byte keys; the primary key
seals, every key opens. It is loaded from JSON::

    {"primary": "1a2b3c4d", "keys": {"1a2b3c4d": "<base64 of 32 bytes>"}}
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

BLOB_VERSION = 1
KEY_ID_BYTES = 4
NONCE_BYTES = 12
KEY_BYTES = 32
HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES
TAG_BYTES = 16


class CryptoError(Exception):
    """Base class: a value could not be sealed or opened."""


class KeyringError(CryptoError):
    """The keyring is missing, unreadable or malformed."""


class MalformedBlob(CryptoError):
    """The stored value is not a blob this version understands."""


class UnknownKey(CryptoError):
    """The blob was sealed with a key that is not in the keyring."""


class OpenFailed(CryptoError):
    """The blob was tampered with, or belongs to another place (associated data)."""


def _key_id_bytes(key_id: str) -> bytes:
    try:
        raw = bytes.fromhex(key_id)
    except ValueError:
        raw = b""
    if len(raw) != KEY_ID_BYTES:
        raise KeyringError(f"key id {key_id!r} must be {KEY_ID_BYTES * 2} hexadecimal characters")
    return raw


@dataclass
class Keyring:
    """Key ids mapped to keys; ``primary`` names the key that seals."""

    primary: str
    keys: dict[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyringError("the keyring holds no keys")
        for key_id, key in self.keys.items():
            _key_id_bytes(key_id)
            if len(key) != KEY_BYTES:
                raise KeyringError(f"key {key_id} must be {KEY_BYTES} bytes (AES-256)")
        if self.primary not in self.keys:
            raise KeyringError(f"primary key {self.primary!r} is not in the keyring")
        self._ciphers = {kid: AESGCM(key) for kid, key in self.keys.items()}
        # Blob header prefix (version + key id) -> cipher: opening many blobs skips parsing.
        self._by_prefix = {bytes([BLOB_VERSION]) + _key_id_bytes(kid): c for kid, c in self._ciphers.items()}

    # -- building and storing -------------------------------------------------
    @classmethod
    def generate(cls) -> Keyring:
        key_id = secrets.token_hex(KEY_ID_BYTES)
        return cls(primary=key_id, keys={key_id: AESGCM.generate_key(bit_length=256)})

    def with_new_primary(self) -> Keyring:
        """A copy of this keyring with a fresh key that becomes primary."""
        key_id = secrets.token_hex(KEY_ID_BYTES)
        while key_id in self.keys:
            key_id = secrets.token_hex(KEY_ID_BYTES)
        return Keyring(primary=key_id, keys={**self.keys, key_id: AESGCM.generate_key(256)})

    def without(self, key_id: str) -> Keyring:
        if key_id == self.primary:
            raise KeyringError("the primary key cannot be retired")
        if key_id not in self.keys:
            raise KeyringError(f"key {key_id!r} is not in the keyring")
        return Keyring(primary=self.primary, keys={k: v for k, v in self.keys.items() if k != key_id})

    def to_json(self) -> str:
        keys = {kid: base64.b64encode(key).decode("ascii") for kid, key in self.keys.items()}
        return json.dumps({"primary": self.primary, "keys": keys}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            data = json.loads(text)
            primary = data["primary"]
            encoded = data["keys"]
            if not isinstance(primary, str) or not isinstance(encoded, dict):
                raise TypeError
            keys = {str(kid): base64.b64decode(value, validate=True) for kid, value in encoded.items()}
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise KeyringError(
                'the keyring must be JSON like {"primary": "<id>", "keys": {"<id>": "<base64 key>"}}'
            ) from exc
        return cls(primary=primary, keys=keys)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Keyring:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyringError(f"cannot read key file {path}: {exc.strerror}") from exc
        return cls.from_json(text)

    def write_file(self, path: str | os.PathLike[str]) -> None:
        """Write the keyring atomically, readable by the owner only (mode 0600)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)

    # -- sealing and opening ----------------------------------------------------
    def seal(self, plaintext: bytes, associated_data: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.primary].encrypt(nonce, plaintext, associated_data.encode("utf-8"))
        return bytes([BLOB_VERSION]) + _key_id_bytes(self.primary) + nonce + sealed

    def open(self, blob: bytes, associated_data: str) -> bytes:
        cipher = self._by_prefix.get(blob[: 1 + KEY_ID_BYTES]) if type(blob) is bytes else None
        if cipher is None or len(blob) < HEADER_BYTES + TAG_BYTES:
            # Not the common case: check the shape for a precise error.
            key_id = blob_key_id(blob)
            blob = bytes(blob)
            cipher = self._ciphers.get(key_id)
            if cipher is None:
                raise UnknownKey(f"this value was sealed with key {key_id}, which is not in the keyring")
        nonce = blob[1 + KEY_ID_BYTES : HEADER_BYTES]
        try:
            return cipher.decrypt(nonce, blob[HEADER_BYTES:], associated_data.encode("utf-8"))
        except InvalidTag as exc:
            raise OpenFailed(
                f"the value for {associated_data} does not open: it was altered or belongs elsewhere"
            ) from exc

    def reseal(self, blob: bytes, associated_data: str) -> bytes:
        """Open with whichever key sealed it and seal again under the primary key."""
        return self.seal(self.open(blob, associated_data), associated_data)


def blob_key_id(blob: bytes) -> str:
    """The key id a blob names, after checking its shape."""
    return _key_id_of(blob, BLOB_VERSION, HEADER_BYTES, "a sealed value", "unknown format version {}")


def _key_id_of(blob: bytes, version: int, header: int, kind: str, wrong_version: str) -> str:
    """The key id after the version byte of a blob of ``version`` (with a ``header`` before
    its ciphertext), after checking its shape; ``MalformedBlob`` names what is wrong."""
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise MalformedBlob("the stored value is not binary")
    blob = bytes(blob)
    if len(blob) < header + TAG_BYTES:
        raise MalformedBlob(f"the stored value is too short to be {kind}")
    if blob[0] != version:
        raise MalformedBlob("the stored value has " + wrong_version.format(blob[0]))
    return blob[1 : 1 + KEY_ID_BYTES].hex()


# -- narratives: sealed to a public key ------------------------------------------------------
NARRATIVE_VERSION = 2
X25519_BYTES = 32
NARRATIVE_HEADER_BYTES = 1 + KEY_ID_BYTES + X25519_BYTES + NONCE_BYTES
_NARRATIVE_INFO = b"feedback narrative x25519-hkdf-sha256-aes256gcm v2 key "


def _raw_public(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _narrative_cipher(shared: bytes, ephemeral_public: bytes, recipient_public: bytes, key_id: bytes) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral_public + recipient_public,
        info=_NARRATIVE_INFO + key_id,
    ).derive(shared)
    return AESGCM(key)


def new_key_id() -> str:
    return secrets.token_hex(KEY_ID_BYTES)


@dataclass(frozen=True)
class NarrativeKey:
    """A public key that seals narratives (``key_id``: 8 hex characters, ``public``: 32 bytes)."""

    key_id: str
    public: bytes

    def __post_init__(self) -> None:
        _key_id_bytes(self.key_id)
        if len(self.public) != X25519_BYTES:
            raise KeyringError(f"narrative public key {self.key_id} must be {X25519_BYTES} bytes")

    def seal(self, plaintext: bytes, associated_data: str) -> bytes:
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = _raw_public(ephemeral.public_key())
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(self.public))
        key_id = _key_id_bytes(self.key_id)
        nonce = os.urandom(NONCE_BYTES)
        cipher = _narrative_cipher(shared, ephemeral_public, self.public, key_id)
        sealed = cipher.encrypt(nonce, plaintext, associated_data.encode("utf-8"))
        return bytes([NARRATIVE_VERSION]) + key_id + ephemeral_public + nonce + sealed


class NarrativeOpener:
    """The private half of a narrative key pair: opens what its public key sealed. Kept in
    memory for one request (or one command) only; nothing derived from it is cached."""

    __slots__ = ("key_id", "_private", "_public")

    def __init__(self, key_id: str, private: bytes) -> None:
        _key_id_bytes(key_id)
        if len(private) != X25519_BYTES:
            raise KeyringError(f"narrative private key {key_id} must be {X25519_BYTES} bytes")
        self.key_id = key_id
        self._private = X25519PrivateKey.from_private_bytes(private)
        self._public = _raw_public(self._private.public_key())

    def __repr__(self) -> str:
        return f"NarrativeOpener({self.key_id!r})"

    @classmethod
    def generate(cls, key_id: str | None = None) -> NarrativeOpener:
        private = X25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return cls(key_id or new_key_id(), private)

    def private_bytes(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )

    def public_key(self) -> NarrativeKey:
        return NarrativeKey(self.key_id, self._public)

    def open(self, blob: bytes, associated_data: str) -> bytes:
        key_id = narrative_key_id(blob)
        if key_id != self.key_id:
            raise UnknownKey(f"this value was sealed to narrative key {key_id}, not {self.key_id}")
        blob = bytes(blob)
        ephemeral_public = blob[1 + KEY_ID_BYTES : 1 + KEY_ID_BYTES + X25519_BYTES]
        nonce = blob[1 + KEY_ID_BYTES + X25519_BYTES : NARRATIVE_HEADER_BYTES]
        try:
            shared = self._private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        except ValueError as exc:  # a low-order point: altered
            raise OpenFailed(f"the value for {associated_data} does not open: it was altered") from exc
        cipher = _narrative_cipher(shared, ephemeral_public, self._public, blob[1 : 1 + KEY_ID_BYTES])
        try:
            return cipher.decrypt(nonce, blob[NARRATIVE_HEADER_BYTES:], associated_data.encode("utf-8"))
        except InvalidTag as exc:
            raise OpenFailed(
                f"the value for {associated_data} does not open: it was altered or belongs elsewhere"
            ) from exc


def is_narrative(blob: bytes | None) -> bool:
    """Whether a stored value is a narrative (sealed to a public key), by its version byte."""
    return isinstance(blob, (bytes, bytearray, memoryview)) and len(blob) > 0 and bytes(blob[:1])[0] == NARRATIVE_VERSION


def narrative_key_id(blob: bytes) -> str:
    """The narrative key id a narrative names, after checking its shape."""
    return _key_id_of(blob, NARRATIVE_VERSION, NARRATIVE_HEADER_BYTES, "a narrative", "format version {}, not a narrative's")


# -- wraps: a secret under a symmetric key (from a password, or a session's random key) ------
WRAP_VERSION = 3
SALT_BYTES = 16
# RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes (tests pass cheaper ones).
ARGON2_PARAMETERS = {"memory_cost": 64 * 1024, "iterations": 3, "lanes": 4}


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def random_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def password_key(password: str, salt: bytes, parameters: dict) -> bytes:
    """A 32-byte key from ``password`` with argon2id (``parameters``: memory_cost in KiB,
    iterations, lanes), as stored beside what it wraps."""
    try:
        memory, iterations, lanes = (int(parameters[n]) for n in ("memory_cost", "iterations", "lanes"))
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedBlob("the stored argon2id parameters are not readable") from exc
    if not (8 * lanes <= memory <= 4 * 1024 * 1024 and 1 <= iterations <= 64 and 1 <= lanes <= 64):
        raise MalformedBlob("the stored argon2id parameters are impossible: they were altered")
    return Argon2id(
        salt=bytes(salt), length=KEY_BYTES, iterations=iterations, lanes=lanes, memory_cost=memory
    ).derive(password.encode("utf-8"))


def wrap(secret: bytes, key: bytes, associated_data: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return bytes([WRAP_VERSION]) + nonce + AESGCM(key).encrypt(nonce, secret, associated_data.encode("utf-8"))


def unwrap(wrapped: bytes, key: bytes, associated_data: str) -> bytes:
    """What ``wrap`` sealed; ``OpenFailed`` for a wrong key (a wrong password), an altered
    wrap or one bound elsewhere; ``MalformedBlob`` if it is not a wrap."""
    if not isinstance(wrapped, (bytes, bytearray, memoryview)):
        raise MalformedBlob("the stored value is not binary")
    wrapped = bytes(wrapped)
    if len(wrapped) < 1 + NONCE_BYTES + TAG_BYTES or wrapped[0] != WRAP_VERSION:
        raise MalformedBlob("the stored value is not a wrapped key")
    try:
        return AESGCM(key).decrypt(wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :], associated_data.encode("utf-8"))
    except InvalidTag as exc:
        raise OpenFailed(f"the wrapped key for {associated_data} does not open with this key") from exc


# -- a recovery key as text: base32 in groups of four, with a checksum ----------------------
RECOVERY_PREFIX = "FBREC1"
_RECOVERY_CHECK_BYTES = 3


def recovery_key_text(key_id: str, private: bytes) -> str:
    """``FBREC1-<groups of base32>``: the key id, the private key and a checksum, to print
    once and type back by hand."""
    raw = _key_id_bytes(key_id) + private
    raw += hashlib.sha256(RECOVERY_PREFIX.encode() + raw).digest()[:_RECOVERY_CHECK_BYTES]
    encoded = base64.b32encode(raw).decode("ascii").rstrip("=")
    return RECOVERY_PREFIX + "-" + "-".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def recovery_key_from_text(text: str) -> NarrativeOpener:
    """The opener a recovery key names; ``KeyringError`` if it was mistyped."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if not cleaned.startswith(RECOVERY_PREFIX):
        raise KeyringError(f"a recovery key starts with {RECOVERY_PREFIX}-")
    body = cleaned[len(RECOVERY_PREFIX) :]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError) as exc:
        raise KeyringError("this recovery key has a typing mistake; check it was copied exactly") from exc
    size = KEY_ID_BYTES + X25519_BYTES
    if len(raw) != size + _RECOVERY_CHECK_BYTES or hashlib.sha256(RECOVERY_PREFIX.encode() + raw[:size]).digest()[
        :_RECOVERY_CHECK_BYTES
    ] != raw[size:]:
        raise KeyringError("this recovery key has a typing mistake; check it was copied exactly")
    return NarrativeOpener(raw[:KEY_ID_BYTES].hex(), raw[KEY_ID_BYTES:size])
