"""risk flags keep their sentences' message ids and parameters, to be read in any language

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Null on rows written before: they are read in their stored English until the next
    # change or rescan rewrites them.
    with op.batch_alter_table("risk_flag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("texts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("risk_flag", schema=None) as batch_op:
        batch_op.drop_column("texts")
