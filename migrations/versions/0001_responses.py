"""responses table

Revision ID: 0001_responses
Revises: 


"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_responses'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('survey_slug', sa.String(length=40), nullable=False),
    sa.Column('survey_version', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('collection_mode', sa.String(length=16), nullable=False),
    sa.Column('organisation', sa.String(length=120), nullable=True),
    sa.Column('submitted_week', sa.Date(), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("collection_mode IN ('online', 'assisted', 'handed_over')", name=op.f('ck_responses_collection_mode')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_submitted_week'), ['submitted_week'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_survey_slug'), ['survey_slug'], unique=False)



def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_survey_slug'))
        batch_op.drop_index(batch_op.f('ix_responses_submitted_week'))
        batch_op.drop_index(batch_op.f('ix_responses_key_id'))

    op.drop_table('responses')
