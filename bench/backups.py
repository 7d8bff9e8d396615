"""How long encrypted backups take, and how big they are, on SQLite and PostgreSQL.

Run from the project root::

    .venv/bin/python -m bench.backups [--responses 10000,100000] [--databases sqlite,postgresql]
                                      [--rounds R] [--large-rounds R] [--large-from N]
                                      [--passphrase-restores]

For each database (a throwaway SQLite file; a throwaway PostgreSQL database, see
``bench.common.throwaway_database``) the site grows to each size in turn (10k, then 100k by
default: each step adds the difference) and is measured at each size.

Setup (not measured, its time is printed), as ``bench.aggregates`` fills large databases: a
pool of answer sets from ``demo_data.random_answers`` (all three surveys, en/pl/lt free
text); every row takes one and is sealed for real by ``build_response`` with its own id
(payload and facts), then bulk-inserted (SQLite: executemany; PostgreSQL: ``COPY``). The
databases share one keyring, so each row is built once. Every 20th response with a
comment also gets a theme coding, a sealed gloss and a sealed quote of that comment (the
demo codebook's themes), so every kind of sealed value is in the backup.

Measured at each size (median of rounds; within a round the order of the operations
rotates):

1. ``backups.create`` to an X25519 backup public key and to a passphrase (the default
   argon2id settings), seconds and MB/s (of the database copy it holds), against the
   reference: ``database_copy.copy_database`` alone (``pg_dump --format=custom`` inside an
   exported snapshot / SQLite's online backup API, to a file), measured in the same round.
   The encryption overhead is ``create / copy - 1``. ``create``'s own steps are timed
   through its ``Steps`` protocol (copying, checking the copy's SHA-256, encrypting:
   tar + AES-256-GCM in 1 MiB chunks + fsync); "other" is the rest (file key, manifest,
   audit event). Because pg_dump's time varies from run to run by more than the backup
   adds, the table also shows create minus its own copying step, against the copy.
2. Sizes: the backup file against the plain copy it holds, and where every extra byte goes:
   the preamble (magic, version, header JSON), the chunks' framing (4-byte length + 16-byte
   GCM tag each), the tar archive's headers, padding and end blocks, and the manifest and
   keyring. "unexplained" is what is left (it should be 0).
3. ``backups.restore`` into a new, empty database (and a new key file) and
   ``backups.verify`` (into its own scratch database, created and dropped inside the timed
   call) of the X25519 backup (with ``--passphrase-restores`` also of the passphrase
   backup; they differ by one argon2id derivation, timed in 4), split by their steps:
   decrypting (AES-GCM, tar, SHA-256, writing the copy to a temporary file), loading
   (``pg_restore --single-transaction`` / a file copy), opening every sealed value with the
   keyring in the backup; "other" is the rest (file key, which for a passphrase is argon2id,
   row counts, the key file, the audit event; for verify, the scratch database). The
   reference is ``database_copy.load_copy`` of the plain copy into a new, empty database.
4. The fixed costs on their own: the argon2id key derivation (once per backup made or
   opened with a passphrase), X25519 + HKDF, and the in-memory speed of the chunked AES-GCM
   writer and reader and of SHA-256 over 64 MiB.

Nothing is asserted: the script prints tables. Every database and file made is removed
afterwards, also on error. With the defaults both databases take about four minutes on a
quiet 2-core machine, most of it at 100k responses: opening every sealed value in restore
and verify, and pg_dump (which compresses the sealed values' hex text with zlib).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import io
import random
import resource
import struct
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bench.aggregates import WEEKS, PoolItem, analyse, build_pool, dispose_app_engines, insert_rows, progress
from bench.common import (
    dispose_engines,
    fmt_pct,
    heading,
    make_app,
    median,
    migrate_schema,
    postgres_server_url,
    print_table,
    print_versions,
    throwaway_database,
)

PASSPHRASE = "correct horse battery staple"  # >= 12 characters, as create requires
BATCH = 10_000  # rows built and inserted at a time during setup
EXTRAS_EVERY = 20  # every 20th response with a comment gets a coding, a gloss and a quote
MB = 1000 * 1000  # MB/s in decimal megabytes, as disks and networks are quoted
MIB = 1024 * 1024
SECRETS = ("x25519", "passphrase")
SECRET_LABELS = {"x25519": "X25519 key", "passphrase": "passphrase"}
CREATE_STEPS = ("Copying the database", "Checking the copy", "Encrypting the backup")
DECRYPT = "Decrypting the backup"
OPEN_ALL = "Opening every sealed value"
LOAD_STEPS = {"restore": "Loading the database", "verify": "Restoring into a scratch database"}



# -- a Steps recorder ---------------------------------------------------------------------------
class StepTimer:
    """A ``backups.Steps`` that times each step by its label (progress reports are ignored)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        started = time.perf_counter()
        try:
            yield lambda amount: None
        finally:
            self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started


