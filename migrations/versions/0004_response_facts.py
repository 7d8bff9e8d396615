"""responses carry their chosen answers as sealed facts for counting

Revision ID: 0004_response_facts
Revises: 0003_themes_quotes_exports

Existing rows keep NULL facts: the dashboard counts those from their payload.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_response_facts'
down_revision = '0003_themes_quotes_exports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facts', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('facts_key_id', sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_responses_facts_key_id'), ['facts_key_id'], unique=False)


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_facts_key_id'))
        batch_op.drop_column('facts_key_id')
        batch_op.drop_column('facts')
