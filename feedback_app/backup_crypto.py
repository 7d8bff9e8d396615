"""Encryption of backup files. With ``crypto.py``, the only modules that import ``cryptography``.

A backup file is::

    MAGIC (8 bytes) | version (1 byte) | header length (2 bytes) | header (JSON) | chunks

The header says how the file key was made, never the key:

* ``"x25519"``: an ephemeral X25519 key agreed with the partnership's backup public key
  (``FEEDBACK_BACKUP_PUBLIC_KEY``), through HKDF-SHA256. Only the matching private key, kept
  off the server, opens the file.
* ``"passphrase"``: argon2id of a passphrase with the header's salt and parameters.

Each chunk is ``length (4 bytes) | AES-256-GCM ciphertext``; its nonce is the chunk's number
and a flag marking the last chunk, and its associated data is a hash of everything before
the first chunk. So a changed byte anywhere, a header swapped from another file, chunks
reordered, dropped or cut off at the end are all refused. The header also holds a short
check value of the file key, so a wrong key or passphrase is told apart from a damaged file.

Backup keys are written for people to copy onto paper and type back: base32 in groups of
five with a checksum, e.g. ``FBKEY1-ABCDE-...`` (private) and ``FBPUB1-...`` (public).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"FBBACKUP"
FORMAT_VERSION = 1
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
KEY_BYTES = 32
PRIVATE_PREFIX = "FBKEY1"
PUBLIC_PREFIX = "FBPUB1"
CHECKSUM_BYTES = 3
# RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes.
ARGON2_PARAMETERS = {"memory_cost": 64 * 1024, "iterations": 3, "lanes": 4}
MIN_PASSPHRASE_LENGTH = 12
_KEY_TEXT_LENGTH = (KEY_BYTES + CHECKSUM_BYTES) * 8 // 5  # base32 characters, no padding
_HKDF_INFO = b"feedback backup file key v1"
_CHECK_INFO = b"feedback backup key check v1"


class BackupError(Exception):
    """The backup cannot be written or read; the message says why, for the operator."""


class NotABackup(BackupError):
    """The file is not a backup this version can read."""


class WrongBackupKey(BackupError):
    """The key or passphrase given is not the one the backup was made for."""


class DamagedBackup(BackupError):
    """The backup was altered, or is incomplete (cut off)."""


class BadBackupKey(BackupError):
    """A backup key typed or configured is not well formed."""


# -- backup keys as text ------------------------------------------------------------
def _encode_key(prefix: str, raw: bytes) -> str:
    checksum = hashlib.sha256(prefix.encode("ascii") + raw).digest()[:CHECKSUM_BYTES]
    text = base64.b32encode(raw + checksum).decode("ascii").rstrip("=")
    return "-".join([prefix, *(text[i : i + 5] for i in range(0, len(text), 5))])


def _decode_key(prefix: str, text: str, what: str) -> bytes:
    cleaned = "".join(text.split()).replace("-", "").upper()
    if not cleaned.startswith(prefix):
        raise BadBackupKey(f"a {what} starts with {prefix}-")
    body = cleaned[len(prefix) :]
    if len(body) != _KEY_TEXT_LENGTH:
        raise BadBackupKey(
            f"this {what} should have {_KEY_TEXT_LENGTH} characters after {prefix}, not {len(body)}; check it was copied exactly"
        )
    try:
        data = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise BadBackupKey(f"this {what} has a character that does not belong in it; check it was copied exactly") from exc
    raw, checksum = data[:-CHECKSUM_BYTES], data[-CHECKSUM_BYTES:]
    if len(raw) != KEY_BYTES or hashlib.sha256(prefix.encode("ascii") + raw).digest()[:CHECKSUM_BYTES] != checksum:
        raise BadBackupKey(f"this {what} has a typing mistake; check it was copied exactly")
    return raw


@dataclass(frozen=True)
class BackupPublicKey:
    raw: bytes

    @classmethod
    def from_text(cls, text: str) -> BackupPublicKey:
        return cls(_decode_key(PUBLIC_PREFIX, text, "backup public key"))

    def to_text(self) -> str:
        return _encode_key(PUBLIC_PREFIX, self.raw)

    @property
    def fingerprint(self) -> str:
        """A short name for the key pair, shown so people can tell keys apart."""
        return hashlib.sha256(self.raw).hexdigest()[:16]


@dataclass(frozen=True)
class BackupPrivateKey:
    raw: bytes

    @classmethod
    def generate(cls) -> BackupPrivateKey:
        raw = X25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return cls(raw)

    @classmethod
    def from_text(cls, text: str) -> BackupPrivateKey:
        return cls(_decode_key(PRIVATE_PREFIX, text, "backup private key"))

    def to_text(self) -> str:
        return _encode_key(PRIVATE_PREFIX, self.raw)

    def public_key(self) -> BackupPublicKey:
        public = X25519PrivateKey.from_private_bytes(self.raw).public_key()
        return BackupPublicKey(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


# -- file keys ----------------------------------------------------------------------
def _hkdf(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=_HKDF_INFO).derive(shared)


def _key_check(file_key: bytes) -> str:
    return hmac.new(file_key, _CHECK_INFO, hashlib.sha256).hexdigest()[:32]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: object) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError as exc:
        raise NotABackup("the backup's header is not readable") from exc


def file_key_for_recipient(public_key: BackupPublicKey) -> tuple[bytes, dict]:
    """A new file key that only ``public_key``'s private key can make again, and its header."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key.raw))
    file_key = _hkdf(shared, ephemeral_public + public_key.raw)
    header = {"kind": "x25519", "ephemeral": _b64(ephemeral_public), "recipient": public_key.fingerprint}
    return file_key, header


