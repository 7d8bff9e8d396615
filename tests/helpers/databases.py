"""Create and drop the database a test run uses."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


@dataclass
class RunDatabase:
    url: str
    kind: str  # "sqlite" or "postgresql"
    server_url: str | None = None
    name: str | None = None
    path: Path | None = None

    def drop(self) -> None:
        if self.kind == "postgresql":
            drop_postgres_database(self.server_url, self.name)

    def libpq_url(self) -> str:
        """The URL for libpq tools such as pg_dump (no SQLAlchemy driver suffix)."""
        return self.url.replace("postgresql+psycopg://", "postgresql://")


def create_postgres_database(server_url: str, prefix: str = "feedback_test") -> tuple[str, str]:
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    return url.render_as_string(hide_password=False), name


def drop_postgres_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_test_database(directory: Path) -> RunDatabase:
    server = os.environ.get("TEST_DATABASE_SERVER")
    if server:
        url, name = create_postgres_database(server)
        return RunDatabase(url=url, kind="postgresql", server_url=server, name=name)
    path = directory / "test.db"
    return RunDatabase(url=f"sqlite:///{path}", kind="sqlite", path=path)
