"""The ASGI application: ``service.main:app``."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from service.apidocs.problems import router as problems_router
from service.apidocs.router import install_api_docs
from service.assembly import assemble
from service.audit.router import router as audit_router
from service.auth import gate
from service.auth.gate import Upload
from service.auth.principal import EDITORS
from service.auth.router import router as auth_router
from service.caseload.router import router as caseload_router
from service.disputes.router import router as disputes_router
from service.employment.router import router as employment_router
from service.enrolments.router import router as enrolments_router
from service.enums import (
    ERROR_CODE_MEANINGS,
    RISK_CODE_MEANINGS,
    ApiScope,
    ErrorCode,
    RiskCode,
    UserRole,
)
from service.housing.router import applications_router, arrangements_router
from service.idempotency.service import (
    IDEMPOTENCY_HEADER,
    IdempotentReplay,
    idempotency,
    replay_response,
)
from service.imports.router import router as imports_router
from service.invitations.router import router as invitations_router
from service.kit.concurrency import IF_MATCH_HEADER
from service.kit.config import get_settings
from service.kit.db import database
from service.kit.errors import (
    add_problem_schemas,
    document_common_statuses,
    install_error_handlers,
    problem_responses,
)
from service.kit.faults import install_fault_handlers
from service.kit.health import router as health_router
from service.kit.heap import settle_heap
from service.kit.i18n import LocaleMiddleware, check_catalogs
from service.kit.input_guard import InputGuardMiddleware
from service.kit.log import REQUEST_ID_HEADER, AccessLogMiddleware, configure_logging
from service.kit.metrics import install_metrics
from service.kit.openapi import describe_enum, header_only_on, require_header_on
from service.kit.retry import RetryConflictsMiddleware, install_conflict_handler
from service.kit.routing import Router
from service.kit.security_headers import SecurityHeadersMiddleware
from service.kit.unit_of_work import request_unit_of_work
from service.monitoring.router import router as monitoring_router
from service.obligations.router import router as obligations_router
from service.organisations.router import employers_router, institutions_router
from service.programmes.router import router as programmes_router
from service.reference.router import router as regions_router
from service.residence.router import router as residence_router
from service.risks.router import router as risks_router
from service.selfservice.router import router as me_router
from service.students.router import router as students_router
from service.ui import router as ui

API_PREFIX = "/api/v1"
OPENAPI_URL = "/openapi.json"
DESCRIPTION = """
Follows each student of Kazakhstan's Serpin programme, and of other state-grant schemes with a
work-off duty, from enrolment through graduation and the work-off obligation to its end, with
residence registration and housing beside it.

Errors are [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) problem details
(`application/problem+json`) with a message per field. Lists page by an opaque cursor:
pass `next_cursor` back as `cursor`.
"""


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def valid_request_id(value: str) -> bool:
    """A caller's X-Request-ID is kept if it is short and plain (it goes into the audit log)."""
    return bool(_REQUEST_ID.match(value))


MULTIPART = "multipart/form-data"
# The routes that take files and batches, and who may send them there: every other body is
# a small JSON document or form.
UPLOADS = (
    Upload(
        f"{API_PREFIX}/monitoring/contributions",
        "application/json",
        frozenset({UserRole.admin, UserRole.financial_center}),
        ApiScope.monitoring,
        # At most 10,000 rows of a few short fields: parsed whole, as JSON is.
        most_bytes=8 * 1024 * 1024,
    ),
    Upload(f"{API_PREFIX}/imports", MULTIPART, EDITORS),
    Upload("/app/imports", MULTIPART, EDITORS),
)


async def body_limit(scope: Scope) -> int:
    """The caller is signed in before a byte of the body is read (``service.auth.gate``), in
    a unit of work of the application's own kind (the one its requests are given)."""
    application: FastAPI = scope["app"]
    provider = application.dependency_overrides.get(request_unit_of_work, request_unit_of_work)
    # A scope of its own: the request's state is not to hold this unit of work.
    sign_in = Request({**scope, "state": {}})
    return await gate.body_limit(scope, UPLOADS, lambda: asynccontextmanager(provider)(sign_in))


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settle_heap()
    yield
    await database.dispose()


def api_router() -> Router:
    # Regions are public reference data; everything else is behind authentication. Any
    # request may meet a database outage (503).
    router = Router(prefix=API_PREFIX, responses=problem_responses(400, 422, 503))
    router.include_router(regions_router)
    router.include_router(auth_router)
    # Outside the idempotency store: its responses carry secrets shown once (see the router).
    router.include_router(invitations_router)
    # Outside it too: a commit of the same file again changes nothing (rows are matched on
    # their natural keys), and a report the size of the file is no response to store.
    router.include_router(imports_router)
    private = Router(dependencies=[Depends(idempotency)])
    for sub in (
        programmes_router,
        institutions_router,
        employers_router,
        students_router,
        caseload_router,
        enrolments_router,
        employment_router,
        residence_router,
        arrangements_router,
        applications_router,
        obligations_router,
        audit_router,
        disputes_router,
        risks_router,
        monitoring_router,
        me_router,
    ):
        private.include_router(sub)
    router.include_router(private)
    return router


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level)
    docs = settings.api_docs
    app = FastAPI(
        title="Serpin Tracker",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc are served below from the service's own files, not a CDN.
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL if docs else None,
    )
    assemble()
    check_catalogs()
    install_error_handlers(app)
    install_conflict_handler(app)

    @app.exception_handler(IdempotentReplay)
    async def _replay(_request: Request, exc: IdempotentReplay) -> Response:
        return replay_response(exc)

    # Last: what is not a database outage goes on to the handlers above (a conflict to its
    # retry, a duplicate to its 409).
    install_fault_handlers(app)

    # Outermost last: proxy headers, request id, access log, headers, language, input guard,
    # retries (the guard's own refusals are written in the reader's language too).
    app.add_middleware(RetryConflictsMiddleware, attempts=settings.database_conflict_retries + 1)
    app.add_middleware(
        InputGuardMiddleware,
        limit_for=body_limit,
        limit_without_body=settings.max_anonymous_body_bytes,
    )
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(
        SecurityHeadersMiddleware,
        always_https=gate.secure_site,
    )
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(
        CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER, validator=valid_request_id
    )
    if settings.forwarded_allow_ips:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.include_router(api_router())
    app.include_router(health_router)
    app.include_router(problems_router)
    if docs:
        install_api_docs(app, OPENAPI_URL, app.title)
    if settings.metrics:
        install_metrics(app)
    ui.install(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = add_problem_schemas(FastAPI.openapi(app), ErrorCode, ERROR_CODE_MEANINGS)
            document = describe_enum(document, RiskCode, RISK_CODE_MEANINGS)
            # The idempotency dependency guards a whole router, but only a POST reads its
            # key; every PATCH needs If-Match (its absence is a 428, not a 422).
            document = header_only_on(document, IDEMPOTENCY_HEADER, ["post"])
            document = require_header_on(document, IF_MATCH_HEADER, "patch")
            app.openapi_schema = document_common_statuses(document, API_PREFIX)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    return app


app = create_app()
