"""People and machines that use the service, and the state that throttles sign-in."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.enums import UserRole
from service.kit.db import UTCDateTime
from service.kit.model_base import TimestampedTable, created_at_field, enum_type


class UserBase(SQLModel):
    username: str = Field(max_length=100, unique=True)
    full_name: str = Field(max_length=200)
    role: UserRole = Field(sa_type=enum_type(UserRole))
    institution_id: int | None = Field(default=None, foreign_key="institution.id", index=True)
    student_id: int | None = Field(default=None, foreign_key="student.id", unique=True)
    is_active: bool = True


class User(UserBase, TimestampedTable, table=True):
    __tablename__ = "app_user"
    __table_args__ = (
        sa.CheckConstraint(
            "role != 'career_centre' OR institution_id IS NOT NULL",
            name="career_centre_institution",
        ),
        sa.CheckConstraint("role != 'student' OR student_id IS NOT NULL", name="student_record"),
    )

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str | None = Field(default=None, max_length=255)
    token_generation: int = Field(
        default=1,
        sa_column_kwargs={"server_default": "1", "nullable": False},
        description="Access tokens carry it; a new password, a deactivation or a new role "
        "bumps it, and every token issued before stops working at once.",
    )
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    preferred_locale: str | None = Field(
        default=None,
        max_length=5,
        description="The language the user last chose; applied when they sign in.",
    )


class ApiToken(SQLModel, table=True):
    """A machine's credential: shown once, stored as a SHA-256 digest, scoped, revocable."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, unique=True)
    token_hash: str = Field(max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    scopes: list[str] = Field(sa_type=sa.JSON)
    created_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created_at_field()
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def expired(self, now: datetime) -> bool:
        """Past its last moment (sign-in refuses it; the token page says so)."""
        return self.expires_at is not None and self.expires_at <= now


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per account or per client address, kept in the database so the
    limit holds across workers."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=200)
    failures: int = 0
    window_started_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StudentInvitation(SQLModel, table=True):
    """A one-time link for a graduate to set the password of their own account (a first
    invitation, or a password reset). The secret is shown once to the staff who asked for it;
    only its SHA-256 digest is kept, found by its prefix (as an API token's)."""

    __tablename__ = "student_invitation"

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    password_reset: bool = Field(
        description="False: the first account of the graduate; true: a new password for it."
    )
    prefix: str = Field(max_length=16, unique=True)
    token_hash: str = Field(max_length=64)
    created_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="A newer link for the graduate replaced it."
    )
