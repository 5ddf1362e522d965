"""A graduate's one-time link (``/app/welcome/<secret>``): the page where they set the password
of their own account, then are signed in and sent to their own pages.

The pages are public, so they are no oracle: a link unknown, used, expired or replaced gets one
and the same answer (404), the secret is compared in constant time and never logged (the
access log masks it), and a password is hashed only for a link that may be used.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from service.auth.credentials import create_access_token
from service.invitations import service as invitations_service
from service.invitations.schemas import NewPassword
from service.kit.config import get_settings
from service.kit.errors import NotFound, ProblemError
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import SessionDep, UnitOfWorkDep
from service.ui.forms import FormErrors, refusal
from service.ui.session import PREFIX, PageStateDep, page_router, start_session
from service.ui.templating import render

router = page_router()
Secret = Annotated[str, Path(max_length=100)]
# The graduate's own pages.
AFTER_WELCOME = f"{PREFIX}/me"


def link_not_valid() -> NotFound:
    return NotFound(
        _(
            "This link is not valid: it was already used, it has expired, or a newer link "
            "replaced it. Ask your career centre for a new one."
        )
    )


def _page(
    request: Request,
    token: str,
    username: str,
    reset: bool,
    errors: FormErrors | None = None,
) -> Response:
    context = {"token": token, "username": username, "reset": reset, "errors": errors}
    return render(request, "welcome.html", context, errors.status if errors else 200)


@router.get("/welcome/{token}")
async def welcome_page(
    request: Request, session: SessionDep, _state: PageStateDep, token: Secret
) -> Response:
    found = await invitations_service.open_link(session, token)
    if found is None:
        raise link_not_valid()
    return _page(request, token, found.username, found.row.password_reset)


@router.post("/welcome/{token}")
async def set_password(
    request: Request, uow: UnitOfWorkDep, _state: PageStateDep, token: Secret
) -> Response:
    found = await invitations_service.open_link(uow.session, token)
    if found is None:
        raise link_not_valid()
    # Read now: undoing a refused write below expires the rows.
    username, reset = found.username, found.row.password_reset
    form = await request.form()
    values = {k: v for k in ("password", "password_confirm") if isinstance(v := form.get(k), str)}
    try:
        choice = NewPassword.model_validate(values)
        account = await invitations_service.accept(uow, token, choice.password)
    except (ValidationError, ProblemError) as exc:
        await uow.discard()
        return _page(request, token, username, reset, refusal(exc))
    if account is None or account.id is None:
        raise link_not_valid()
    now = datetime.now(UTC)
    lifetime = timedelta(minutes=get_settings().session_minutes)
    session_token, seconds = create_access_token(
        account.id, account.role, now, account.token_generation, lifetime
    )
    signed_in = RedirectResponse(AFTER_WELCOME, status_code=303)
    start_session(request, signed_in, session_token, seconds)
    return signed_in
