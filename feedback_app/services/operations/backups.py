"""Backups: one file holding a consistent copy of the database and the keyring that opens
it, encrypted to a backup key kept off the server (``backup_crypto``), and the way back.

Inside the encryption the file is a tar archive of three members, in this order:
``manifest.json`` (format, when, which database engine and schema revision, rows per table,
the database copy's size and SHA-256), ``keyring.json`` and ``database.pgdump`` or
``database.sqlite3``. The keyring is only ever held in memory while a backup is read; the
database copy is written to a private temporary directory (its sealed values stay sealed).

* ``create`` writes a backup; an existing file is only replaced with ``force``.
* ``restore`` reads the whole backup first (so a damaged one changes nothing), then loads it
  into a database that holds no rows and writes the keyring file where none is, refusing to
  replace either without ``force`` (a replaced key file is kept beside it, renamed).
* ``verify`` restores into a scratch database and opens every sealed value.

Each long step is reported through ``Steps`` (the command line shows progress bars).
Creating and restoring are audited with counts only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ...backup_crypto import (
    BackupError,
    BackupPrivateKey,
    BackupPublicKey,
    DamagedBackup,
    NotABackup,
    OpeningReader,
    SealingWriter,
    WrongBackupKey,
    file_key_for_passphrase,
    file_key_for_recipient,
    file_key_from_passphrase,
    file_key_from_private,
    needs,
    read_header,
)
from ...crypto import Keyring, KeyringError
from ...models import AuditEvent
from ..responses.key_rotation import SealedCheck, check_sealed_values, sealed_value_count
from . import database_copy
from .database_copy import DatabaseCopyError

MANIFEST = "manifest.json"
KEYRING = "keyring.json"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
FORMAT = 1
ACTOR = "command line"
_READ_BYTES = 1024 * 1024

__all__ = ["BackupError", "DamagedBackup", "NotABackup", "WrongBackupKey", "DatabaseCopyError"]


class Steps(Protocol):
    """Shows progress: ``with steps.step("Copying", total) as advance: advance(n)``."""

    def step(self, label: str, total: int | None = None) -> AbstractContextManager[Callable[[int], None]]: ...


class NoSteps:
    """Shows nothing; remembers which steps were taken."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        self.labels.append(label)
        yield lambda amount: None


@dataclass(frozen=True)
class Secret:
    """What opens a backup: its private backup key, or its passphrase."""

    private_key: BackupPrivateKey | None = None
    passphrase: str | None = None


@dataclass(frozen=True)
class Manifest:
    created: str
    engine: str
    revision: str | None
    counts: dict[str, int]
    database_bytes: int
    database_sha256: str
    keyring_primary: str
    format: int = FORMAT

    @property
    def responses(self) -> int:
        return self.counts.get("responses", 0)

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise NotABackup(f"this backup's contents have format {data.get('format')}, which this version cannot read")
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise DamagedBackup("the backup's list of contents is not readable") from exc


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    check: SealedCheck
    replaced_keyring: Path | None = None


@dataclass(frozen=True)
class Verified:
    manifest: Manifest
    check: SealedCheck
    counts: dict[str, int] = field(default_factory=dict)


# -- what opens a backup ----------------------------------------------------------
def what_opens(path: Path) -> tuple[str, str | None]:
    """``("x25519", fingerprint)`` or ``("passphrase", None)``: what to ask the operator for."""
    with _open_file(path) as source:
        header, _ = read_header(source)
    kind = needs(header)
    if kind not in ("x25519", "passphrase"):
        raise NotABackup("the backup's header names no way to open it")
    return kind, header.get("recipient")


@contextmanager
def _open_file(path: Path) -> Iterator[BinaryIO]:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        yield handle


