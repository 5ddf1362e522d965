"""RFC 9457 problem details: every error the API returns has this one shape.

Each error class knows its status and documents itself in OpenAPI through
``problem_responses``; handlers turn FastAPI's and the database's own errors into the
same shape, with a message per field where the input was at fault.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Any, ClassVar

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.kit.config import get_settings
from service.kit.i18n import gettext, ngettext
from service.kit.log import REQUEST_ID_HEADER, where_raised
from service.kit.text import N_
from service.kit.validation_messages import field_message

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEMS_PATH = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem: what its ``type`` URI names, described on the page it resolves to."""

    slug: str
    title: str
    status: int
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {}
"""Every problem type the service names (besides one per HTTP status), by slug."""


def problem_type(slug: str, title: str, status: int, description: str) -> ProblemType:
    """Register a problem type; the same slug twice must describe the same problem."""
    kind = ProblemType(slug, title, status, " ".join(description.split()))
    known = PROBLEM_TYPES.setdefault(slug, kind)
    if (known.title, known.status) != (title, status):
        raise ValueError(f"problem type {slug!r} registered twice, differently")
    return known


class FieldError(BaseModel):
    field: str = Field(description="Where the bad value is, e.g. `body.iin` or `query.limit`.")
    message: str
    code: str = Field(description="A stable machine-readable reason.")


class ProblemDetail(BaseModel):
    type: str = Field(
        description="A URI that identifies the kind of problem; it resolves to a page that "
        "describes it (`/problems/{slug}`)."
    )
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = Field(
        default=None,
        description="The request's id, as in the `X-Request-ID` header and the service's logs.",
    )
    errors: list[FieldError] = Field(default_factory=list)


class ProblemError(Exception):
    """The request cannot be served as it was sent."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = N_("Bad request")
    default_headers: ClassVar[dict[str, str] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Each class that names a problem of its own documents it at its type URI.
        if "slug" in cls.__dict__:
            problem_type(cls.slug, cls.title, cls.status, cls.__doc__ or cls.title)

    def __init__(self, detail: str | None = None, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(self.default_headers) if self.default_headers else None


class NotFound(ProblemError):
    """No such record, or none the caller may see: another institution's student is not
    found rather than forbidden, so that its existence is not disclosed."""

    status = 404
    slug = "not-found"
    title = N_("Not found")


class Unauthorized(ProblemError):
    """No credentials, or credentials that are not valid: an access token expired or issued
    before a new password, a revoked or expired API token, a disabled account. Sign in at
    `/api/v1/auth/token` and send `Authorization: Bearer <token>`."""

    status = 401
    slug = "unauthorized"
    title = N_("Authentication required")
    default_headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class Forbidden(ProblemError):
    """Signed in, but the role or the API token's scopes do not allow this action."""

    status = 403
    slug = "forbidden"
    title = N_("Forbidden")


class PreconditionFailed(ProblemError):
    """The version sent in `If-Match` is not the record's current one: somebody changed it
    since it was read. Read it again (its `ETag`), check the change still applies, and send
    it with the new version."""

    status = 412
    slug = "precondition-failed"
    title = N_("The record changed since you read it")


class MalformedIfMatch(ProblemError):
    """An `If-Match` that names no version: a malformed request, not a changed record.
    Send the `ETag` as read, e.g. `"3"`."""

    status = 400
    slug = "malformed-if-match"
    title = N_("Malformed If-Match")


class PreconditionRequired(ProblemError):
    """A change was sent without `If-Match`. Every change of a record sends back the `ETag`
    it was read with, so that no change overwrites another unseen."""

    status = 428
    slug = "precondition-required"
    title = N_("If-Match required")


class TooManyRequests(ProblemError):
    """Too many failed sign-ins for the account or from the address: wait for the
    `Retry-After` seconds."""

    status = 429
    slug = "too-many-requests"
    title = N_("Too many requests")

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(max(1, retry_after_seconds))}


class Conflict(ProblemError):
    """The change conflicts with the data as it stands: a duplicate of a unique value, a
    missing reference, or the same `Idempotency-Key` still being served."""

    status = 409
    slug = "conflict"
    title = N_("Conflict")


class InvalidInput(ProblemError):
    """Input that is well-formed but breaks a rule: a field of the wrong type or length, an
    IIN check digit, a date order. Each bad field is listed in `errors` with a stable `code`."""

    status = 422
    slug = "validation-error"
    title = N_("Invalid input")

    @classmethod
    def field(cls, field: str, message: str, code: str) -> "InvalidInput":
        return cls(message, [FieldError(field=field, message=message, code=code)])


problem_type(ProblemError.slug, ProblemError.title, ProblemError.status, ProblemError.__doc__ or "")
MALFORMED_BODY = problem_type(
    "malformed-body",
    N_("Malformed request body"),
    400,
    "The request body is not valid JSON (or not the form the endpoint reads).",
)
INTERNAL_ERROR = problem_type(
    "internal-error",
    N_("Internal server error"),
    500,
    """An unexpected error. Nothing was changed; the error is logged with the request id
    given in the problem, which the service's operators can look up.""",
)


def _problem_type(slug: str) -> str:
    """The type URI: under ``SERVICE_PUBLIC_URL`` when it is set, else relative to the
    service (RFC 9457 resolves it against the request's URI): either way, a page it serves."""
    return get_settings().public_url.rstrip("/") + PROBLEMS_PATH + slug