@dataclass
class Timed:
    """One timed call: its seconds and the seconds of each of its steps."""

    seconds: float
    steps: dict[str, float] = field(default_factory=dict)

    def step(self, label: str) -> float:
        return self.steps.get(label, 0.0)

    @property
    def other(self) -> float:
        return self.seconds - sum(self.steps.values())


def timed(fn: Callable[[StepTimer], object]) -> tuple[Timed, object]:
    gc.collect()
    steps = StepTimer()
    started = time.perf_counter()
    result = fn(steps)
    return Timed(time.perf_counter() - started, dict(steps.seconds)), result


# -- setup: growing the site ------------------------------------------------------------------------
def sqlite_datetime(row: tuple) -> tuple:
    """Datetimes as SQLAlchemy writes them to SQLite (naive UTC text); the rest unchanged."""
    return tuple(
        value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        if type(value) is datetime
        else value
        for value in row
    )


@dataclass
class Target:
    """One database under test, with its application (all share one keyring)."""

    label: str
    kind: str
    url: str
    app: object
    insert_seconds: float = 0.0


@dataclass
class Filler:
    """Grows every database to a number of responses, plus codings, glosses and quotes."""

    pool: list[PoolItem]
    comments: list[tuple[str, ...]]  # per pool item: its comment fields (answer names)
    themes: list[int]
    keyring: object
    seed: int
    count: int = 0
    extras: int = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed + 1)

    def grow_to(self, size: int, targets: list[Target]) -> float:
        """Add sealed rows to every database until each holds ``size`` responses; returns the
        seconds spent building them, and adds each database's insert + ANALYZE seconds to
        its ``insert_seconds``."""
        from feedback_app.extensions import db
        from feedback_app.models import CommentCoding, CommentGloss, Quote, Response, gloss_place, quote_place
        from feedback_app.services.responses.submissions import build_response

        def columns(table, skip: tuple[str, ...] = ()) -> list[str]:
            return [column.key for column in table.columns if column.key not in skip]

        tables = [
            (Response.__table__, columns(Response.__table__)),
            (CommentCoding.__table__, columns(CommentCoding.__table__, ("id",))),
            (CommentGloss.__table__, columns(CommentGloss.__table__, ("id",))),
            (Quote.__table__, columns(Quote.__table__)),
        ]
        building = 0.0
        now = datetime.now(timezone.utc)
        keyring = self.keyring
        with contextlib.ExitStack() as stack:
            connections = []
            for target in targets:
                with target.app.app_context():
                    db.session.remove()
                    connection = stack.enter_context(db.engine.connect())
                    connection.begin()
                    connections.append(connection)
            while self.count < size:
                started = time.perf_counter()
                batch = min(BATCH, size - self.count)
                rows: tuple[list, list, list, list] = ([], [], [], [])
                responses, codings, glosses, quotes = rows
                with targets[0].app.app_context():
                    for _ in range(batch):
                        index = self.rng.randrange(len(self.pool))
                        item = self.pool[index]
                        response_id = uuid.uuid4()
                        response = build_response(
                            survey_slug=item.slug, survey_version=item.version, language=item.language,
                            collection_mode=item.mode, organisation=item.organisation, answers=item.answers,
                            submitted_on=self.rng.choice(WEEKS), response_id=response_id,
                        )
                        responses.append(tuple(getattr(response, key) for key in tables[0][1]))
                        self.count += 1
                        if self.comments[index] and self.count % EXTRAS_EVERY == 0:
                            field_name = self.rng.choice(self.comments[index])
                            words = str(item.answers[field_name])
                            values = {
                                "response_id": response_id, "field": field_name, "theme_id": self.rng.choice(self.themes),
                                "source": "manual", "coded_by": None, "coded_at": now,
                            }
                            codings.append(tuple(values[key] for key in tables[1][1]))
                            values = {
                                "response_id": response_id, "field": field_name, "key_id": keyring.primary,
                                "gloss": keyring.seal(f"In English: {words}".encode(), gloss_place(response_id, field_name)),
                                "updated_at": now,
                            }
                            glosses.append(tuple(values[key] for key in tables[2][1]))
                            quote_id = uuid.uuid4()
                            values = {
                                "id": quote_id, "response_id": response_id, "field": field_name, "status": "proposed",
                                "key_id": keyring.primary, "text": keyring.seal(words.encode(), quote_place(quote_id)),
                                "proposed_by": None, "proposed_at": now, "approved_by": None, "approved_at": None,
                            }
                            quotes.append(tuple(values[key] for key in tables[3][1]))
                            self.extras += 1
                building += time.perf_counter() - started
                for target, connection in zip(targets, connections):
                    started = time.perf_counter()
                    for (table, names), table_rows in zip(tables, rows):
                        if target.kind == "sqlite":
                            table_rows = [sqlite_datetime(row) for row in table_rows]
                        insert_rows(connection, table, names, table_rows)
                    target.insert_seconds += time.perf_counter() - started
            for target, connection in zip(targets, connections):
                started = time.perf_counter()
                connection.commit()
                target.insert_seconds += time.perf_counter() - started
        for target in targets:
            started = time.perf_counter()
            with target.app.app_context():
                analyse(tables=None)
            target.insert_seconds += time.perf_counter() - started
        return building