def file_key_for_passphrase(passphrase: str, parameters: dict | None = None) -> tuple[bytes, dict]:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise BackupError(
            f"the passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters (three or four random words are good)"
        )
    parameters = dict(parameters or ARGON2_PARAMETERS)
    salt = os.urandom(16)
    header = {"kind": "passphrase", "salt": _b64(salt), **parameters}
    return _argon2(passphrase, salt, parameters), header


def _argon2(passphrase: str, salt: bytes, parameters: dict) -> bytes:
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=int(parameters["iterations"]),
        lanes=int(parameters["lanes"]),
        memory_cost=int(parameters["memory_cost"]),
    ).derive(passphrase.encode("utf-8"))


def needs(header: dict) -> str:
    """What opens this backup: ``"x25519"`` (the backup private key) or ``"passphrase"``."""
    return header.get("kind", "")


def file_key_from_private(header: dict, private_key: BackupPrivateKey) -> bytes:
    if header.get("kind") != "x25519":
        raise WrongBackupKey("this backup was made with a passphrase, not a backup key")
    public_key = private_key.public_key()
    if public_key.fingerprint != header.get("recipient"):
        raise WrongBackupKey(
            f"this backup was made for backup key {header.get('recipient')}, and the key given is "
            f"{public_key.fingerprint}: use the private key that belongs to the first"
        )
    ephemeral_public = _unb64(header.get("ephemeral"))
    try:
        shared = X25519PrivateKey.from_private_bytes(private_key.raw).exchange(
            X25519PublicKey.from_public_bytes(ephemeral_public)
        )
    except ValueError as exc:
        raise DamagedBackup("the backup's header was altered") from exc
    return _hkdf(shared, ephemeral_public + public_key.raw)


def file_key_from_passphrase(header: dict, passphrase: str) -> bytes:
    if header.get("kind") != "passphrase":
        raise WrongBackupKey("this backup was made for a backup key, not a passphrase")
    try:
        parameters = {name: int(header[name]) for name in ARGON2_PARAMETERS}
    except (KeyError, TypeError, ValueError) as exc:
        raise NotABackup("the backup's header is not readable") from exc
    if not (8 <= parameters["memory_cost"] <= 4 * 1024 * 1024 and 1 <= parameters["iterations"] <= 64 and 1 <= parameters["lanes"] <= 64):
        raise DamagedBackup("the backup's header asks for impossible passphrase settings: it was altered")
    return _argon2(passphrase, _unb64(header.get("salt")), parameters)


