"""Signing in and out of the workspace, and choosing its language."""

from datetime import timedelta
from typing import Annotated

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from service.auth import service as auth_service
from service.auth.gate import session_cookie
from service.auth.router import client_address
from service.enums import UserRole
from service.kit.config import get_settings
from service.kit.errors import NotFound, TooManyRequests, Unauthorized
from service.kit.i18n import LOCALE_COOKIE, LOCALES
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import UnitOfWorkDep
from service.ui import drafts
from service.ui.session import (
    PageStateDep,
    SignInRequired,
    delete_cookie,
    page_router,
    safe_next,
    start_session,
)
from service.ui.templating import render

router = page_router()
YEAR = 365 * 24 * 3600


@router.get("")
async def home(state: PageStateDep) -> Response:
    if state.principal is None:
        raise SignInRequired
    if state.principal.sees_everything:
        return RedirectResponse("/app/dashboard", status_code=303)
    if state.principal.role == UserRole.student:
        return RedirectResponse("/app/me", status_code=303)
    return RedirectResponse("/app/caseload", status_code=303)


@router.get("/sign-in")
async def sign_in_page(
    request: Request,
    _state: PageStateDep,
    next: Annotated[str | None, Query(max_length=500)] = None,
    ended: bool = False,
    kept: bool = False,
) -> Response:
    context = {"next": safe_next(next), "error": None, "ended": ended, "kept": kept}
    return render(request, "sign_in.html", context)


@router.post("/sign-in")
async def sign_in(
    request: Request,
    uow: UnitOfWorkDep,
    _state: PageStateDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    settings = get_settings()
    lifetime = timedelta(minutes=settings.session_minutes)
    try:
        token, seconds = await auth_service.sign_in(
            uow.session, username, password, client_address(request), lifetime
        )
    except (Unauthorized, TooManyRequests) as refused:
        # Rendered, not raised: the failure count is committed with the refusal.
        context = {
            "next": safe_next(next),
            "error": refused.detail,
            "username": username,
            "ended": False,
            "kept": False,
        }
        page = render(request, "sign_in.html", context, refused.status)
        if isinstance(refused, TooManyRequests) and refused.headers:
            page.headers.update(refused.headers)
        return page
    signed_in = RedirectResponse(safe_next(next), status_code=303)
    start_session(request, signed_in, token, seconds)
    preferred = await auth_service.preferred_locale(uow.session, username)
    if preferred is not None and preferred in LOCALES:
        # The language the account chose last time, on whatever browser it signs in from.
        _remember_language(request, signed_in, preferred)
    return signed_in


@router.post("/sign-out")
async def sign_out(request: Request, uow: UnitOfWorkDep, state: PageStateDep) -> Response:
    if state.principal is not None:
        await auth_service.sign_out(uow.session, state.principal.user_id)
    response = RedirectResponse("/app/sign-in", status_code=303)
    delete_cookie(response, session_cookie())
    return response


def _remember_language(request: Request, response: Response, lang: str) -> None:
    response.set_cookie(
        LOCALE_COOKIE, lang, max_age=YEAR, samesite="lax", secure=request.url.scheme == "https"
    )


@router.get("/language")
async def choose_language(
    request: Request,
    uow: UnitOfWorkDep,
    state: PageStateDep,
    lang: Annotated[str, Query(max_length=5)],
    next: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """A preference, not a change of data: a plain link may set it. A signed-in account keeps
    it, so the next sign-in (from any browser) opens in the same language."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LOCALES:
        _remember_language(request, response, lang)
        if state.principal is not None:
            await auth_service.keep_locale(uow.session, state.principal.user_id, lang)
    return response


@router.post("/draft/discard")
async def discard_draft(
    _state: PageStateDep, next: Annotated[str | None, Form(max_length=500)] = None
) -> Response:
    """Drop the form kept when the session ended, and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    drafts.forget(response)
    return response


# Registered last (``ui/router.py``): a workspace address no page answers is a page too,
# with the reader signed in as on any other, so it keeps the menu and the name.
missing = page_router()


@missing.get("/{rest:path}")
async def no_such_page(_state: PageStateDep, rest: str) -> Response:
    raise NotFound(_("There is no such page in the workspace."))
