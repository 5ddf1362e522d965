from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, StringConstraints
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from service.enums import ApiScope, UserRole
from service.kit.fields import MAX_ID, Name, example
from service.models.auth import UserBase

Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=3,
        max_length=100,
        pattern=r"^[a-z0-9][a-z0-9._@-]*$",
    ),
]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class UserCreate(SQLModel):
    model_config = example(
        {
            "username": "cc-kokshetau",
            "full_name": "Dana Abenova",
            "role": "career_centre",
            "password": "a-long-passphrase-of-her-own",
            "institution_id": 3,
        }
    )

    username: Username
    full_name: Name
    role: UserRole
    password: Password | None = Field(
        default=None, description="Omit for a machine account that signs in only by API token."
    )
    institution_id: Id | None = Field(default=None, description="Required for career_centre.")
    student_id: Id | None = Field(default=None, description="Required for student.")


class UserUpdate(SQLModel):
    """A new password, a deactivation or a new role ends every access token issued before."""

    model_config = example({"is_active": False})

    full_name: Name | None = None
    password: Password | None = None
    is_active: bool | None = None
    role: UserRole | None = None
    institution_id: Id | None = Field(default=None, description="With role career_centre.")
    student_id: Id | None = Field(default=None, description="With role student.")


class UserPublic(UserBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int
    last_login_at: datetime | None


class TokenResponse(SQLModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class ApiTokenCreate(SQLModel):
    model_config = example(
        {
            "name": "Financial Center nightly pull",
            "user_id": 2,
            "scopes": ["read", "monitoring"],
            "expires_at": "2027-01-01T00:00:00Z",
        }
    )

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    user_id: Id | None = Field(
        default=None,
        description="The account whose role and data scope the token acts with; default: "
        "the caller's own.",
    )
    scopes: list[ApiScope] = Field(min_length=1)
    # Past 2100 a time zone's offset could carry it out of the datetime range.
    expires_at: (
        Annotated[AwareDatetime, PydanticField(lt=datetime(2100, 1, 1, tzinfo=UTC))] | None
    ) = Field(
        default=None,
        description="When the token stops working, with its time zone; at the latest in 2099.",
    )


class ApiTokenPublic(SQLModel):
    id: int
    name: str
    prefix: str
    user_id: int
    scopes: list[ApiScope]
    created_by_user_id: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="The secret, shown this once only.")


class Me(SQLModel):
    user: UserPublic
    scopes: list[ApiScope]
    token_id: int | None
