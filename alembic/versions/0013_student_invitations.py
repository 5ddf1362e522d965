"""graduates' one-time links to set the password of their own account

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "student_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("password_reset", sa.Boolean(), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_student_invitation_created_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_student_invitation_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student_invitation")),
        sa.UniqueConstraint("prefix", name=op.f("uq_student_invitation_prefix")),
    )
    with op.batch_alter_table("student_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_student_invitation_student_id"), ["student_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("student_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_student_invitation_student_id"))
    op.drop_table("student_invitation")
