"""Who is signed in to the workspace, and the form token that proves a form came from it.

The session is the API's own signed access token, kept in an HttpOnly, SameSite=Lax cookie
(Secure over HTTPS) and checked by the API's ``authenticate``: one sign-in, one lockout, one
way to end a session (a new token generation). Every form carries a token equal to a second,
random cookie (double submit); a page from another site can send neither.
"""

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from service.auth.dependencies import authenticate
from service.auth.gate import SESSION_COOKIE
from service.auth.principal import STAFF_ROLES, Principal
from service.enums import UserRole
from service.kit.errors import Forbidden, Unauthorized
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import UnitOfWorkDep

PREFIX = "/app"
CSRF_COOKIE = "serpin_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequired(Exception):
    """Not signed in (or the session ended): the page sends the browser to sign in."""


@dataclass
class PageState:
    principal: Principal | None
    csrf_token: str
    new_csrf: bool


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/app",
    )


async def _check_form_token(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not expected or not secrets.compare_digest(sent, expected):
        raise Forbidden(_("The form has expired. Reload the page and try again."))


async def page_state(request: Request, uow: UnitOfWorkDep) -> PageState:
    """The page's signed-in user (or none) and form token; a form sent without the right
    token is refused before anything else happens."""
    csrf = request.cookies.get(CSRF_COOKIE, "")
    if request.method in UNSAFE_METHODS:
        await _check_form_token(request, csrf)
    principal = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            principal = await authenticate(request, uow, token, None)
        except (Unauthorized, Forbidden):
            principal = None
    state = PageState(principal, csrf or secrets.token_urlsafe(32), not csrf)
    request.state.page = state
    return state


PageStateDep = Annotated[PageState, Depends(page_state)]


def _signed_in(state: PageStateDep) -> Principal:
    if state.principal is None:
        raise SignInRequired
    return state.principal


def require_staff(principal: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    if principal.role not in STAFF_ROLES:
        raise Forbidden(_("These pages are for career centres and the Financial Center."))
    return principal


def require_monitor(principal: Annotated[Principal, Depends(require_staff)]) -> Principal:
    if not principal.sees_everything:
        raise Forbidden(_("Only the Financial Center records these decisions."))
    return principal


def require_student(principal: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    """A graduate's own pages: only for a student account bound to a student record."""
    if principal.role != UserRole.student or principal.student_id is None:
        raise Forbidden(_("These pages are for graduates, about their own obligation."))
    return principal


StaffPage = Annotated[Principal, Depends(require_staff)]
MonitorPage = Annotated[Principal, Depends(require_monitor)]
StudentPage = Annotated[Principal, Depends(require_student)]


def is_editor(principal: Principal) -> bool:
    return principal.role in (UserRole.admin, UserRole.career_centre)
