"""Shared pieces for the benchmark scripts: quiet apps, throwaway databases, versions, tables.

Throwaway databases:

* SQLite: a file in a fresh temporary directory, removed afterwards (with its journal);
* PostgreSQL: a database created on the server for the run and dropped afterwards, even
  on error. The server is ``BENCH_DATABASE_SERVER`` (or ``TEST_DATABASE_SERVER``), by default
  ``postgresql://postgres@127.0.0.1:5432/postgres``. If it cannot be reached,
  ``throwaway_database("postgresql")`` yields ``None`` and prints a loud SKIPPED line.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_server_url() -> str:
    return (
        os.environ.get("BENCH_DATABASE_SERVER")
        or os.environ.get("TEST_DATABASE_SERVER")
        or DEFAULT_POSTGRES_SERVER
    )


# -- the application --------------------------------------------------------------------------
def quiet_logging() -> None:
    """Keep benchmark output to the tables: no request log lines, no Alembic INFO lines.

    ``logs.init_app`` only calls ``basicConfig`` when the root logger has no handler, so a
    WARNING-level handler installed first keeps everything below WARNING out.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
    for name in ("alembic", "flask_migrate", "feedback_app.requests", "werkzeug", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.WARNING)


def make_app(database_url: str, **overrides):
    """A test-configured application on ``database_url`` (fresh secret key and keyring)."""
    os.environ["FEEDBACK_CONFIG"] = "test"
    quiet_logging()
    from feedback_app import create_app
    from feedback_app.config import TestConfig

    settings = {"SQLALCHEMY_DATABASE_URI": database_url}
    settings.update(overrides)
    app = create_app(TestConfig, settings)
    # create_app's logging set-up may have raised the request logger back to INFO.
    quiet_logging()
    return app


def migrate_schema() -> None:
    """Create the schema with the project's migrations (call inside an app context)."""
    from flask_migrate import upgrade

    upgrade()
    quiet_logging()


# -- throwaway databases ----------------------------------------------------------------------
@dataclass
class BenchDatabase:
    kind: str  # "sqlite" or "postgresql"
    url: str  # SQLAlchemy URL
    label: str  # what tables call it
    path: Path | None = None
    server_url: str | None = None
    name: str | None = None


def _postgres_reachable(server_url: str) -> str | None:
    """``None`` if the server answers, else a short reason."""
    import psycopg

    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "skip"
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return None


def skipped(what: str, reason: str) -> None:
    """A line nobody can miss, on standard output with the tables."""
    rule = "*" * 78
    print()
    print(rule)
    print(f"*** SKIPPED: {what}")
    print(f"*** {reason}")
    print(rule)
    print()


@contextlib.contextmanager
def throwaway_database(kind: str, prefix: str = "feedback_bench") -> Iterator[BenchDatabase | None]:
    """Yield a fresh, empty database of ``kind``; remove it afterwards whatever happens.

    Yields ``None`` (after printing a SKIPPED line) when PostgreSQL is unreachable.
    """
    if kind == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
        path = directory / "bench.db"
        try:
            yield BenchDatabase(kind="sqlite", url=f"sqlite:///{path}", label="SQLite (file)", path=path)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r}")

    import psycopg
    from sqlalchemy.engine import make_url

    server_url = postgres_server_url()
    reason = _postgres_reachable(server_url)
    if reason is not None:
        skipped(
            f"PostgreSQL -- {make_url(server_url).render_as_string()} is unreachable; no PostgreSQL results",
            reason[:200],
        )
        yield None
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
        yield BenchDatabase(
            kind="postgresql",
            url=url.render_as_string(hide_password=False),
            label="PostgreSQL",
            server_url=server_url,
            name=name,
        )
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def dispose_engines() -> None:
    """Close every pooled connection of the app in the current context."""
    from feedback_app.extensions import db

    db.session.remove()
    db.engine.dispose()


# -- versions ---------------------------------------------------------------------------------
def postgres_version() -> str:
    import psycopg

    server_url = postgres_server_url()
    if _postgres_reachable(server_url) is not None:
        return "unreachable"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=3) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


def versions() -> list[tuple[str, str]]:
    import cryptography
    import psycopg
    import sqlalchemy
    from cryptography.hazmat.backends.openssl import backend

    return [
        ("Python", f"{sys.version.split()[0]} ({platform.python_implementation()})"),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_version()),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("psycopg", psycopg.__version__),
        ("cryptography", f"{cryptography.__version__} ({backend.openssl_version_text()})"),
        ("machine", f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"),
    ]


def print_versions() -> None:
    found = versions()
    width = max(len(name) for name, _ in found)
    for name, value in found:
        print(f"{name.ljust(width)} : {value}")


# -- numbers and tables -----------------------------------------------------------------------
def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def fmt_rate(per_second: float) -> str:
    """``12,345`` style; one decimal below 100."""
    if per_second < 100:
        return f"{per_second:,.1f}"
    return f"{per_second:,.0f}"


def fmt_us(seconds: float) -> str:
    """A per-item time in microseconds (or milliseconds when large)."""
    micro = seconds * 1e6
    if micro >= 10_000:
        return f"{micro / 1000:,.1f} ms"
    if micro >= 100:
        return f"{micro:,.0f} µs"
    return f"{micro:,.1f} µs"


def fmt_pct(fraction: float, signed: bool = False) -> str:
    return f"{fraction * 100:+.1f}%" if signed else f"{fraction * 100:.1f}%"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> str:
    """A plain-text table with aligned columns: ``| a | b |``.

    ``align`` has one letter per column, ``l`` or ``r``; by default the first column is
    left-aligned and the rest right-aligned.
    """
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    align = align or ("l" + "r" * (len(headers) - 1))
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule] + [line(row) for row in cells[1:]])


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> None:
    print(title)
    print(table(headers, rows, align))
    print()


def heading(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))
