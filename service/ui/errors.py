"""Errors on pages are pages: a 404 or 403 the reader understands, a form token that expired,
a sign-in when the session has ended. The API keeps its problem documents: these handlers
answer for paths under ``/app`` and hand every other path to the handler they replace."""

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.kit.errors import ProblemError, Unauthorized
from service.kit.i18n import gettext as _
from service.ui import drafts
from service.ui.session import PREFIX, SignInRequired, safe_next
from service.ui.templating import render

Handler = Callable[[Request, Any], Awaitable[Response]]
Previous = Callable[[Request, Any], Any]


def is_page(request: Request) -> bool:
    path = request.url.path
    return (path == PREFIX or path.startswith(PREFIX + "/")) and not path.startswith(
        PREFIX + "/static/"
    )


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        403: _("You may not open this page"),
        404: _("Not found"),
        409: _("This change conflicts with the record"),
        422: _("Some fields need correcting"),
        429: _("Too many attempts"),
        503: _("The service is briefly unavailable"),
    }


def error_page(request: Request, status: int, detail: str | None) -> Response:
    title = _titles().get(status, HTTPStatus(status).phrase)
    response = render(
        request, "error.html", {"status": status, "title": title, "detail": detail}, status
    )
    return response


def _page_shown(request: Request) -> str:
    """The page to come back to after signing in: the one asked for, or for a form or an
    htmx request the page it was sent from (never a form's POST address)."""
    if request.method == "GET" and request.headers.get("HX-Request") != "true":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    shown = request.headers.get("HX-Current-URL") or request.headers.get("referer") or ""
    parts = urlsplit(shown)
    own = urlsplit(str(request.base_url))
    if parts.netloc and parts.netloc != own.netloc:
        return PREFIX
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def sign_in_redirect(request: Request, ended: SignInRequired | None = None) -> Response:
    """To the sign-in page, and back to the page after it. When a session ended, the sign-in
    page says so, and a form sent meanwhile is kept as a draft of the same account."""
    query = {"next": _page_shown(request)}
    sealed = None
    if ended is not None and ended.ended_user_id is not None:
        query["ended"] = "1"
        if ended.fields:
            draft = drafts.Draft(ended.ended_user_id, request.url.path, ended.fields)
            sealed = drafts.seal(draft)
            query["kept"] = "1" if sealed else "0"
    target = f"{PREFIX}/sign-in?{urlencode(query, safe='/')}"
    response: Response
    if request.headers.get("HX-Request") == "true":
        # htmx would draw the sign-in page inside the results: the whole page goes instead.
        response = Response(status_code=204, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if sealed:
        drafts.keep(request, response, sealed)
    return response


def install_page_errors(app: FastAPI) -> None:
    """Call after the API's handlers are installed: each is kept for the paths it serves."""

    def wrap(cls: type[Exception], page: Handler) -> None:
        previous: Previous | None = app.exception_handlers.get(cls)

        async def handler(request: Request, exc: Any) -> Response:
            if is_page(request) or previous is None:
                return await page(request, exc)
            answered: Response = await previous(request, exc)
            return answered

        app.add_exception_handler(cls, handler)

    async def problem(request: Request, exc: ProblemError) -> Response:
        if isinstance(exc, Unauthorized):
            return sign_in_redirect(request)
        response = error_page(request, exc.status, exc.detail)
        response.headers.update(exc.headers or {})
        return response

    async def invalid(request: Request, _exc: RequestValidationError) -> Response:
        return error_page(request, 400, _("A link or a form sent values the page cannot use."))

    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code, None)

    async def sign_in(request: Request, exc: Exception) -> Response:
        return sign_in_redirect(request, exc if isinstance(exc, SignInRequired) else None)

    wrap(ProblemError, problem)
    wrap(RequestValidationError, invalid)
    wrap(StarletteHTTPException, http)
    app.add_exception_handler(SignInRequired, sign_in)
