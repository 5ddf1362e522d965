"""records entered by mistake are voided, not erased

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "employment",
    "residence_registration",
    "housing_arrangement",
    "housing_support_application",
    "suspension",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("voided_by_user_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("void_reason", sa.String(length=500), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_voided_by_user_id_app_user"),
                "app_user",
                ["voided_by_user_id"],
                ["id"],
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_voided_by_user_id_app_user"), type_="foreignkey"
            )
            batch_op.drop_column("void_reason")
            batch_op.drop_column("voided_by_user_id")
            batch_op.drop_column("voided_at")
