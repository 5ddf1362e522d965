"""stored evaluations keep one foreign key, to their student

The obligation and risk-flag rows are derived: rewritten with a student's records in the
unit of work that changed them, from the rows it read. Their enrolment, institution and
programme columns copy the enrolment's, which has its own foreign keys; checking each copy
again on every written row is a lookup per row in a bulk import's commit.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 15:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPIED = (
    ("enrolment_id", "enrolment"),
    ("institution_id", "institution"),
    ("programme_id", "programme"),
)
TABLES = ("obligation", "risk_flag")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, parent in COPIED:
                batch_op.drop_constraint(
                    batch_op.f(f"fk_{table}_{column}_{parent}"), type_="foreignkey"
                )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, parent in COPIED:
                batch_op.create_foreign_key(
                    batch_op.f(f"fk_{table}_{column}_{parent}"), parent, [column], ["id"]
                )
