"""you said, we did: statements and their wording per language

Revision ID: 0005_statements
Revises: 0004_response_facts

Statements are written by coordinators (never by survivors), so their wording is stored in
the clear: one row per statement, one per language of its wording.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_statements'
down_revision = '0004_response_facts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('service', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name=op.f('ck_statements_status')),
    sa.ForeignKeyConstraint(['created_by'], ['accounts.id'], name=op.f('fk_statements_created_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_status'), ['status'], unique=False)

    op.create_table('statement_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('you_said', sa.Text(), nullable=False),
    sa.Column('we_did', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('english_changed', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.Uuid(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'approved')", name=op.f('ck_statement_texts_status')),
    sa.ForeignKeyConstraint(['approved_by'], ['accounts.id'], name=op.f('fk_statement_texts_approved_by_accounts')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_texts_statement_id_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['accounts.id'], name=op.f('fk_statement_texts_updated_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_texts')),
    sa.UniqueConstraint('statement_id', 'language', name='one_text_per_language')
    )
    with op.batch_alter_table('statement_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_texts_statement_id'), ['statement_id'], unique=False)



def downgrade():
    with op.batch_alter_table('statement_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_texts_statement_id'))

    op.drop_table('statement_texts')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_status'))
        batch_op.drop_index(batch_op.f('ix_statements_period'))

    op.drop_table('statements')