def comment_fields(pool: list[PoolItem]) -> list[tuple[str, ...]]:
    """Each pool item's comment fields that hold text (call inside an app context)."""
    from feedback_app.services.insight.catalogue import catalogue

    found = catalogue()
    return [
        tuple(name for name, value in item.answers.items()
              if isinstance(value, str) and value.strip() and found.field(item.slug, name) is not None)
        for item in pool
    ]


def database_facts(target: Target) -> tuple[int, int]:
    """The database's size on disk (bytes) and how many sealed values it holds."""
    from feedback_app.extensions import db
    from feedback_app.services.responses.key_rotation import sealed_value_count

    with target.app.app_context():
        db.session.remove()
        sealed = sealed_value_count(db.session)
        if target.kind == "postgresql":
            on_disk = db.session.scalar(select(func.pg_database_size(func.current_database())))
        else:
            on_disk = Path(make_url(target.url).database).stat().st_size
        db.session.remove()
    return int(on_disk), int(sealed)


# -- what a backup file is made of --------------------------------------------------------------------
@dataclass(frozen=True)
class Anatomy:
    """Where the bytes of a backup file go (read from the file's framing; nothing is decrypted)."""

    file_bytes: int
    preamble: int
    chunks: int
    plaintext: int  # the tar stream inside

    @property
    def framing(self) -> int:
        return self.file_bytes - self.preamble - self.plaintext


def anatomy(path: Path) -> Anatomy:
    from feedback_app.backup_crypto import TAG_BYTES, read_header

    with open(path, "rb") as source:
        _, preamble = read_header(source)
        chunks = plaintext = 0
        while length_bytes := source.read(4):
            (length,) = struct.unpack(">I", length_bytes)
            source.seek(length, io.SEEK_CUR)
            chunks += 1
            plaintext += length - TAG_BYTES
    return Anatomy(path.stat().st_size, len(preamble), chunks, plaintext)


