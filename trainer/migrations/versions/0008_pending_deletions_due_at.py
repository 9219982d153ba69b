"""pending deletions: due_at, so uploads can be queued before they are stored

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vignette_pending_deletions', schema=None) as batch_op:
        # rows queued before this revision are failed deletions: due at once
        batch_op.add_column(sa.Column('due_at', sa.DateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.create_index(batch_op.f('ix_vignette_pending_deletions_due_at'), ['due_at'], unique=False)


def downgrade():
    with op.batch_alter_table('vignette_pending_deletions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vignette_pending_deletions_due_at'))
        batch_op.drop_column('due_at')