# -- the chunked stream --------------------------------------------------------------
def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealingWriter:
    """A writable file object: what is written to it goes to ``target`` encrypted. ``close``
    writes the last chunk; a file without it is refused as incomplete."""

    def __init__(self, target: BinaryIO, file_key: bytes, header: dict):
        header = {**header, "check": _key_check(file_key), "chunk": CHUNK_BYTES}
        header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
        preamble = MAGIC + bytes([FORMAT_VERSION]) + struct.pack(">H", len(header_bytes)) + header_bytes
        target.write(preamble)
        self._target = target
        self._cipher = AESGCM(file_key)
        self._associated = hashlib.sha256(preamble).digest()
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        self.written = len(preamble)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, plaintext: bytes, last: bool) -> None:
        sealed = self._cipher.encrypt(_nonce(self._counter, last), plaintext, self._associated)
        self._target.write(struct.pack(">I", len(sealed)) + sealed)
        self.written += 4 + len(sealed)
        self._counter += 1

    def flush(self) -> None:
        self._target.flush()

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True
            self._target.flush()


def read_header(source: BinaryIO) -> tuple[dict, bytes]:
    """The header of the backup ``source`` is positioned at, and the bytes it covers."""
    magic = source.read(len(MAGIC))
    if magic != MAGIC:
        raise NotABackup("this file is not a backup made by 'flask backup create'")
    rest = source.read(3)
    if len(rest) < 3:
        raise DamagedBackup("the backup is incomplete: it was cut off")
    if rest[0] != FORMAT_VERSION:
        raise NotABackup(f"this backup has format version {rest[0]}, which this version of the site cannot read")
    (length,) = struct.unpack(">H", rest[1:])
    header_bytes = source.read(length)
    if len(header_bytes) < length:
        raise DamagedBackup("the backup is incomplete: it was cut off")
    try:
        header = json.loads(header_bytes)
        if not isinstance(header, dict):
            raise ValueError
    except ValueError as exc:
        raise DamagedBackup("the backup's header was altered") from exc
    return header, magic + rest + header_bytes


class OpeningReader:
    """A readable file object over a backup's chunks, after ``read_header``. Every chunk is
    checked as it is read; the end of the stream is only reached through the last chunk."""

    def __init__(self, source: BinaryIO, file_key: bytes, header: dict, preamble: bytes):
        if not hmac.compare_digest(str(header.get("check", "")), _key_check(file_key)):
            raise WrongBackupKey("that is not the key or passphrase this backup was made with")
        self._source = source
        self._cipher = AESGCM(file_key)
        self._associated = hashlib.sha256(preamble).digest()
        self._limit = int(header.get("chunk", CHUNK_BYTES)) + TAG_BYTES
        self._counter = 0
        self._buffer = b""
        self._position = 0  # how much of the buffer has been read
        self._ended = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        length_bytes = self._source.read(4)
        if len(length_bytes) < 4:
            raise DamagedBackup("the backup is incomplete: it was cut off before its end")
        (length,) = struct.unpack(">I", length_bytes)
        if not TAG_BYTES <= length <= self._limit:
            raise DamagedBackup("the backup was altered or damaged")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise DamagedBackup("the backup is incomplete: it was cut off before its end")
        for last in (False, True):
            try:
                plaintext = self._cipher.decrypt(_nonce(self._counter, last), sealed, self._associated)
            except InvalidTag:
                continue
            self._counter += 1
            self._buffer = self._buffer[self._position :] + plaintext
            self._position = 0
            if last:
                self._ended = True
                if self._source.read(1):
                    raise DamagedBackup("the backup was altered: something was added after its end")
            return
        raise DamagedBackup("the backup was altered or damaged: part of it does not open")

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._buffer) - self._position < size):
            self._next_chunk()
        end = len(self._buffer) if size < 0 else min(len(self._buffer), self._position + size)
        data = self._buffer[self._position : end]
        self._position = end
        return data

    def read_to_end(self) -> None:
        """Read (and so check) everything left, discarding it."""
        while not self._ended:
            self._buffer, self._position = b"", 0
            self._next_chunk()
