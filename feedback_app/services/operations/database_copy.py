"""A consistent copy of the whole database in one file, and loading such a copy back.

PostgreSQL: ``pg_dump`` in its custom format, inside a snapshot exported from a transaction
that also counts every table's rows (so the counts describe exactly what was dumped), and
``pg_restore`` in one transaction. SQLite: the online backup API, then a file copy.

Nothing here opens a sealed value. Passwords in a database URL go to the PostgreSQL tools
through the environment, never on their command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Engine, make_url

from ...extensions import db


class DatabaseCopyError(Exception):
    """The database could not be copied or loaded; the message says why."""


@dataclass(frozen=True)
class Copy:
    engine: str  # "postgresql" or "sqlite"
    counts: dict[str, int]  # rows per table of this site, as copied
    revision: str | None  # the schema migration the copy is at


def engine_name(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise DatabaseCopyError(f"backups support PostgreSQL and SQLite, not {backend}")
    return backend


def _our_tables() -> list[str]:
    return [table.name for table in db.metadata.sorted_tables]


def _count_rows(connection, tables: list[str]) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in tables if name in present}


def _revision(connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DatabaseCopyError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A URL the PostgreSQL tools understand, and an environment holding its password."""
    parsed = make_url(url)
    environment = dict(os.environ)
    if parsed.password is not None:
        environment["PGPASSWORD"] = str(parsed.password)
    plain = URL.create(
        "postgresql", username=parsed.username, host=parsed.host, port=parsed.port, database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False), environment


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseCopyError(f"{name} was not found: install the PostgreSQL client tools (Debian: postgresql-client)")
    return found


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode != 0:
        # The tools' messages name objects and options, never row contents.
        lines = [line for line in finished.stderr.splitlines() if line.strip()][-5:]
        raise DatabaseCopyError(f"{what} failed: " + " / ".join(lines))


def copy_database(url: str, destination: Path) -> Copy:
    """Write a consistent copy of the database at ``url`` to ``destination``."""
    if engine_name(url) == "sqlite":
        return _copy_sqlite(url, destination)
    engine = create_engine(url)
    try:
        return _copy_postgresql(url, engine, destination)
    finally:
        engine.dispose()


def _copy_sqlite(url: str, destination: Path) -> Copy:
    path = _sqlite_path(url)
    if not path.exists():
        raise DatabaseCopyError(f"there is no database at {path}")
    source = sqlite3.connect(path)
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
    copied = create_engine(f"sqlite:///{destination}")
    try:
        with copied.connect() as connection:
            return Copy("sqlite", _count_rows(connection, _our_tables()), _revision(connection))
    finally:
        copied.dispose()


def _copy_postgresql(url: str, engine: Engine, destination: Path) -> Copy:
    libpq_url, environment = _libpq(url)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = _count_rows(connection, _our_tables())
            revision = _revision(connection)
            # While this transaction is open, pg_dump sees exactly what was counted.
            _run(
                # --compress=1: sealed values do not compress, and pg_dump's default level spends
                # most of its time failing to (bench/backups.py: 3x faster for 3% more bytes).
                [_tool("pg_dump"), "--format=custom", "--compress=1", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}",
                 f"--file={destination}", f"--dbname={libpq_url}"],
                environment,
                "pg_dump",
            )
    return Copy("postgresql", counts, revision)


def holdings(url: str) -> dict[str, int]:
    """Rows per table in the database at ``url`` (every table, ours or not); {} when it
    has no tables or, for SQLite, does not exist yet."""
    if engine_name(url) == "sqlite" and not _sqlite_path(url).exists():
        return {}
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
            return _count_rows(connection, names)
    finally:
        engine.dispose()


def load_copy(copy_file: Path, engine: str, url: str) -> None:
    """Load a copy into the database at ``url``, replacing the tables it holds. The caller
    has checked that replacing them is wanted."""
    if engine_name(url) != engine:
        raise DatabaseCopyError(
            f"this backup holds a {engine} database and the target is {engine_name(url)}: restore it into {engine}"
        )
    if engine == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(target.name + ".restoring")
        shutil.copyfile(copy_file, staging)
        os.chmod(staging, 0o600)
        with open(staging, "rb+") as written:
            os.fsync(written.fileno())
        # A journal left by the database being replaced would be applied to the copy.
        for leftover in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + leftover).unlink(missing_ok=True)
        os.replace(staging, target)
        return
    libpq_url, environment = _libpq(url)
    _run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
         "--clean", "--if-exists", f"--dbname={libpq_url}", str(copy_file)],
        environment,
        "pg_restore",
    )


@contextmanager
def scratch_database(engine: str, server_url: str | None, workdir: Path) -> Iterator[str]:
    """A new, empty database to restore a copy into for checking; removed afterwards.
    SQLite: a file in ``workdir``. PostgreSQL: a database on the server at ``server_url``."""
    if engine == "sqlite":
        yield f"sqlite:///{workdir / 'verify.sqlite3'}"
        return
    if not server_url or engine_name(server_url) != "postgresql":
        raise DatabaseCopyError(
            "this backup holds a PostgreSQL database: checking it needs a PostgreSQL server where a temporary "
            "database may be created (set DATABASE_URL or give --scratch-server)"
        )
    name = f"feedback_verify_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
