"""a stamp that the database moves on whenever the responses change

Revision ID: 0006_responses_stamp
Revises: 0005_statements

The dashboard keys its cache of figures by this stamp (``services/figures/stamp.py``), so it
must move on with every insert, update and delete of responses, however made (the ORM, bulk
inserts, retention purge, demo data removal, plain SQL). Triggers do it in the database:

* PostgreSQL: a statement-level trigger takes a shared advisory lock for the rest of the
  writing transaction (keys 0x72657370, 0x7374616d: "resp", "stam"), then bumps the sequence
  ``responses_stamp``. Sequences take no row lock, so concurrent submissions never wait for
  each other; the shared lock lets a reader see that a change is being written (the
  sequence moves on before the change commits, so the reader must not cache figures under
  that value: see the stamp module).
* SQLite (no sequences, no statement-level triggers): row-level triggers count changes in
  the one-row table ``responses_stamp``, inside the writing transaction. The row is made by
  the first change, so an empty database holds no rows. The table is not a model: Alembic's
  comparisons leave it out (``feedback_app.models.NOT_MODELS``).

SQLite drops a table's triggers with the table: a later migration that rebuilds
``responses`` with ``batch_alter_table`` on SQLite must create these triggers again
(``tests/unit/test_responses_stamp.py`` fails if they are missing).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_responses_stamp'
down_revision = '0005_statements'
branch_labels = None
depends_on = None

SQLITE_EVENTS = ('insert', 'update', 'delete')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE SEQUENCE responses_stamp')
        op.execute(
            """
            CREATE FUNCTION responses_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock_shared(1919251312, 1937006957);
                PERFORM nextval('responses_stamp');
                RETURN NULL;
            END
            $$
            """
        )
        op.execute(
            'CREATE TRIGGER responses_stamp_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON responses '
            'FOR EACH STATEMENT EXECUTE FUNCTION responses_stamp_bump()'
        )
        return
    op.create_table('responses_stamp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_responses_stamp_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses_stamp'))
    )
    for event in SQLITE_EVENTS:
        op.execute(
            f"""
            CREATE TRIGGER responses_stamp_{event} AFTER {event.upper()} ON responses
            BEGIN
                INSERT INTO responses_stamp (id, changes) VALUES (1, 1)
                ON CONFLICT (id) DO UPDATE SET changes = changes + 1;
            END
            """
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER responses_stamp_bump ON responses')
        op.execute('DROP FUNCTION responses_stamp_bump()')
        op.execute('DROP SEQUENCE responses_stamp')
        return
    for event in SQLITE_EVENTS:
        op.execute(f'DROP TRIGGER responses_stamp_{event}')
    op.drop_table('responses_stamp')
