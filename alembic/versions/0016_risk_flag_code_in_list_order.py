"""a risk list filtered by code reads its page from an index in list order

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 04:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("risk_flag", schema=None) as batch_op:
        batch_op.create_index(
            "ix_risk_flag_code_priority_due_key_id",
            ["code", "priority", "due_key", "id"],
            unique=False,
        )
        batch_op.drop_index("ix_risk_flag_code_priority")


def downgrade() -> None:
    with op.batch_alter_table("risk_flag", schema=None) as batch_op:
        batch_op.create_index("ix_risk_flag_code_priority", ["code", "priority"], unique=False)
        batch_op.drop_index("ix_risk_flag_code_priority_due_key_id")
