"""Password hashes, signed access tokens and API tokens."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import anyio.to_thread
import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from service.kit.config import get_settings

API_TOKEN_MARK = "srp"
LINK_PREFIX_CHARS = 12
_LINK_TOKEN = re.compile(rf"[0-9a-f]{{{LINK_PREFIX_CHARS}}}[A-Za-z0-9_-]{{43}}")


@lru_cache
def _password_hash() -> PasswordHash:
    settings = get_settings()
    return PasswordHash(
        (
            Argon2Hasher(
                time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_cost_kib
            ),
        )
    )


async def hash_password(password: str) -> str:
    # argon2 takes ~100+ ms of CPU: off the event loop.
    return await anyio.to_thread.run_sync(_password_hash().hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        # Spend the same effort as a real check so timing does not reveal the account.
        await anyio.to_thread.run_sync(_password_hash().hash, password)
        return False
    return await anyio.to_thread.run_sync(_password_hash().verify, password, password_hash)


def create_access_token(
    user_id: int,
    role: str,
    now: datetime | None = None,
    generation: int = 1,
    lifetime: timedelta | None = None,
) -> tuple[str, int]:
    """A signed token for the user, valid while the account's token generation is ``generation``
    (see ``User.token_generation``)."""
    settings = get_settings()
    issued = now or datetime.now(UTC)
    lifetime = lifetime or timedelta(minutes=settings.access_token_minutes)
    claims = {
        "sub": str(user_id),
        "role": role,
        "gen": generation,
        "iat": issued,
        "exp": issued + lifetime,
    }
    token = jwt.encode(claims, settings.secret_key, algorithm=settings.jwt_algorithm)
    return token, int(lifetime.total_seconds())


def _claims(token: str, expired_too: bool) -> dict[str, Any] | None:
    """The claims of a token this service signed (of an expired one too, if asked)."""
    settings = get_settings()
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "exp", "iat", "gen"], "verify_exp": not expired_too},
        )
    except jwt.PyJWTError:
        return None
    return claims


def decode_access_token(token: str) -> tuple[int, int] | None:
    """The user id and token generation of a valid, unexpired token; None for anything else."""
    claims = _claims(token, expired_too=False)
    try:
        return (int(claims["sub"]), int(claims["gen"])) if claims else None
    except ValueError:
        return None


def ended_session_user(token: str) -> int | None:
    """The user a genuine session token was issued to, even once it has expired: it signs no
    one in, it only tells whose work a form held when the session ended."""
    claims = _claims(token, expired_too=True)
    try:
        return int(claims["sub"]) if claims else None
    except ValueError:
        return None


@dataclass(frozen=True)
class NewApiToken:
    token: str
    prefix: str
    digest: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_token() -> NewApiToken:
    """`srp_<prefix>_<secret>`: the prefix finds the row, the digest proves the secret.

    API tokens are 256-bit random, so a fast digest is enough (unlike passwords).
    """
    prefix = secrets.token_hex(6)
    token = f"{API_TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewApiToken(token=token, prefix=prefix, digest=digest(token))


_PREFIX = re.compile(r"[A-Za-z0-9]{12}")


def split_api_token(token: str) -> str | None:
    """The prefix of something shaped like an API token, else None."""
    parts = token.split("_", 2)
    if len(parts) == 3 and parts[0] == API_TOKEN_MARK and _PREFIX.fullmatch(parts[1]):
        return parts[1]
    return None


def token_matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)


def new_link_token() -> NewApiToken:
    """The secret of a graduate's one-time link: 12 hex characters that find the row, then 256
    random bits; URL-safe, so it is a path segment as it is."""
    prefix = secrets.token_hex(LINK_PREFIX_CHARS // 2)
    token = prefix + secrets.token_urlsafe(32)
    return NewApiToken(token=token, prefix=prefix, digest=digest(token))


def split_link_token(token: str) -> str | None:
    """The prefix of something shaped like a link's secret, else None."""
    return token[:LINK_PREFIX_CHARS] if _LINK_TOKEN.fullmatch(token) else None
