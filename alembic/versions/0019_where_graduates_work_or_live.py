"""where graduates work or live, beside the institution's region

Statistics, the dashboard and the exports grouped graduates by their institution's region
only; the programme's question is where the specialists work and live. Each stored
evaluation keeps that region too. Existing rows hold none until their next evaluation (the
daily rescan, or any change to the student).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 11:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("obligation", "risk_flag")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "present_region_code",
                    sqlmodel.sql.sqltypes.AutoString(length=8),
                    nullable=True,
                )
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("present_region_code")
