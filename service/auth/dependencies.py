"""Authentication (bearer JWT or API token) and role checks, as typed dependencies."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from asgi_correlation_id import correlation_id
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from service.auth.gate import identified
from service.auth.principal import ALL_ROLES, EDITORS, STAFF_ROLES, Principal
from service.auth.signin import principal_for_token
from service.enums import ApiScope, UserRole
from service.kit.crud import get_or_404
from service.kit.errors import Forbidden, Unauthorized
from service.kit.fields import IdPath
from service.kit.i18n import _
from service.kit.log import current_user_id
from service.kit.text import N_
from service.kit.unit_of_work import Actor, SessionDep, UnitOfWorkDep
from service.models.auth import User

# Two ways to say the same `Authorization: Bearer <token>` header, so that the documentation
# offers both: a person signs in with a password (the password flow fetches the token), a
# machine pastes its API token (the bearer scheme). Either kind of token works under either.
bearer = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="Sign in with a username and password: a signed access token from "
    "/api/v1/auth/token.",
)
api_token_bearer = HTTPBearer(
    scheme_name="BearerToken",
    bearerFormat="srp_... (API token) or an access token",
    auto_error=False,
    description="Paste a token: an API token (`srp_...`) an administrator or the Financial "
    "Center created, or an access token from /api/v1/auth/token.",
)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def authenticate(
    request: Request,
    uow: UnitOfWorkDep,
    token: Annotated[str | None, Depends(bearer)],
    pasted: Annotated[HTTPAuthorizationCredentials | None, Depends(api_token_bearer)],
) -> Principal:
    token = token or (pasted.credentials if pasted is not None else None)
    if not token:
        raise Unauthorized(_("Sign in: send `Authorization: Bearer <token>`."))
    # A request with a body was signed in before it was read (``service.auth.gate``).
    principal = identified(request.scope, token) or await principal_for_token(uow.session, token)
    current_user_id.set(principal.user_id)
    needed = ApiScope.read if request.method in READ_METHODS else ApiScope.write
    if needed not in principal.scopes:
        raise Forbidden(_("The token lacks the `%(needed)s` scope.") % {"needed": needed})
    uow.actor = Actor(
        user_id=principal.user_id,
        role=principal.role,
        token_id=principal.token_id,
        request_id=correlation_id.get(),
    )
    return principal


PrincipalDep = Annotated[Principal, Depends(authenticate)]


def allow(*roles: UserRole, scope: ApiScope | None = None) -> Callable[..., Awaitable[Principal]]:
    """A dependency that admits only these roles (and, if given, an extra scope)."""
    allowed = frozenset(roles)

    async def check(principal: PrincipalDep) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(
                _("A %(principal_role)s may not do this.") % {"principal_role": principal.role}
            )
        if scope is not None and scope not in principal.scopes:
            raise Forbidden(_("The token lacks the `%(scope)s` scope.") % {"scope": scope})
        return principal

    check.allowed_roles = allowed  # type: ignore[attr-defined]
    return check


def Allow(*roles: UserRole, scope: ApiScope | None = None) -> Any:
    """``principal: Annotated[Principal, Allow(UserRole.admin)]`` in an endpoint."""
    return Depends(allow(*roles, scope=scope))


# The role sets the routes use, named once: who reads, who edits a student's records, who
# decides for the Financial Center.
Reader = Annotated[Principal, Allow(*ALL_ROLES)]
Staff = Annotated[Principal, Allow(*STAFF_ROLES)]
Editor = Annotated[Principal, Allow(*EDITORS)]
FinancialCenter = Annotated[Principal, Allow(UserRole.admin, UserRole.financial_center)]
Admin = Annotated[Principal, Allow(UserRole.admin)]


async def get_user(session: SessionDep, _admin: Admin, user_id: IdPath) -> User:
    """An account in the path; only administrators manage accounts."""
    return await get_or_404(session, User, user_id, N_("user"))


UserDep = Annotated[User, Depends(get_user)]
