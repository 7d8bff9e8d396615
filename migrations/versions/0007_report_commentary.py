"""the themed summary's commentary, per period, audience and part

Revision ID: 0007_report_commentary
Revises: 0006_responses_stamp

Commentary is written by coordinators (never by survivors), so it is stored in the clear:
one row per part (introduction, method, a service's commentary, what was changed) of one
period and one audience ("" for the whole report).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_report_commentary'
down_revision = '0006_responses_stamp'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_commentary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('audience', sa.String(length=40), nullable=False),
    sa.Column('part', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['accounts.id'], name=op.f('fk_report_commentary_updated_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_commentary')),
    sa.UniqueConstraint('period', 'audience', 'part', name='one_text_per_part')
    )
    with op.batch_alter_table('report_commentary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_commentary_period'), ['period'], unique=False)


def downgrade():
    with op.batch_alter_table('report_commentary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_commentary_period'))

    op.drop_table('report_commentary')