# -- create -----------------------------------------------------------------------
def create(
    destination: Path,
    *,
    database_url: str,
    keyring: Keyring,
    public_key: BackupPublicKey | None = None,
    passphrase: str | None = None,
    force: bool = False,
    steps: Steps | None = None,
) -> Manifest:
    """Write a backup of the database at ``database_url`` and ``keyring`` to ``destination``,
    encrypted to ``public_key`` or, without one, to ``passphrase``."""
    steps = steps or NoSteps()
    destination = Path(destination)
    if destination.exists() and not force:
        raise BackupError(f"{destination} exists already; choose another name, or add --force to replace it")
    if public_key is not None:
        file_key, header = file_key_for_recipient(public_key)
    elif passphrase is not None:
        file_key, header = file_key_for_passphrase(passphrase)
    else:
        raise BackupError("a backup needs a backup public key or a passphrase")
    engine = database_copy.engine_name(database_url)
    with tempfile.TemporaryDirectory(prefix="feedback-backup-") as workdir:
        copy_file = Path(workdir) / DATABASE_MEMBERS[engine]
        with steps.step("Copying the database"):
            copy = database_copy.copy_database(database_url, copy_file)
        size = copy_file.stat().st_size
        with steps.step("Checking the copy", size) as advance:
            digest = _sha256(copy_file, advance)
        manifest = Manifest(
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            engine=copy.engine,
            revision=copy.revision,
            counts=copy.counts,
            database_bytes=size,
            database_sha256=digest,
            keyring_primary=keyring.primary,
        )
        partial = destination.with_name(destination.name + ".partial")
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as target, steps.step("Encrypting the backup", size) as advance:
                sealer = SealingWriter(target, file_key, header)
                with tarfile.open(fileobj=sealer, mode="w|", format=tarfile.PAX_FORMAT) as archive:
                    _add(archive, MANIFEST, io.BytesIO(manifest.to_json()))
                    _add(archive, KEYRING, io.BytesIO(keyring.to_json().encode("utf-8")))
                    with open(copy_file, "rb") as database:
                        _add(archive, copy_file.name, _Counting(database, advance), size)
                sealer.close()
                os.fsync(target.fileno())
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    kind = f"backup key {public_key.fingerprint}" if public_key else "a passphrase"
    _audit(database_url, "backup_created", f"{manifest.responses} responses, encrypted to {kind}")
    return manifest


