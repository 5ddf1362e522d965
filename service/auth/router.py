from typing import Annotated

from fastapi import Depends, Query, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from service.auth import service as auth_service
from service.auth.dependencies import Admin, FinancialCenter, PrincipalDep, UserDep
from service.auth.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    Me,
    TokenResponse,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from service.enums import UserRole
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.crud import get_or_404
from service.kit.errors import TooManyRequests, Unauthorized, problem_for, problem_responses
from service.kit.fields import IdPath
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.text import N_
from service.kit.unit_of_work import SessionDep
from service.models.auth import ApiToken, User

router = Router(tags=["auth"])


def client_address(request: Request) -> str:
    """The client's address: the connection's, or what a trusted proxy says it is (the proxy
    headers middleware, configured by ``forwarded_allow_ips``, has rewritten it already)."""
    return request.client.host[:100] if request.client else "unknown"


@router.post(
    "/auth/token",
    summary="Sign in (OAuth2 password flow) for a short-lived access token",
    response_model=TokenResponse,
    responses=problem_responses(401, 429),
)
async def sign_in(
    request: Request, session: SessionDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Response | TokenResponse:
    try:
        token, expires_in = await auth_service.sign_in(
            session, form.username, form.password, client_address(request)
        )
    except (Unauthorized, TooManyRequests) as refused:
        # Returned, not raised: the unit of work commits the failure count with the refusal.
        return problem_for(refused, request)
    return TokenResponse(access_token=token, expires_in=expires_in)


@router.get("/auth/me", summary="Who am I", responses=problem_responses(401))
async def me(session: SessionDep, principal: PrincipalDep) -> Me:
    user = await get_or_404(session, User, principal.user_id, N_("user"))
    return Me(
        user=UserPublic.model_validate(user),
        scopes=sorted(principal.scopes),
        token_id=principal.token_id,
    )


@router.get("/users", summary="List users", responses=problem_responses(401, 403))
async def list_users(
    session: SessionDep,
    _admin: Admin,
    page: PageDep,
    role: Annotated[UserRole | None, Query()] = None,
) -> Page[UserPublic]:
    rows, cursor = await auth_service.list_users(session, page, role)
    return Page(items=[UserPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses=problem_responses(401, 403, 409),
)
async def create_user(
    session: SessionDep, _admin: Admin, data: UserCreate, response: Response
) -> UserPublic:
    user = await auth_service.create_user(session, data)
    set_etag(response, user)
    return UserPublic.model_validate(user)


@router.get("/users/{user_id}", summary="Get a user", responses=problem_responses(401, 403, 404))
async def get_user(user: UserDep, response: Response) -> UserPublic:
    set_etag(response, user)
    return UserPublic.model_validate(user)


@router.patch(
    "/users/{user_id}",
    summary="Update a user (name, password, active)",
    responses=problem_responses(401, 403, 404, 412, 428),
)
async def update_user(
    session: SessionDep,
    user: UserDep,
    data: UserUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> UserPublic:
    await claim_version(session, user, if_match)
    await auth_service.update_user(session, user, data)
    set_etag(response, user)
    return UserPublic.model_validate(user)


@router.get(
    "/api-tokens",
    summary="List API tokens (the Financial Center: its own)",
    responses=problem_responses(401, 403),
)
async def list_api_tokens(
    session: SessionDep, principal: FinancialCenter, page: PageDep
) -> Page[ApiTokenPublic]:
    rows, cursor = await auth_service.list_api_tokens(session, page, principal)
    return Page(items=[ApiTokenPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/api-tokens",
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token (the secret is shown once)",
    description="An administrator creates one for any account; the Financial Center, for its "
    "own account, for its systems to pull with.",
    responses=problem_responses(401, 403),
)
async def create_api_token(
    session: SessionDep, principal: FinancialCenter, data: ApiTokenCreate
) -> ApiTokenCreated:
    created = await auth_service.create_api_token(session, data, principal)
    return created


@router.post(
    "/api-tokens/{token_id}/revoke",
    summary="Revoke an API token",
    responses=problem_responses(401, 403, 404, 409),
)
async def revoke_api_token(
    session: SessionDep, principal: FinancialCenter, token_id: IdPath
) -> ApiTokenPublic:
    row: ApiToken = await auth_service.revoke_api_token(session, token_id, principal)
    return ApiTokenPublic.model_validate(row)
