"""the resettlement window is a programme rule's, not every programme's

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:10:00.000000

Serpin graduates keep the resettlement quota if they apply to the receiving region's career
centre within 6 months of graduation; other programmes have no such window.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("obligation_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resettlement_window_months", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE obligation_rule SET resettlement_window_months = 6 WHERE programme_id IN "
        "(SELECT id FROM programme WHERE code = 'serpin')"
    )


def downgrade() -> None:
    with op.batch_alter_table("obligation_rule", schema=None) as batch_op:
        batch_op.drop_column("resettlement_window_months")
