"""The workspace's routes, under ``/app``, and its static files (served by the application
itself: closed networks reach no CDN)."""

from fastapi import FastAPI, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from service.kit.routing import Router
from service.ui import (
    access,
    caseload,
    dashboard,
    decisions,
    exports,
    graduate,
    imports,
    links,
    me,
    me_report,
    me_what_if,
    records,
    tokens,
    welcome,
)
from service.ui.errors import install_page_errors
from service.ui.session import PREFIX
from service.ui.templating import HERE

router = Router()


@router.get("/", include_in_schema=False)
async def root() -> Response:
    """The address ``make run`` prints leads to the workspace (the API lives under /api)."""
    return RedirectResponse(PREFIX, status_code=307)


PAGES = (
    access,
    caseload,
    dashboard,
    decisions,
    exports,
    graduate,
    imports,
    records,
    links,
    tokens,
    welcome,
)
for pages in (*PAGES, me, me_report, me_what_if):
    router.include_router(pages.router)
router.include_router(access.missing)


def install(app: FastAPI) -> None:
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.include_router(router)
    install_page_errors(app)
