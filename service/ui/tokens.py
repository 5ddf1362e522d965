"""The Financial Center's API tokens: made for its own account with the scopes and the expiry
its systems need, the secret shown once on the page that made it, and revoked in one click.
The rules (whose tokens, what an expiry may be) are the auth service's, as for the API."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from service.auth import service as auth_service
from service.auth.schemas import ApiTokenCreate, ApiTokenCreated
from service.enums import ApiScope
from service.kit.errors import InvalidInput, ProblemError
from service.kit.fields import IdPath
from service.kit.i18n import gettext as _
from service.kit.pagination import PageParams
from service.kit.unit_of_work import UnitOfWorkDep
from service.ui.forms import FormErrors, OpenForm, refusal
from service.ui.record_forms import form_values
from service.ui.session import PREFIX, MonitorPage, page_router
from service.ui.templating import render

router = page_router()
SHOWN_TOKENS = 200
KAZAKHSTAN = timedelta(hours=5)
"""Kazakhstan's one time zone (UTC+5 since 2024): a token made to last "until 31 December"
works to the end of that day there."""


def valid_until(written: str) -> datetime | None:
    """The end of the chosen day in Kazakhstan, as an aware time; none when left blank."""
    if not written.strip():
        return None
    try:
        day = date.fromisoformat(written.strip())
    except ValueError:
        raise InvalidInput.field(
            "body.expires_at", _("Not a date: write it as DD.MM.YYYY."), "date_format"
        ) from None
    return datetime.combine(day + timedelta(days=1), time(), UTC) - KAZAKHSTAN


def state_of(row: Any, now: datetime) -> str:
    if row.revoked_at is not None:
        return _("revoked")
    return _("expired") if row.expired(now) else _("active")


async def _page(
    request: Request,
    uow: UnitOfWorkDep,
    principal: MonitorPage,
    form: OpenForm | None = None,
    created: ApiTokenCreated | None = None,
    status_code: int = 200,
) -> Response:
    rows, _cursor = await auth_service.list_api_tokens(
        uow.session, PageParams(limit=SHOWN_TOKENS), principal
    )
    now = datetime.now(UTC)
    tokens = [{"row": r, "state": state_of(r, now)} for r in reversed(rows)]
    context = {
        "tokens": tokens,
        "scopes": list(ApiScope),
        "scope_titles": {
            ApiScope.read.value: _("read the records"),
            ApiScope.monitoring.value: _("pull the feed and the exports"),
            ApiScope.write.value: _("change the records"),
        },
        "form_scopes": form.values.get("scopes", []) if form else [],
        "form": form,
        "created": created,
        "revoked": request.query_params.get("revoked"),
    }
    return render(request, "tokens.html", context, status_code)


@router.get("/tokens")
async def tokens_page(request: Request, uow: UnitOfWorkDep, principal: MonitorPage) -> Response:
    return await _page(request, uow, principal)


@router.post("/tokens")
async def create_token(request: Request, uow: UnitOfWorkDep, principal: MonitorPage) -> Response:
    sent = await request.form()
    values: dict[str, Any] = {**await form_values(request), "scopes": sent.getlist("scopes")}
    try:
        expires = valid_until(str(sent.get("expires_at") or ""))
        data = ApiTokenCreate.model_validate(
            {
                "name": sent.get("name") or "",
                "scopes": sent.getlist("scopes"),
                "expires_at": expires,
            }
        )
        created = await auth_service.create_api_token(uow.session, data, principal)
    except (ValidationError, ProblemError) as exc:
        await uow.discard()
        opened = OpenForm("token", None, values, refusal(exc))
        return await _page(request, uow, principal, form=opened, status_code=opened.errors.status)
    # The secret is on this page only: not in an address, a log or a later page.
    return await _page(request, uow, principal, created=created, status_code=201)


@router.post("/tokens/{token_id}/revoke")
async def revoke_token(
    request: Request, uow: UnitOfWorkDep, principal: MonitorPage, token_id: IdPath
) -> Response:
    try:
        await auth_service.revoke_api_token(uow.session, token_id, principal)
    except ProblemError as exc:
        await uow.discard()
        errors = FormErrors(general=[exc.detail or _(exc.title)], status=exc.status)
        opened = OpenForm("revoke", token_id, {}, errors)
        return await _page(request, uow, principal, form=opened, status_code=exc.status)
    return RedirectResponse(f"{PREFIX}/tokens?revoked={token_id}", status_code=303)
