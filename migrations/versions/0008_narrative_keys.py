"""narrative keys: survivors' words sealed to a key only coordinators hold

Revision ID: 0008_narrative_keys
Revises: 0007_report_commentary

Adds ``responses.narrative`` (every free-text answer of a response, sealed to the
partnership's narrative public key) and its key id, the narrative key pairs (public keys and
recovery wraps only) and the coordinators' lockers and wraps.

Downgrading drops them: words already moved into narratives (``flask narratives migrate``,
or submitted since) are lost unless they were migrated back first; the figures survive.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_narrative_keys'
down_revision = '0007_report_commentary'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('narrative_keys',
    sa.Column('id', sa.String(length=8), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recovery_key_id', sa.String(length=8), nullable=False),
    sa.Column('recovery_public_key', sa.LargeBinary(), nullable=False),
    sa.Column('recovery_wrap', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_narrative_keys'))
    )
    op.create_table('narrative_lockers',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('salt', sa.LargeBinary(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('inbox_key_id', sa.String(length=8), nullable=False),
    sa.Column('inbox_public_key', sa.LargeBinary(), nullable=False),
    sa.Column('inbox_private_wrap', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_narrative_lockers_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_narrative_lockers'))
    )
    op.create_table('narrative_wraps',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('granted_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('password', 'granted')", name=op.f('ck_narrative_wraps_kind')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_narrative_wraps_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by'], ['accounts.id'], name=op.f('fk_narrative_wraps_granted_by_accounts')),
    sa.ForeignKeyConstraint(['key_id'], ['narrative_keys.id'], name=op.f('fk_narrative_wraps_key_id_narrative_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'key_id', name=op.f('pk_narrative_wraps'))
    )
    # Plain ALTER TABLE, not batch: rebuilding ``responses`` on SQLite would drop the
    # triggers of 0006_responses_stamp.
    op.add_column('responses', sa.Column('narrative', sa.LargeBinary(), nullable=True))
    op.add_column('responses', sa.Column('narrative_key_id', sa.String(length=8), nullable=True))
    op.create_index(op.f('ix_responses_narrative_key_id'), 'responses', ['narrative_key_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_responses_narrative_key_id'), table_name='responses')
    op.drop_column('responses', 'narrative_key_id')
    op.drop_column('responses', 'narrative')

    op.drop_table('narrative_wraps')
    op.drop_table('narrative_lockers')
    op.drop_table('narrative_keys')

