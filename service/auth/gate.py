"""Who sends a request body, known before a byte of it is read.

The input guard (``service.kit.input_guard``) asks ``body_limit`` how many bytes a request
may carry before it reads any: an anonymous caller may send a small form (a sign-in, a
password), nothing more; a signed-in one a JSON document; an upload route's large limit is
only for a role that may upload there, and only for the upload's own media type. A 25 MiB
body from an unknown caller is thus refused on its ``Content-Length``, or after its first
64 KiB, never parsed.

The caller signed in here is kept in the request's scope, so ``authenticate`` does not sign
the same token in twice.
"""

from collections.abc import Callable, Collection
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from starlette.requests import cookie_parser
from starlette.types import Scope

from service.auth.principal import Principal
from service.auth.signin import principal_for_token
from service.enums import ApiScope, UserRole
from service.kit.config import get_settings
from service.kit.errors import Unauthorized
from service.kit.faults import database_fault, unavailable
from service.kit.unit_of_work import UnitOfWork

SESSION = "serpin_session"


def secure_site() -> bool:
    """Whether the service is reached over HTTPS (``SERVICE_PUBLIC_URL`` says so)."""
    return get_settings().public_url.lower().startswith("https://")


def cookie_name(name: str) -> str:
    """A cookie's name: with the ``__Host-`` prefix over HTTPS, which a browser keeps only if
    the service itself set it, Secure, for the whole host (no sibling subdomain can plant
    or shadow it)."""
    return f"__Host-{name}" if secure_site() else name


def session_cookie() -> str:
    return cookie_name(SESSION)


_IDENTIFIED = "identified_caller"


@dataclass(frozen=True)
class Upload:
    """A route that takes files or batches: its large limit is for these roles only."""

    path: str
    media_type: str
    roles: frozenset[UserRole]
    scope: ApiScope | None = None
    most_bytes: int | None = None
    """A limit of the route's own, under the import limit (a batch that holds at most so
    many rows needs no more)."""

    def admits(self, path: str, media_type: str, principal: Principal) -> bool:
        # The route itself, exactly: not whatever path begins with it.
        return (
            path == self.path
            and media_type == self.media_type
            and principal.role in self.roles
            and (self.scope is None or self.scope in principal.scopes)
        )


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def credential(scope: Scope) -> str | None:
    """The bearer token of the request, else its workspace session."""
    scheme, _, token = _header(scope, b"authorization").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return cookie_parser(_header(scope, b"cookie")).get(session_cookie()) or None


UnitsOfWork = Callable[[], AbstractAsyncContextManager[UnitOfWork]]


async def identify(scope: Scope, units_of_work: UnitsOfWork) -> Principal | None:
    """The account the request signs in as (None: anonymous, or a token not valid), in a
    unit of work of its own; a database outage is a 503."""
    token = credential(scope)
    if token is None:
        return None
    try:
        async with units_of_work() as uow:
            principal = await principal_for_token(uow.session, token)
    except Unauthorized:
        return None
    except Exception as exc:
        fault = database_fault(exc)
        if fault is None:
            raise
        raise unavailable(fault, scope.get("method", ""), scope.get("path", "")) from exc
    scope.setdefault("state", {})[_IDENTIFIED] = (token, principal)
    return principal


def identified(scope: Scope, token: str) -> Principal | None:
    """The principal ``identify`` signed ``token`` in as for this request, if it did."""
    found: Any = scope.get("state", {}).get(_IDENTIFIED)
    return found[1] if found is not None and found[0] == token else None


def _media_type(scope: Scope) -> str:
    return _header(scope, b"content-type").partition(";")[0].strip().lower()


async def body_limit(scope: Scope, uploads: Collection[Upload], units_of_work: UnitsOfWork) -> int:
    """How many bytes this request's body may hold, decided before any is read."""
    settings = get_settings()
    principal = await identify(scope, units_of_work)
    if principal is None:
        return settings.max_anonymous_body_bytes
    path, media_type = scope.get("path", ""), _media_type(scope)
    for upload in uploads:
        if upload.admits(path, media_type, principal):
            return min(settings.max_import_body_bytes, upload.most_bytes or 2**62)
    return settings.max_body_bytes
