"""themes, codings, glosses, quotes and the export log

Revision ID: 0003_themes_quotes_exports
Revises: 0002_accounts_audit

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_themes_quotes_exports'
down_revision = '0002_accounts_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('service', sa.String(length=60), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('helpful', 'improvement')", name=op.f('ck_themes_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('name', name=op.f('uq_themes_name'))
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themes_service'), ['service'], unique=False)

    op.create_table('comment_codings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('coded_by', sa.Uuid(), nullable=True),
    sa.Column('coded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coded_by'], ['accounts.id'], name=op.f('fk_comment_codings_coded_by_accounts')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_comment_codings_response_id_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_comment_codings_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_codings')),
    sa.UniqueConstraint('response_id', 'field', 'theme_id', name='one_coding')
    )
    with op.batch_alter_table('comment_codings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_codings_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_codings_theme_id'), ['theme_id'], unique=False)

    op.create_table('comment_glosses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('gloss', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_comment_glosses_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_glosses')),
    sa.UniqueConstraint('response_id', 'field', name='one_gloss')
    )
    with op.batch_alter_table('comment_glosses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_glosses_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_glosses_response_id'), ['response_id'], unique=False)

    op.create_table('export_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=300), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_export_records_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_records'))
    )
    with op.batch_alter_table('export_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_records_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_records_exported_at'), ['exported_at'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('text', sa.LargeBinary(), nullable=False),
    sa.Column('proposed_by', sa.Uuid(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.Uuid(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'approved', 'withdrawn')", name=op.f('ck_quotes_status')),
    sa.ForeignKeyConstraint(['approved_by'], ['accounts.id'], name=op.f('fk_quotes_approved_by_accounts')),
    sa.ForeignKeyConstraint(['proposed_by'], ['accounts.id'], name=op.f('fk_quotes_proposed_by_accounts')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_quotes_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('response_id', 'field', name='one_quote_per_comment')
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_status'), ['status'], unique=False)

    op.create_table('rejected_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_rejected_suggestions_response_id_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_rejected_suggestions_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_suggestions')),
    sa.UniqueConstraint('response_id', 'field', 'theme_id', name='one_rejection')
    )
    with op.batch_alter_table('rejected_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejected_suggestions_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rejected_suggestions_theme_id'), ['theme_id'], unique=False)

    op.create_table('theme_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('keyword', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_theme_rules_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_rules')),
    sa.UniqueConstraint('theme_id', 'language', 'keyword', name='one_keyword')
    )
    with op.batch_alter_table('theme_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_rules_theme_id'), ['theme_id'], unique=False)



def downgrade():
    with op.batch_alter_table('theme_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_rules_theme_id'))

    op.drop_table('theme_rules')
    with op.batch_alter_table('rejected_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejected_suggestions_theme_id'))
        batch_op.drop_index(batch_op.f('ix_rejected_suggestions_response_id'))

    op.drop_table('rejected_suggestions')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_status'))
        batch_op.drop_index(batch_op.f('ix_quotes_response_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_key_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('export_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_records_exported_at'))
        batch_op.drop_index(batch_op.f('ix_export_records_account_id'))

    op.drop_table('export_records')
    with op.batch_alter_table('comment_glosses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_glosses_response_id'))
        batch_op.drop_index(batch_op.f('ix_comment_glosses_key_id'))

    op.drop_table('comment_glosses')
    with op.batch_alter_table('comment_codings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_codings_theme_id'))
        batch_op.drop_index(batch_op.f('ix_comment_codings_response_id'))

    op.drop_table('comment_codings')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_themes_service'))

    op.drop_table('themes')
