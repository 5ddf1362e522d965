"""the caseload reads each student's worst risk from an index

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("risk_flag", schema=None) as batch_op:
        batch_op.create_index(
            "ix_risk_flag_institution_id_student_id",
            ["institution_id", "student_id"],
            unique=False,
            postgresql_include=["priority", "due_key", "severity"],
        )


def downgrade() -> None:
    with op.batch_alter_table("risk_flag", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_flag_institution_id_student_id")
