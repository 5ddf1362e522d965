"""Who is signed in to the workspace, and the form token that proves a form came from it.

The session is the API's own signed access token, kept in an HttpOnly, SameSite=Lax cookie
(Secure and ``__Host-`` over HTTPS) and checked by the API's ``authenticate``: one sign-in,
one lockout, one way to end a session (a new token generation).

A form sent to the workspace must come from it, twice over:

- its ``Origin`` (or, without one, its ``Referer``) is the service's own; a browser names
  the page a cross-site form was sent from, and a request naming none is no browser's form;
- it carries the form token: a random cookie of the browser signed, with the secret key,
  together with the browser's session. A cookie planted by another site (a sibling
  subdomain, a plain-HTTP answer) is worth nothing without the signature, and a token read
  off one session serves no other.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response

from service.auth.credentials import ended_session_user
from service.auth.dependencies import authenticate
from service.auth.gate import cookie_name, secure_site, session_cookie
from service.auth.principal import STAFF_ROLES, Principal
from service.enums import UserRole
from service.kit.config import get_settings
from service.kit.errors import Forbidden, Unauthorized
from service.kit.i18n import gettext as _
from service.kit.routing import Router, UnitOfWorkRoute
from service.kit.unit_of_work import UnitOfWorkDep

PREFIX = "/app"
CSRF = "serpin_csrf"
DRAFT = "serpin_draft"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


ENDED_GRACE = 12 * 3600
"""How long the session cookie outlives its token: long enough to tell, when a form comes
after the session ended, whose work it was (``ui/drafts.py``); it signs no one in."""


class SignInRequired(Exception):
    """Not signed in (or the session ended): the page sends the browser to sign in; a form
    sent after the session ended comes with its fields, to be kept as a draft."""

    def __init__(
        self, ended_user_id: int | None = None, fields: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__()
        self.ended_user_id = ended_user_id
        self.fields = fields


@dataclass
class PageState:
    principal: Principal | None
    csrf_token: str
    """What the page's forms carry: ``csrf_nonce`` signed with the session."""
    csrf_nonce: str
    new_csrf: bool
    ended_user_id: int | None = None
    """The account whose session ended on this browser (its cookie outlives the token)."""
    draft_done: bool = False


def csrf_cookie() -> str:
    return cookie_name(CSRF)


def draft_cookie() -> str:
    return cookie_name(DRAFT)


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or secure_site()


def set_cookie(request: Request, response: Response, name: str, value: str, age: int) -> None:
    # A __Host- cookie must be for the whole host; otherwise the workspace's pages only.
    response.set_cookie(
        name,
        value,
        max_age=age,
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/" if name.startswith("__Host-") else PREFIX,
    )


def start_session(request: Request, response: Response, token: str, seconds: int) -> None:
    set_cookie(request, response, session_cookie(), token, seconds + ENDED_GRACE)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of the workspace, never another site."""
    if target and target.startswith(PREFIX) and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return PREFIX


def delete_cookie(response: Response, name: str) -> None:
    response.delete_cookie(
        name,
        path="/" if name.startswith("__Host-") else PREFIX,
        secure=name.startswith("__Host-"),
    )


def form_token(nonce: str, session: str | None) -> str:
    """The token of a browser's forms: its random cookie signed together with its session."""
    key = get_settings().secret_key.encode()
    signed = hmac.new(key, f"form|{nonce}|{session or ''}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(signed).decode().rstrip("=")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_this_site(request: Request) -> bool:
    """Whether an unsafe request names the service as where it was sent from (a request that
    names no page at all is no browser's cross-site form)."""
    named = request.headers.get("origin") or request.headers.get("referer")
    if named is None:
        return True
    own = get_settings().public_url or str(request.base_url)
    return named.lower() != "null" and _origin(named) == _origin(own)


async def _check_form(request: Request, nonce: str, session: str | None) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    expected = form_token(nonce, session) if nonce else ""
    if (
        not from_this_site(request)
        or not sent
        or not expected
        or not secrets.compare_digest(sent, expected)
    ):
        raise Forbidden(_("The form has expired. Reload the page and try again."))


async def page_state(request: Request, uow: UnitOfWorkDep) -> PageState:
    """The page's signed-in user (or none) and form token; a form sent from elsewhere, or
    without the right token, is refused before anything else happens."""
    nonce = request.cookies.get(csrf_cookie(), "")
    token = request.cookies.get(session_cookie())
    if request.method in UNSAFE_METHODS:
        await _check_form(request, nonce, token)
    principal, ended = None, None
    if token:
        try:
            principal = await authenticate(request, uow, token, None)
        except (Unauthorized, Forbidden):
            ended = ended_session_user(token)
    fresh = not nonce
    nonce = nonce or secrets.token_urlsafe(32)
    state = PageState(principal, form_token(nonce, token), nonce, fresh, ended)
    # A form sent by the signed-in account: a draft shown beside it is done with.
    state.draft_done = bool(
        request.method in UNSAFE_METHODS and principal and request.cookies.get(draft_cookie())
    )
    request.state.page = state
    return state


PageStateDep = Annotated[PageState, Depends(page_state)]


async def _signed_in(request: Request, state: PageStateDep) -> Principal:
    if state.principal is None:
        fields = None
        if request.method in UNSAFE_METHODS and state.ended_user_id is not None:
            form = await request.form()
            fields = [
                (k, v) for k, v in form.multi_items() if isinstance(v, str) and k != CSRF_FIELD
            ]
        raise SignInRequired(state.ended_user_id, fields)
    return state.principal


def require_staff(principal: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    if principal.role not in STAFF_ROLES:
        raise Forbidden(_("These pages are for career centres and the Financial Center."))
    return principal


def require_monitor(principal: Annotated[Principal, Depends(require_staff)]) -> Principal:
    if not principal.sees_everything:
        raise Forbidden(_("These pages are for the Financial Center."))
    return principal


def require_student(principal: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    """A graduate's own pages: only for a student account bound to a student record."""
    if principal.role != UserRole.student or principal.student_id is None:
        raise Forbidden(_("These pages are for graduates, about their own obligation."))
    return principal


StaffPage = Annotated[Principal, Depends(require_staff)]
MonitorPage = Annotated[Principal, Depends(require_monitor)]
StudentPage = Annotated[Principal, Depends(require_student)]


class PageRoute(UnitOfWorkRoute):
    """A page's route: besides the unit of work's hand-over, it drops a kept draft once the
    signed-in account has sent a form (whatever the page answers: a redirect or the form)."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            response: Response = await handler(request)
            page = getattr(request.state, "page", None)
            if page is not None and page.draft_done:
                delete_cookie(response, draft_cookie())
            return response

        return run


def page_router(prefix: str = PREFIX) -> Router:
    return Router(prefix=prefix, include_in_schema=False, route_class=PageRoute)
