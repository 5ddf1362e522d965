from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth import throttle
from service.auth.credentials import (
    create_access_token,
    hash_password,
    new_api_token,
    verify_password,
)
from service.auth.principal import Principal
from service.auth.schemas import ApiTokenCreate, ApiTokenCreated, UserCreate, UserUpdate
from service.enums import UserRole
from service.kit.crud import require_refs, require_unique
from service.kit.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from service.kit.i18n import _
from service.kit.pagination import PageParams, paginate
from service.models.auth import ApiToken, User
from service.models.organisations import Institution
from service.models.students import Student


def _check_binding(role: UserRole, institution_id: int | None, student_id: int | None) -> None:
    wants_institution = role == UserRole.career_centre
    wants_student = role == UserRole.student
    if wants_institution != (institution_id is not None):
        raise InvalidInput.field(
            "body.institution_id",
            _("A career_centre user is bound to one institution; other roles to none."),
            "role_binding",
        )
    if wants_student != (student_id is not None):
        raise InvalidInput.field(
            "body.student_id",
            _("A student user is bound to one student record; other roles to none."),
            "role_binding",
        )


async def create_user(session: AsyncSession, data: UserCreate) -> User:
    _check_binding(data.role, data.institution_id, data.student_id)
    await require_refs(
        session,
        {
            "institution_id": (Institution, data.institution_id),
            "student_id": (Student, data.student_id),
        },
    )
    await require_unique(session, User, "username", data.username, None)
    if data.student_id is not None:
        await require_unique(session, User, "student_id", data.student_id, None)
    user = User.model_validate(
        data.model_dump(exclude={"password"}),
        update={"password_hash": await hash_password(data.password) if data.password else None},
    )
    session.add(user)
    await session.flush()
    return user


async def update_user(session: AsyncSession, user: User, data: UserUpdate) -> User:
    changes = data.model_dump(exclude_unset=True, exclude={"password"})
    if any(changes.get(k, "") is None for k in ("full_name", "is_active", "role")):
        raise InvalidInput.field("body", _("full_name, is_active and role cannot be null."), "null")
    role = changes.get("role", user.role)
    institution_id = changes.get("institution_id", user.institution_id)
    student_id = changes.get("student_id", user.student_id)
    rebound = (role, institution_id, student_id) != (
        user.role,
        user.institution_id,
        user.student_id,
    )
    if rebound:
        _check_binding(role, institution_id, student_id)
        await require_refs(
            session,
            {"institution_id": (Institution, institution_id), "student_id": (Student, student_id)},
        )
        if student_id is not None:
            await require_unique(session, User, "student_id", student_id, user.id)
    deactivated = changes.get("is_active", user.is_active) != user.is_active
    user.sqlmodel_update(changes)
    if data.password is not None:
        user.password_hash = await hash_password(data.password)
    if rebound or deactivated or data.password is not None:
        user.token_generation += 1
    session.add(user)
    await session.flush()
    return user


async def sign_in(
    session: AsyncSession,
    username: str,
    password: str,
    address: str,
    lifetime: timedelta | None = None,
) -> tuple[str, int]:
    """A signed access token for valid credentials; throttled per account and address (see
    ``throttle``): the caller commits the failure count with the refusal."""
    now = datetime.now(UTC)
    keys = throttle.Keys.of(username, address)
    wait = await throttle.admit(session, keys, now)
    if wait:
        raise TooManyRequests(_("Too many failed sign-ins; try again later."), wait)
    user = (await session.exec(select(User).where(User.username == username.lower()))).first()
    valid = await verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        await throttle.record_failure(session, keys, now)
        raise Unauthorized(_("Wrong username or password."))
    await throttle.clear(session, keys)
    user.last_login_at = now
    session.add(user)
    await session.flush()
    assert user.id is not None
    return create_access_token(user.id, user.role, now, user.token_generation, lifetime)


async def create_api_token(
    session: AsyncSession, data: ApiTokenCreate, creator: Principal | None
) -> ApiTokenCreated:
    """A token for ``data.user_id`` (default: the creator's own account); ``creator`` None is
    the deployment's command line, which always names the account."""
    user_id = data.user_id or (creator.user_id if creator is not None else None)
    if creator is not None and creator.role != UserRole.admin and user_id != creator.user_id:
        raise Forbidden(_("The Financial Center creates API tokens for its own account only."))
    owner = await session.get(User, user_id) if user_id is not None else None
    if owner is None:
        raise InvalidInput.field(
            "body.user_id",
            _("No user %(user_id)s.") % {"user_id": user_id},
            "unknown_reference",
        )
    assert user_id is not None  # an owner was found by it
    if data.expires_at is not None and data.expires_at <= datetime.now(UTC):
        raise InvalidInput.field("body.expires_at", _("The expiry is in the past."), "date_order")
    fresh = new_api_token()
    row = ApiToken(
        name=data.name,
        prefix=fresh.prefix,
        token_hash=fresh.digest,
        user_id=user_id,
        scopes=sorted({s.value for s in data.scopes}),
        created_by_user_id=creator.user_id if creator else None,
        expires_at=data.expires_at,
    )
    session.add(row)
    await session.flush()
    return ApiTokenCreated.model_validate(row, update={"token": fresh.token})


async def revoke_api_token(session: AsyncSession, token_id: int, principal: Principal) -> ApiToken:
    row = await session.get(ApiToken, token_id)
    if row is None or (principal.role != UserRole.admin and row.user_id != principal.user_id):
        raise NotFound(_("No API token %(token_id)s.") % {"token_id": token_id})
    if row.revoked_at is not None:
        raise Conflict(_("API token %(token_id)s is already revoked.") % {"token_id": token_id})
    row.revoked_at = datetime.now(UTC)
    session.add(row)
    await session.flush()
    return row


async def list_users(
    session: AsyncSession, page: PageParams, role: UserRole | None
) -> tuple[list[User], str | None]:
    statement = select(User)
    if role is not None:
        statement = statement.where(User.role == role)
    return await paginate(session, statement, page, [col(User.id)])


async def list_api_tokens(
    session: AsyncSession, page: PageParams, principal: Principal
) -> tuple[list[ApiToken], str | None]:
    statement = select(ApiToken)
    if principal.role != UserRole.admin:
        statement = statement.where(ApiToken.user_id == principal.user_id)
    return await paginate(session, statement, page, [col(ApiToken.id)])


async def sign_out(session: AsyncSession, user_id: int) -> None:
    """End every signed session and access token of the account (a browser's cookie holds
    one): a copy of the cookie taken before is worthless after."""
    user = await session.get(User, user_id)
    if user is not None:
        user.token_generation += 1
        session.add(user)
        await session.flush()


async def preferred_locale(session: AsyncSession, username: str) -> str | None:
    """The language the account chose last, to greet it in on any browser."""
    statement = select(User.preferred_locale).where(User.username == username.lower())
    return (await session.exec(statement)).first()


async def keep_locale(session: AsyncSession, user_id: int, locale: str) -> None:
    """Keep the language an account chose, for its next sign-in from any browser."""
    user = await session.get(User, user_id)
    if user is not None and user.preferred_locale != locale:
        user.preferred_locale = locale
        session.add(user)
