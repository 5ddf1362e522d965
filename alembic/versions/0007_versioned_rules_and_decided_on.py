"""obligation rules carry a version; a release decision's date is decided_on

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("obligation_rule", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "updated_at",
                sa.DateTime(timezone=True),
                server_default=sa.func.now(),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("release_decision", schema=None) as batch_op:
        batch_op.alter_column("decision_date", new_column_name="decided_on")


def downgrade() -> None:
    with op.batch_alter_table("release_decision", schema=None) as batch_op:
        batch_op.alter_column("decided_on", new_column_name="decision_date")
    with op.batch_alter_table("obligation_rule", schema=None) as batch_op:
        batch_op.drop_column("version")
        batch_op.drop_column("updated_at")