def _add(archive: tarfile.TarFile, name: str, data: BinaryIO, size: int | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size = size if size is not None else len(data.getvalue())  # type: ignore[attr-defined]
    info.mode = 0o600
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    archive.addfile(info, data)


class _Counting:
    """A file object that reports how much has been read from it."""

    def __init__(self, inner: BinaryIO, advance: Callable[[int], None]):
        self._inner, self._advance = inner, advance

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        self._advance(len(data))
        return data


def _sha256(path: Path, advance: Callable[[int], None]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_READ_BYTES):
            digest.update(block)
            advance(len(block))
    return digest.hexdigest()


# -- reading a backup -----------------------------------------------------------------
@dataclass(frozen=True)
class _Opened:
    manifest: Manifest
    keyring: Keyring
    database_file: Path


def _file_key(header: dict, secret: Secret) -> bytes:
    if needs(header) == "x25519":
        if secret.private_key is None:
            raise WrongBackupKey("this backup was made for a backup key: give its private key, not a passphrase")
        return file_key_from_private(header, secret.private_key)
    if secret.passphrase is None:
        raise WrongBackupKey("this backup was made with a passphrase: give it, not a backup key")
    return file_key_from_passphrase(header, secret.passphrase)


def _read_backup(path: Path, secret: Secret, workdir: Path, steps: Steps) -> _Opened:
    """Decrypt the whole backup, checking every part, into ``workdir`` (the database copy)
    and memory (the manifest and the keyring)."""
    with _open_file(path) as source:
        header, preamble = read_header(source)
        file_key = _file_key(header, secret)
        total = max(path.stat().st_size - len(preamble), 0)
        with steps.step("Decrypting the backup", total) as advance:
            # Progress counts the file's bytes as they are read, so it ends at the file's size.
            reader = OpeningReader(_Counting(source, advance), file_key, header, preamble)
            try:
                archive = tarfile.open(fileobj=reader, mode="r|")
                members = iter(archive)
                manifest = Manifest.from_json(_member(archive, members, MANIFEST).read())
                try:
                    keyring = Keyring.from_json(_member(archive, members, KEYRING).read().decode("utf-8"))
                except (KeyringError, UnicodeDecodeError) as exc:
                    raise DamagedBackup("the keyring in the backup is not readable") from exc
                member_name = DATABASE_MEMBERS.get(manifest.engine)
                if member_name is None:
                    raise DamagedBackup("the backup names an unknown database engine")
                database_file = workdir / member_name
                digest = hashlib.sha256()
                with open(database_file, "wb") as out:
                    content = _member(archive, members, member_name)
                    while block := content.read(_READ_BYTES):
                        digest.update(block)
                        out.write(block)
                if next(members, None) is not None:
                    raise DamagedBackup("the backup holds more than it should")
                archive.close()
                reader.read_to_end()
            except tarfile.TarError as exc:
                raise DamagedBackup("the backup's contents are not readable") from exc
    if digest.hexdigest() != manifest.database_sha256:
        raise DamagedBackup("the database copy in the backup does not match its checksum")
    return _Opened(manifest, keyring, database_file)


def _member(archive: tarfile.TarFile, members: Iterator[tarfile.TarInfo], name: str) -> BinaryIO:
    member = next(members, None)
    if member is None or member.name != name or not member.isfile():
        raise DamagedBackup(f"the backup should hold {name} here")
    content = archive.extractfile(member)
    assert content is not None
    return content


# -- restore and verify -----------------------------------------------------------------
def restore(
    source: Path,
    *,
    secret: Secret,
    database_url: str,
    keyring_file: Path,
    force: bool = False,
    steps: Steps | None = None,
    workdir: Path | None = None,
) -> Restored:
    """Restore the backup at ``source`` into the database at ``database_url`` and write its
    keyring to ``keyring_file``. Without ``force``, refuses if the database holds any rows or
    a different keyring is in that file; with it, the old key file is kept, renamed."""
    steps = steps or NoSteps()
    with tempfile.TemporaryDirectory(prefix="feedback-restore-", dir=workdir) as work:
        opened = _read_backup(Path(source), secret, Path(work), steps)
        target_engine = database_copy.engine_name(database_url)
        if target_engine != opened.manifest.engine:
            raise BackupError(
                f"this backup holds a {opened.manifest.engine} database and the target is {target_engine}: "
                f"restore it into {opened.manifest.engine}"
            )
        held = {table: rows for table, rows in database_copy.holdings(database_url).items() if rows}
        keyring_file = Path(keyring_file)
        existing_keyring = _existing_keyring(keyring_file)
        keyring_differs = existing_keyring is not None and existing_keyring != opened.keyring.to_json()
        if not force:
            refusals = []
            if held:
                refusals.append(f"the database holds {sum(held.values())} rows in {len(held)} tables")
            if keyring_differs:
                refusals.append(f"{keyring_file} holds a different keyring")
            if refusals:
                raise BackupError(
                    "Nothing was changed: " + " and ".join(refusals) + ". Restore into an empty database and a new "
                    "key file, or add --force to replace them (a replaced key file is kept, renamed)."
                )
        with steps.step("Loading the database"):
            database_copy.load_copy(opened.database_file, opened.manifest.engine, database_url)
        replaced = None
        if keyring_differs:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            replaced = keyring_file.with_name(f"{keyring_file.name}.before-restore-{stamp}")
            os.replace(keyring_file, replaced)
        if existing_keyring is None or keyring_differs:
            opened.keyring.write_file(keyring_file)
        check = _check(database_url, opened.keyring, steps)
    _audit(
        database_url,
        "backup_restored",
        f"{opened.manifest.responses} responses from a backup made {opened.manifest.created}; "
        f"{len(check.unreadable)} sealed values did not open",
    )
    return Restored(opened.manifest, check, replaced)


def verify(
    source: Path,
    *,
    secret: Secret,
    scratch_server: str | None = None,
    steps: Steps | None = None,
    workdir: Path | None = None,
) -> Verified:
    """Open the backup at ``source``, restore it into a scratch database (a file for SQLite,
    a temporary database on ``scratch_server`` for PostgreSQL), compare its rows with the
    manifest and open every sealed value with its keyring."""
    steps = steps or NoSteps()
    with tempfile.TemporaryDirectory(prefix="feedback-verify-", dir=workdir) as work:
        opened = _read_backup(Path(source), secret, Path(work), steps)
        with database_copy.scratch_database(opened.manifest.engine, scratch_server, Path(work)) as scratch:
            with steps.step("Restoring into a scratch database"):
                database_copy.load_copy(opened.database_file, opened.manifest.engine, scratch)
            counts = database_copy.holdings(scratch)
            expected = {table: rows for table, rows in opened.manifest.counts.items()}
            found = {table: counts.get(table, 0) for table in expected}
            if found != expected:
                differ = ", ".join(f"{t} {found[t]} (expected {expected[t]})" for t in expected if found[t] != expected[t])
                raise DamagedBackup(f"the restored copy does not hold what was backed up: {differ}")
            check = _check(scratch, opened.keyring, steps)
    return Verified(opened.manifest, check, found)


def _existing_keyring(path: Path) -> str | None:
    """The keyring in ``path`` in the form backups hold it, or None when there is no file."""
    if not path.exists():
        return None
    try:
        return Keyring.from_file(path).to_json()
    except KeyringError:
        return path.read_text(encoding="utf-8", errors="replace")


def _check(database_url: str, keyring: Keyring, steps: Steps) -> SealedCheck:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            with steps.step("Opening every sealed value", sealed_value_count(session)) as advance:
                last = [0]

                def progress(done: int, total: int) -> None:
                    advance(done - last[0])
                    last[0] = done

                return check_sealed_values(session, keyring, progress)
    finally:
        engine.dispose()


def _audit(database_url: str, action: str, detail: str) -> None:
    """Add an audit event to the database at ``database_url`` (no application needed)."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            session.add(AuditEvent(actor=ACTOR, action=action, detail=detail[:200]))
    finally:
        engine.dispose()

