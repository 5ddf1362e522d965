"""access tokens end with their account's generation; employers know who registered them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 14:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_generation", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_employer_registered_by_user_id_app_user"),
            "app_user",
            ["registered_by_user_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_employer_registered_by_user_id_app_user"), type_="foreignkey"
        )
        batch_op.drop_column("registered_by_user_id")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("token_generation")
