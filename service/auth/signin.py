"""Who a token signs in as: an access token (signed, of the account's current generation) or
an API token (looked up by its prefix, its hash compared)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import decode_access_token, split_api_token, token_matches
from service.auth.principal import ROLE_SCOPES, Principal
from service.enums import ApiScope
from service.kit.errors import Unauthorized
from service.kit.i18n import _
from service.models.auth import ApiToken, User

LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_CHARS = 4096


async def _from_api_token(session: AsyncSession, token: str, prefix: str) -> Principal:
    row = (await session.exec(select(ApiToken).where(ApiToken.prefix == prefix))).first()
    now = datetime.now(UTC)
    if (
        row is None
        or not token_matches(token, row.token_hash)
        or row.revoked_at is not None
        or row.expired(now)
    ):
        raise Unauthorized(_("The API token is not valid."))
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthorized(_("The API token's account is disabled."))
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        # A Core update: recording use is not a change of the token worth auditing.
        table: Any = ApiToken.__table__  # type: ignore[attr-defined]
        await session.exec(sa.update(table).where(table.c.id == row.id).values(last_used_at=now))
    scopes = frozenset(ApiScope(s) for s in row.scopes) & ROLE_SCOPES[user.role]
    return _principal(user, scopes, row.id)


def _principal(user: User, scopes: frozenset[ApiScope], token_id: int | None) -> Principal:
    assert user.id is not None
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        institution_id=user.institution_id,
        student_id=user.student_id,
        scopes=scopes,
        token_id=token_id,
    )


async def principal_for_token(session: AsyncSession, token: str) -> Principal:
    """The account an access token or API token signs in as; Unauthorized for any other."""
    # Tokens are printable ASCII: anything else (a NUL a quoted cookie decoded) is no token,
    # and must not reach a query (PostgreSQL refuses NUL).
    if not (token.isascii() and token.isprintable()) or len(token) > MAX_TOKEN_CHARS:
        raise Unauthorized(_("The access token is not valid or has expired."))
    prefix = split_api_token(token)
    if prefix is not None:
        return await _from_api_token(session, token, prefix)
    claims = decode_access_token(token)
    user = await session.get(User, claims[0]) if claims is not None else None
    # A token of an earlier generation was issued before a new password, a deactivation or
    # a change of role: it ended with them.
    if user is None or not user.is_active or claims is None or claims[1] != user.token_generation:
        raise Unauthorized(_("The access token is not valid or has expired."))
    return _principal(user, ROLE_SCOPES[user.role], None)