def problem_response(
    status: int,
    slug: str,
    title: str,
    request: Request,
    detail: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, slug, title, detail, errors, request.url.path),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def problem_body(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    errors: Sequence[FieldError] = (),
    instance: str | None = None,
) -> dict[str, Any]:
    """The JSON of a problem, for responses made outside FastAPI (middleware)."""
    body = ProblemDetail(
        type=_problem_type(slug),
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        request_id=correlation_id.get(),
        errors=list(errors),
    )
    result: dict[str, Any] = jsonable_encoder(body, exclude_none=True)
    return result


def problem_for(exc: ProblemError, request: Request) -> JSONResponse:
    """The response of a problem an endpoint returns rather than raises. Titles are
    translated here; details and field messages were written in the reader's language where
    they were raised."""
    return problem_response(
        exc.status, exc.slug, gettext(exc.title), request, exc.detail, exc.errors, exc.headers
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the given error statuses, all in the problem shape."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
            },
        }
        for status in statuses
    }


def add_problem_schemas(
    openapi: dict[str, Any],
    codes: type[StrEnum] | None = None,
    meanings: Mapping[Any, str] | None = None,
) -> dict[str, Any]:
    """Put ProblemDetail (and FieldError) into the document's components for the $refs above;
    with ``codes``, the field errors' codes as that enum, each with its meaning."""
    schema = ProblemDetail.model_json_schema(ref_template="#/components/schemas/{model}")
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["ProblemDetail"] = schema
    if codes is not None:
        rows = "\n".join(f"- `{c.value}`: {(meanings or {}).get(c, '')}" for c in codes)
        components[codes.__name__] = {
            "type": "string",
            "enum": [c.value for c in codes],
            "title": codes.__name__,
            "description": (codes.__doc__ or "").strip() + "\n\n" + rows,
        }
        code = components["FieldError"]["properties"]["code"]
        description = code.get("description", "")
        code.clear()
        code.update(
            {
                "anyOf": [
                    {"$ref": f"#/components/schemas/{codes.__name__}"},
                    {"type": "string", "description": "A Pydantic validation error type."},
                ],
                "title": "Code",
                "description": description,
            }
        )
    return openapi


def unexpected_problem(request: Request, exc: BaseException) -> JSONResponse:
    """A 500, logged in one line: the error's class and where it was raised, not its message
    (messages quote values, and values are personal data)."""
    logger.error("unhandled %s on %s %s", where_raised(exc), request.method, request.url.path)
    return problem_response(
        INTERNAL_ERROR.status, INTERNAL_ERROR.slug, gettext(INTERNAL_ERROR.title), request
    )


WRITE_METHODS = ("post", "put", "patch", "delete")


def document_common_statuses(openapi: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The statuses any operation under ``prefix`` can answer, whatever its own code does: a
    database that is down or a conflict that persists (503), and for writes a body over the
    limit (413) and a unique value taken at the same moment (409); every PATCH needs If-Match
    (428) with the current version (412)."""
    for path, operations in openapi.get("paths", {}).items():
        if not path.startswith(prefix):
            continue
        for method, operation in operations.items():
            statuses = [503]
            if method in WRITE_METHODS:
                statuses += [409, 413]
            if method == "patch":
                statuses += [412, 428]
            responses = operation.setdefault("responses", {})
            for status, entry in problem_responses(*statuses).items():
                responses.setdefault(str(status), entry)
            operation["responses"] = dict(sorted(responses.items()))
    return openapi


# The statuses Starlette itself answers (routing, methods), their phrases to translate.
HTTP_PHRASES = {
    404: N_("Not Found"),
    405: N_("Method Not Allowed"),
    406: N_("Not Acceptable"),
    413: N_("Content Too Large"),
    415: N_("Unsupported Media Type"),
}


def _field_path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def status_slug(status: int) -> str:
    """The slug of a problem that is just its HTTP status (`method-not-allowed`)."""
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_for(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(
                field=_field_path(err.get("loc", ())),
                message=field_message(err),
                code=str(err.get("type", "invalid")),
            )
            for err in exc.errors()
        ]
        # Malformed JSON is not a field error: say so as 400, as the OpenAPI document does.
        if any(e.code == "json_invalid" for e in errors):
            return problem_response(
                MALFORMED_BODY.status,
                MALFORMED_BODY.slug,
                gettext(MALFORMED_BODY.title),
                request,
                gettext(N_("The request body is not valid JSON.")),
                errors,
            )
        count = len(errors)
        detail = ngettext(
            "%(count)s field failed validation.", "%(count)s fields failed validation.", count
        ) % {"count": count}
        title = gettext(InvalidInput.title)
        return problem_response(422, InvalidInput.slug, title, request, detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        return problem_response(
            exc.status_code,
            status_slug(exc.status_code),
            gettext(HTTP_PHRASES.get(exc.status_code, phrase)),
            request,
            detail,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # Services check what they can first; this is the last line against races. The
        # driver's message quotes the values ("Key (iin)=(...)"): only the constraint is logged.
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        logger.info("integrity conflict on %s (constraint %s)", request.url.path, constraint)
        return problem_response(
            409,
            Conflict.slug,
            gettext(Conflict.title),
            request,
            gettext(
                N_("The change conflicts with existing data (a duplicate or a missing reference).")
            ),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        response = unexpected_problem(request, exc)
        # Starlette answers an unhandled error outside every middleware, the request id's
        # too: the header is set here, so that a 500 names its request like any answer.
        if request_id := correlation_id.get():
            response.headers[REQUEST_ID_HEADER] = request_id
        return response
