"""The ASGI application: ``service.main:app``."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel

import service.models  # noqa: F401  (registers every table)
from service.config import get_settings
from service.db import database
from service.employers.router import router as employers_router
from service.employment.router import router as employment_router
from service.enrolments.router import router as enrolments_router
from service.errors import install_error_handlers, problem_responses
from service.housing.router import applications_router, arrangements_router
from service.institutions.router import router as institutions_router
from service.obligations.router import releases_router, suspensions_router
from service.programmes.router import router as programmes_router
from service.reference.router import router as regions_router
from service.residence.router import router as residence_router
from service.students.router import router as students_router

API_PREFIX = "/api/v1"
DESCRIPTION = """
Follows each student of Kazakhstan's Serpin programme, and of other state-grant schemes with a
work-off duty, from enrolment through graduation and the work-off obligation to its end, with
residence registration and housing beside it.

Errors are [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem details
(`application/problem+json`) with a message per field. Lists page by an opaque cursor:
pass `next_cursor` back as `cursor`.
"""


class Health(BaseModel):
    status: str


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await database.dispose()


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 422))
    for sub in (
        regions_router,
        programmes_router,
        institutions_router,
        employers_router,
        students_router,
        enrolments_router,
        employment_router,
        residence_router,
        arrangements_router,
        applications_router,
        suspensions_router,
        releases_router,
    ):
        router.include_router(sub)
    return router


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Serpin Tracker",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.include_router(api_router())

    @app.get("/health", tags=["health"], summary="Liveness")
    async def health() -> Health:
        return Health(status="ok")

    return app


app = create_app()
