"""career centres' contact details on the institution; each account's preferred language

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # All optional: institutions recorded before have no contacts until someone adds them.
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("career_centre_phone", sqlmodel.sql.sqltypes.AutoString(length=16))
        )
        batch_op.add_column(
            sa.Column("career_centre_email", sqlmodel.sql.sqltypes.AutoString(length=254))
        )
        batch_op.add_column(
            sa.Column("career_centre_address", sqlmodel.sql.sqltypes.AutoString(length=300))
        )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("preferred_locale", sqlmodel.sql.sqltypes.AutoString(length=5))
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("preferred_locale")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_column("career_centre_address")
        batch_op.drop_column("career_centre_email")
        batch_op.drop_column("career_centre_phone")
