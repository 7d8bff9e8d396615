"""Reading many rows in batches with the least work per row (counting, exports).

On PostgreSQL the statement runs on a named (server-side) psycopg cursor in **binary**
format: ``bytea`` values arrive as bytes without hex decoding, which halves the cost of
fetching sealed blobs. Elsewhere SQLAlchemy Core streams them (``yield_per``). Either way a
batch is a list of plain row tuples, and memory stays flat however many rows there are.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ...extensions import db

_cursor_names = itertools.count(1)


def partitions(statement, size: int) -> Iterator[list]:
    """The rows of ``statement`` (a Core select), ``size`` at a time, in the session's transaction."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield from connection.execute(statement.execution_options(yield_per=size)).partitions()
        return
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    driver = connection.connection.driver_connection  # a psycopg Connection, inside a transaction
    with driver.cursor(name=f"feedback_stream_{next(_cursor_names)}", binary=True) as cursor:
        cursor.execute(str(compiled), compiled.params)
        while rows := cursor.fetchmany(size):
            yield rows
