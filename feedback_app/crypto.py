"""Encryption at rest. The only module that imports ``cryptography``.

A sealed value ("blob") is::

    version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext + GCM tag

Version 1 is AES-256-GCM under a key from the keyring. Other version numbers
are reserved (for example, free text sealed to a coordinators' public key).

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
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise MalformedBlob("the stored value is not binary")
    blob = bytes(blob)
    if len(blob) < HEADER_BYTES + TAG_BYTES:
        raise MalformedBlob("the stored value is too short to be a sealed value")
    if blob[0] != BLOB_VERSION:
        raise MalformedBlob(f"the stored value has unknown format version {blob[0]}")
    return blob[1 : 1 + KEY_ID_BYTES].hex()