def tar_overhead(member_sizes: list[int]) -> int:
    """The bytes a streamed tar archive (``tarfile``, ``mode="w|"``) adds around its members:
    a 512-byte header each, each member padded to 512 bytes, two zero blocks at the end,
    the whole padded to a 10240-byte record."""
    import tarfile

    body = sum(tarfile.BLOCKSIZE + -(-size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE for size in member_sizes)
    body += 2 * tarfile.BLOCKSIZE
    total = -(-body // tarfile.RECORDSIZE) * tarfile.RECORDSIZE
    return total - sum(member_sizes)


# -- measuring ---------------------------------------------------------------------------------------
@dataclass
class SizeResult:
    database: str
    size: int
    rounds: int
    build_seconds: float
    insert_seconds: float
    on_disk: int
    sealed_values: int
    extras: int
    copy: list[float] = field(default_factory=list)
    copy_bytes: list[int] = field(default_factory=list)
    create: dict[str, list[Timed]] = field(default_factory=lambda: {s: [] for s in SECRETS})
    load: list[float] = field(default_factory=list)
    restore: dict[str, list[Timed]] = field(default_factory=lambda: {s: [] for s in SECRETS})
    verify: dict[str, list[Timed]] = field(default_factory=lambda: {s: [] for s in SECRETS})
    # From the last round: the backup file's anatomy, the copy inside, manifest and keyring bytes.
    anatomy: dict[str, Anatomy] = field(default_factory=dict)
    inner_copy: dict[str, int] = field(default_factory=dict)
    inner_small: dict[str, tuple[int, int]] = field(default_factory=dict)
    fewest_opened: int | None = None  # the fewest sealed values any restore or verify opened
    unreadable: int = 0

    def database_bytes(self) -> int:
        return median(self.copy_bytes)


def measure_size(
    target: Target, keyring, size: int, rounds: int, build_seconds: float, extras: int, opened_secrets: tuple[str, ...]
) -> SizeResult:
    from feedback_app.backup_crypto import BackupPrivateKey
    from feedback_app.services.operations import backups, database_copy

    on_disk, sealed_values = database_facts(target)
    result = SizeResult(target.label, size, rounds, build_seconds, target.insert_seconds, on_disk, sealed_values, extras)
    private_key = BackupPrivateKey.generate()
    secrets_for = {"x25519": backups.Secret(private_key=private_key), "passphrase": backups.Secret(passphrase=PASSPHRASE)}
    scratch_server = None
    if target.kind == "postgresql":
        scratch_server = postgres_server_url().replace("postgresql://", "postgresql+psycopg://", 1)
    engine = target.kind
    with target.app.app_context():
        dispose_engines()  # nothing pooled while the database is copied, loaded and dropped

    def fresh_target() -> contextlib.AbstractContextManager:
        return throwaway_database(engine, prefix="feedback_bench_restore")

    for round_number in range(rounds):
        with tempfile.TemporaryDirectory(prefix="feedback_bench_backups-") as directory:
            work = Path(directory)
            copy_file = work / "plain.copy"
            backup_files = {secret: work / f"{secret}.fbk" for secret in SECRETS}

            def make_copy() -> None:
                measured, _ = timed(lambda steps: database_copy.copy_database(target.url, copy_file))
                result.copy.append(measured.seconds)
                result.copy_bytes.append(copy_file.stat().st_size)

            def make_backup(secret: str) -> Callable[[], None]:
                def run() -> None:
                    backup_files[secret].unlink(missing_ok=True)
                    measured, manifest = timed(
                        lambda steps: backups.create(
                            backup_files[secret], database_url=target.url, keyring=keyring,
                            public_key=private_key.public_key() if secret == "x25519" else None,
                            passphrase=PASSPHRASE if secret == "passphrase" else None, steps=steps,
                        )
                    )
                    result.create[secret].append(measured)
                    result.anatomy[secret] = anatomy(backup_files[secret])
                    result.inner_copy[secret] = manifest.database_bytes
                    result.inner_small[secret] = (len(manifest.to_json()), len(keyring.to_json().encode("utf-8")))
                return run

            operations = [("plain copy", make_copy)] + [(f"create, {s}", make_backup(s)) for s in SECRETS]
            for name, run in rotated(operations, round_number):
                progress(f"    {target.label}, {size:,}: {name} ...")
                run()

            def load_reference() -> None:
                with fresh_target() as fresh:
                    measured, _ = timed(lambda steps: database_copy.load_copy(copy_file, engine, fresh.url))
                result.load.append(measured.seconds)

            def restore(secret: str) -> Callable[[], None]:
                def run() -> None:
                    keyring_file = work / f"restored-keyring-{secret}.json"
                    keyring_file.unlink(missing_ok=True)
                    with fresh_target() as fresh:
                        measured, restored = timed(
                            lambda steps: backups.restore(
                                backup_files[secret], secret=secrets_for[secret], database_url=fresh.url,
                                keyring_file=keyring_file, steps=steps, workdir=work,
                            )
                        )
                    result.restore[secret].append(measured)
                    note_check(result, restored.check)
                return run

            def verify(secret: str) -> Callable[[], None]:
                def run() -> None:
                    measured, verified = timed(
                        lambda steps: backups.verify(
                            backup_files[secret], secret=secrets_for[secret], scratch_server=scratch_server,
                            steps=steps, workdir=work,
                        )
                    )
                    result.verify[secret].append(measured)
                    note_check(result, verified.check)
                return run

            operations = [("load_copy (reference)", load_reference)]
            operations += [(f"restore, {s}", restore(s)) for s in opened_secrets]
            operations += [(f"verify, {s}", verify(s)) for s in opened_secrets]
            for name, run in rotated(operations, round_number):
                progress(f"    {target.label}, {size:,}: {name} ...")
                run()
        progress(
            f"  {target.label}, {size:,}: round {round_number + 1}/{rounds}: copy {result.copy[-1]:.2f}s, "
            + ", ".join(f"create {s} {result.create[s][-1].seconds:.2f}s" for s in SECRETS)
            + f", load {result.load[-1]:.2f}s, "
            + ", ".join(f"restore {s} {result.restore[s][-1].seconds:.2f}s" for s in opened_secrets)
        )
    return result


def note_check(result: SizeResult, check) -> None:
    result.unreadable += len(check.unreadable)
    result.fewest_opened = check.opened if result.fewest_opened is None else min(result.fewest_opened, check.opened)


def rotated(items: list, shift: int) -> list:
    shift %= len(items)
    return items[shift:] + items[:shift]


# -- the fixed costs, on their own ---------------------------------------------------------------------
@dataclass
class FixedCosts:
    argon2: list[float]
    x25519: list[float]
    seal_mb_s: float
    open_mb_s: float
    sha256_mb_s: float
    sample_bytes: int


class _Sink:
    """Where the in-memory SealingWriter writes: keeps the pieces, copies nothing."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.pieces.append(data)
        return len(data)

    def flush(self) -> None:
        pass


def measure_fixed_costs(argon2_rounds: int) -> FixedCosts:
    from feedback_app.backup_crypto import (
        BackupPrivateKey,
        OpeningReader,
        SealingWriter,
        file_key_for_passphrase,
        file_key_for_recipient,
        file_key_from_passphrase,
        read_header,
    )

    argon2 = []
    for i in range(argon2_rounds):
        gc.collect()
        started = time.perf_counter()
        key, header = file_key_for_passphrase(PASSPHRASE)
        argon2.append(time.perf_counter() - started)
        if i == 0:  # the way back costs the same; checked once
            assert file_key_from_passphrase(header, PASSPHRASE) == key
    public_key = BackupPrivateKey.generate().public_key()
    x25519 = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(200):
            file_key_for_recipient(public_key)
        x25519.append((time.perf_counter() - started) / 200)

    sample = random.Random(1).randbytes(64 * MIB)
    file_key, header = file_key_for_recipient(public_key)
    seal_s, open_s, sha_s = [], [], []
    for _ in range(3):
        sink = _Sink()
        gc.collect()
        started = time.perf_counter()
        writer = SealingWriter(sink, file_key, header)
        view = memoryview(sample)
        for offset in range(0, len(sample), 10240):  # tarfile writes its stream in 10 KiB records
            writer.write(view[offset : offset + 10240])
        writer.close()
        seal_s.append(time.perf_counter() - started)
        sealed = io.BytesIO(b"".join(sink.pieces))
        del sink
        started = time.perf_counter()
        got_header, preamble = read_header(sealed)
        reader = OpeningReader(sealed, file_key, got_header, preamble)
        opened = 0
        while block := reader.read(10240):  # tarfile reads its stream in 10 KiB records
            opened += len(block)
        open_s.append(time.perf_counter() - started)
        assert opened == len(sample)
        started = time.perf_counter()
        hashlib.sha256(sample).hexdigest()
        sha_s.append(time.perf_counter() - started)
    return FixedCosts(
        argon2, x25519, len(sample) / median(seal_s) / MB, len(sample) / median(open_s) / MB,
        len(sample) / median(sha_s) / MB, len(sample),
    )


# -- reporting ------------------------------------------------------------------------------------------
def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:,.0f} ms"
    return f"{seconds:,.2f} s"


def fmt_bytes(count: float) -> str:
    if count >= 10 * MB:
        return f"{count / MB:,.1f} MB"
    if count >= 10_000:
        return f"{count / 1000:,.1f} kB"
    return f"{count:,.0f} B"


def fmt_mb_s(count: float, seconds: float) -> str:
    return f"{count / seconds / MB:,.1f}" if seconds > 0 else "-"


def median_timed(measured: list[Timed]) -> Timed:
    """The median total, and the median of each step (so the parts need not add up exactly)."""
    labels = list(dict.fromkeys(label for m in measured for label in m.steps))
    return Timed(median([m.seconds for m in measured]), {label: median([m.step(label) for m in measured]) for label in labels})


def report(results: list[SizeResult]) -> None:
    heading("Setup (not measured)")
    previous: dict[str, int] = {}
    rows = []
    for r in results:
        rows.append([
            r.database, f"{r.size:,}", f"{r.size - previous.get(r.database, 0):,}", f"{r.extras:,}",
            f"{r.sealed_values:,}", fmt_bytes(r.on_disk), f"{r.build_seconds:,.1f} s", f"{r.insert_seconds:,.1f} s",
        ])
        previous[r.database] = r.size
    print_table(
        "Each step adds responses up to the size: sealed once by build_response (the databases share a keyring), "
        "bulk-inserted into each database",
        ["database", "responses", "rows added", "codings = glosses = quotes", "sealed values", "on disk",
         "building (shared)", "inserting + ANALYZE"],
        rows,
    )

    heading("1. backups.create against the plain database copy alone")
    rows = []
    for r in results:
        copy = median(r.copy)
        size = r.database_bytes()
        rows.append([r.database, f"{r.size:,}", "plain copy (reference)", str(r.rounds), fmt_bytes(size),
                     fmt_s(copy), fmt_mb_s(size, copy), "-", "-", "-"])
        for secret in SECRETS:
            created = median_timed(r.create[secret])
            added = median([m.seconds - m.step(CREATE_STEPS[0]) for m in r.create[secret]])
            rows.append([
                r.database, f"{r.size:,}", f"create, {SECRET_LABELS[secret]}", str(r.rounds),
                fmt_bytes(r.inner_copy[secret]), fmt_s(created.seconds), fmt_mb_s(r.inner_copy[secret], created.seconds),
                fmt_pct(created.seconds / copy - 1, signed=True), fmt_s(added), fmt_pct(added / copy, signed=True),
            ])
    print_table(
        "Seconds: median of rounds; MB/s: the database copy's bytes per second (1 MB = 10^6 bytes)",
        ["database", "responses", "operation", "rounds", "database copy", "seconds", "MB/s", "overhead vs copy",
         "added to its own copy", "added / copy"],
        rows,
        align="lrlrrrrrrr",
    )
    rows = []
    for r in results:
        for secret in SECRETS:
            created = median_timed(r.create[secret])
            steps = [created.step(label) for label in CREATE_STEPS]
            rows.append([
                r.database, f"{r.size:,}", SECRET_LABELS[secret], fmt_s(created.seconds), *map(fmt_s, steps),
                fmt_mb_s(r.inner_copy[secret], created.step("Encrypting the backup")), fmt_s(created.other),
            ])
    print_table(
        "backups.create by its steps (median of rounds, each step on its own)",
        ["database", "responses", "secret", "create", "copying", "SHA-256 of copy", "encrypting", "encrypting MB/s",
         "other"],
        rows,
        align="lrlrrrrrr",
    )
    print("plain copy (reference) = database_copy.copy_database alone: pg_dump --format=custom --compress=1 in an exported snapshot")
    print("                         (with row counts) / SQLite's online backup API, to a file")
    print("overhead vs copy       = create / plain copy - 1, both medians of the same rounds")
    print("added to its own copy  = create minus its own 'Copying the database' step (median of rounds): the cost of")
    print("                         the backup proper, free of the copy's own run-to-run noise; added / copy = that /")
    print("                         the plain copy's median")
    print("copying                = the same copy_database call, inside create")
    print("encrypting             = tar stream + AES-256-GCM in 1 MiB chunks + writing + fsync of the backup file")
    print("other                  = the rest: file key (argon2id for a passphrase), manifest, temporary directory,")
    print("                         the audit event")
    print()

    heading("2. Size: the backup file against the plain copy it holds")
    rows = []
    for r in results:
        for secret in SECRETS:
            a = r.anatomy[secret]
            inner = r.inner_copy[secret]
            manifest, keyring = r.inner_small[secret]
            tar = a.plaintext - inner - manifest - keyring
            expected_tar = tar_overhead([manifest, keyring, inner])
            extra = a.file_bytes - inner
            rows.append([
                r.database, f"{r.size:,}", SECRET_LABELS[secret], f"{inner:,}", f"{a.file_bytes:,}", f"{extra:,}",
                f"{a.file_bytes / inner:.5f}", f"{a.chunks:,}", f"{a.framing:,}", f"{a.preamble:,}", f"{tar:,}",
                f"{manifest:,} + {keyring:,}", f"{extra - a.framing - a.preamble - tar - manifest - keyring:,}",
                "yes" if tar == expected_tar else f"NO (expected {expected_tar:,})",
            ])
    print_table(
        "Bytes (the last round's files)",
        ["database", "responses", "secret", "plain copy", "backup file", "extra", "ratio", "chunks",
         "chunk framing", "preamble", "tar", "manifest + keyring", "unexplained", "tar as expected"],
        rows,
        align="lrlrrrrrrrrrrl",
    )
    for r in results:
        print(
            f"{r.database}, {r.size:,}: plain copies {fmt_bytes(min(r.copy_bytes))} .. {fmt_bytes(max(r.copy_bytes))} "
            f"made by the reference; the database on disk {fmt_bytes(r.on_disk)} "
            f"(copy / on disk {median(r.copy_bytes) / r.on_disk:.2f})"
        )
    print("plain copy      = the database copy inside the backup (manifest.database_bytes; create makes its own copy)")
    print("chunk framing   = 4-byte length + 16-byte GCM tag per chunk of 1 MiB (the last chunk may be short)")
    print("preamble        = magic, format version, header length and the header JSON (how the file key was made,")
    print("                  key check value, chunk size)")
    print("tar             = the archive's 512-byte member headers, padding to 512 bytes, end blocks, record padding")
    print("                  to 10 KiB; 'tar as expected' checks it against that rule")
    print("unexplained     = backup file - plain copy - all of the above (0: nothing else is in the file)")
    print()

    heading("3. backups.restore and backups.verify against loading the plain copy alone")
    rows = []
    for r in results:
        load = median(r.load)
        rows.append([r.database, f"{r.size:,}", "load_copy (reference)", "", str(r.rounds), fmt_s(load),
                     "", "", "", "", "", "-"])
        for operation, measured_by_secret in (("restore", r.restore), ("verify", r.verify)):
            for secret in [s for s in SECRETS if measured_by_secret[s]]:
                m = median_timed(measured_by_secret[secret])
                opening = m.step(OPEN_ALL)
                rows.append([
                    r.database, f"{r.size:,}", operation, SECRET_LABELS[secret], str(r.rounds), fmt_s(m.seconds),
                    fmt_s(m.step(DECRYPT)), fmt_s(m.step(LOAD_STEPS[operation])), fmt_s(opening),
                    f"{r.sealed_values / opening:,.0f}" if opening else "-", fmt_s(m.other),
                    f"{m.seconds / load:,.1f}x",
                ])
    print_table(
        "Median of rounds; the steps are medians on their own",
        ["database", "responses", "operation", "secret", "rounds", "total", "decrypt", "load",
         "open every sealed value", "values/s", "other", "total / reference"],
        rows,
        align="lrllrrrrrrrr",
    )
    print("load_copy (reference) = database_copy.load_copy of the plain copy into a new, empty database: pg_restore")
    print("                        --single-transaction --clean --if-exists / a file copy")
    print("decrypt               = reading the backup: AES-256-GCM per chunk, tar, SHA-256 of the copy, writing it to")
    print("                        a temporary file (the whole file is read and checked before anything is loaded)")
    print("load                  = the same load_copy, inside restore / verify (verify: into its scratch database)")
    print("open every sealed value = every response payload and facts, gloss and quote opened with the keyring from")
    print("                        the backup (only each value and the columns its place needs, streamed)")
    print("other                 = file key (argon2id for a passphrase), row counts, key file, audit event; verify:")
    print("                        creating and dropping the scratch database")
    print()
    for r in results:
        if r.unreadable or r.fewest_opened != r.sealed_values:
            print(
                f"*** WARNING {r.database}, {r.size:,}: {r.unreadable:,} sealed values did not open; fewest opened "
                f"{r.fewest_opened or 0:,} of {r.sealed_values:,} ***"
            )
        else:
            print(f"{r.database}, {r.size:,}: every restore and verify opened all {r.sealed_values:,} sealed values")
    print()



def report_fixed(results: list[SizeResult], fixed: FixedCosts) -> None:
    heading("4. Fixed costs, on their own")
    print_table(
        "Per backup made or opened (median; min .. max)",
        ["what", "runs", "seconds", "range"],
        [
            ["argon2id file key (64 MiB, 3 passes, 4 lanes): passphrase backups only", str(len(fixed.argon2)),
             fmt_s(median(fixed.argon2)), f"{fmt_s(min(fixed.argon2))} .. {fmt_s(max(fixed.argon2))}"],
            ["X25519 + HKDF-SHA256 file key: backup-key backups", f"{len(fixed.x25519)} x 200",
             f"{median(fixed.x25519) * 1e6:,.0f} µs",
             f"{min(fixed.x25519) * 1e6:,.0f} .. {max(fixed.x25519) * 1e6:,.0f} µs"],
        ],
        align="lrrr",
    )
    print_table(
        f"In memory, {fixed.sample_bytes // MIB} MiB in 10 KiB writes/reads as tarfile makes them (median of 3)",
        ["what", "MB/s"],
        [
            ["SealingWriter (AES-256-GCM, 1 MiB chunks)", f"{fixed.seal_mb_s:,.0f}"],
            ["OpeningReader (checks and opens every chunk)", f"{fixed.open_mb_s:,.0f}"],
            ["SHA-256 (the copy's checksum)", f"{fixed.sha256_mb_s:,.0f}"],
        ],
    )
    for r in results:
        created = median([m.seconds for m in r.create["passphrase"]])
        print(
            f"{r.database}, {r.size:,}: argon2id is {fmt_pct(median(fixed.argon2) / created)} of a passphrase backup's "
            f"create ({fmt_s(created)})"
        )


# -- main ---------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.backups", description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", default="10000,100000",
                        help="comma-separated response counts, measured in increasing order as the site grows "
                        "(default 10000,100000)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql (default both)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds below --large-from responses (default 3)")
    parser.add_argument("--large-rounds", type=int, default=2, help="rounds from --large-from responses (default 2)")
    parser.add_argument("--large-from", type=int, default=50_000,
                        help="sizes from this many responses use --large-rounds (default 50000)")
    parser.add_argument("--passphrase-restores", action="store_true",
                        help="also restore and verify the passphrase backup (by default only the X25519 one: the two "
                        "differ by one argon2id derivation, timed on its own)")
    parser.add_argument("--argon2-rounds", type=int, default=5, help="argon2id derivations timed alone (default 5)")
    parser.add_argument("--pool", type=int, default=2000, help="distinct answer sets to draw from (default 2000)")
    parser.add_argument("--seed", type=int, default=20261201, help="seed for the generated answers and weeks")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    sizes = sorted({int(s.replace("_", "")) for s in args.responses.split(",") if s.strip()})
    opened_secrets = SECRETS if args.passphrase_restores else ("x25519",)
    started = time.perf_counter()

    print("Encrypted backups benchmark (bench/backups.py)")
    print_versions()
    print(f"sizes      : {', '.join(f'{s:,}' for s in sizes)} responses (the site grows from one to the next)")
    opened = " and ".join(SECRET_LABELS[s] for s in opened_secrets)
    print(
        f"rounds     : {args.rounds} (from {args.large_from:,} responses: {args.large_rounds}); per round: plain copy, "
        f"create (X25519 key and passphrase); load_copy, restore and verify ({opened} backup); order rotating"
    )

    from feedback_app.backup_crypto import ARGON2_PARAMETERS
    from feedback_app.crypto import Keyring

    print(f"argon2id   : {ARGON2_PARAMETERS} (the default settings create uses)")
    keyring = Keyring.generate()  # shared: rows are sealed once and inserted into every database
    results: list[SizeResult] = []
    skipped_kinds: list[str] = []
    targets: list[Target] = []
    with contextlib.ExitStack() as stack:
        for kind in kinds:
            database = stack.enter_context(throwaway_database(kind, prefix="feedback_bench_backup"))
            if database is None:
                skipped_kinds.append(kind)
                continue
            app = make_app(database.url, KEYRING=keyring)
            stack.callback(dispose_app_engines, app)
            with app.app_context():
                from feedback_app.services.insight.themes import create_demo_codebook

                migrate_schema()
                create_demo_codebook()
            targets.append(Target(database.label, database.kind, database.url, app))
        if targets:
            with targets[0].app.app_context():
                from feedback_app.extensions import db
                from feedback_app.models import Theme

                progress(f"building a pool of {args.pool:,} answer sets ...")
                pool = build_pool(args.seed, args.pool)
                comments = comment_fields(pool)
                themes = list(db.session.scalars(select(Theme.id).order_by(Theme.id)))
                db.session.remove()
            print(
                f"answers    : a pool of {len(pool):,} answer sets from demo_data.random_answers; "
                f"{sum(1 for c in comments if c) / len(pool):.0%} have a comment; every {EXTRAS_EVERY}th response "
                f"with one gets a coding, a sealed gloss and a sealed quote ({len(themes)} demo themes)"
            )
            filler = Filler(pool, comments, themes, keyring, args.seed)
            for size in sizes:
                progress(f"growing to {size:,} responses (setup) ...")
                for target in targets:
                    target.insert_seconds = 0.0
                build_seconds = filler.grow_to(size, targets)
                progress(
                    f"{size:,} responses ready: building {build_seconds:.0f}s, "
                    + ", ".join(f"{t.label} inserting {t.insert_seconds:.0f}s" for t in targets)
                )
                rounds = args.large_rounds if size >= args.large_from else args.rounds
                for target in targets:
                    results.append(
                        measure_size(target, keyring, size, rounds, build_seconds, filler.extras, opened_secrets)
                    )
    progress("fixed costs: argon2id, X25519, AES-GCM and SHA-256 in memory ...")
    fixed = measure_fixed_costs(args.argon2_rounds)

    if results:
        report(results)
    report_fixed(results, fixed)
    for kind in skipped_kinds:
        print()
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(kind, kind)
        print(f"*** SKIPPED: {name} (server unreachable) -- no {name} backup results ***")
    print()
    print(f"peak RSS   : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB (whole run)")
    print(f"total time : {time.perf_counter() - started:.0f}s")
    return 0



if __name__ == "__main__":
    sys.exit(main())
