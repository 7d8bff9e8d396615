"""The responses' stamp: a number the database moves on whenever the responses change.

The figures cache (``cache.py``) is keyed by filters and this stamp, so whatever adds,
deletes or changes a response (a survivor's submission, a bulk insert, the retention
purge, removing demo data, plain SQL in ``psql``) shows on the dashboard at the next
request, in every process, without anyone being told to clear a cache. Triggers made by
migration 0005 keep it, in the writing transaction:

* PostgreSQL: every statement that writes ``responses`` bumps the sequence
  ``responses_stamp`` and takes a shared advisory lock (``WRITING_LOCK``) until its
  transaction ends. Reading the stamp reads the sequence and ``pg_locks``: no scan of
  ``responses``, no lock taken, so it never waits for a writer nor makes one wait.
* SQLite: row triggers count changes in the one-row table ``responses_stamp``.

Why the lock on PostgreSQL: a sequence is not transactional. It moves on when the change is
*written*, before it commits. Figures computed in that moment leave the change out; cached
under the new value, they would be served after the commit too, until the next change.
So the sequence is read first, then ``pg_locks``: when no transaction holding the lock is
left, every change counted in the value read has committed (locks are released after the
commit is visible), and figures computed afterwards (in later statements: the session is
READ COMMITTED, PostgreSQL's default) include it. While a change is being
written, ``read()`` answers ``None``: compute the figures, but do not cache them. A change
rolled back leaves the sequence moved on: one needless recomputation.

SQLite's counter is a row like any other: a reader sees it change exactly when the change
commits.

The stamp never goes back: the sequence and the counter only go up. ``pg_restore`` makes the
sequence anew, so the stamp carries the sequence's object id too, and figures cached before
a restore are not served after it.
"""

from __future__ import annotations

from sqlalchemy import text

from ...extensions import db

# Migration 0005: pg_advisory_xact_lock_shared(1919251312, 1937006957), ASCII "resp" "stam".
WRITING_LOCK = (0x72657370, 0x7374616D)

_READ_SEQUENCE = text("SELECT tableoid::bigint, last_value, is_called FROM responses_stamp")
_BEING_WRITTEN = text(
    "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND classid = :key1 AND objid = :key2 "
    "AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
).bindparams(key1=WRITING_LOCK[0], key2=WRITING_LOCK[1])
_READ_COUNTER = text("SELECT changes FROM responses_stamp WHERE id = 1")


def read() -> tuple | None:
    """The stamp now, or ``None`` while a change to responses is being written (PostgreSQL):
    figures computed now are right now, but must not be cached under a stamp."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Two statements, in this order: the sequence first, then who is still writing.
        oid, value, called = session.execute(_READ_SEQUENCE).one()
        if session.execute(_BEING_WRITTEN).scalar_one():
            return None
        return (oid, value if called else 0)
    return (session.execute(_READ_COUNTER).scalar() or 0,)
