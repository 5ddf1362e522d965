"""The pages problem ``type`` URIs resolve to: ``GET /problems/{slug}`` describes the kind of
problem, its status and, for invalid input, the codes of its field errors.

Every registered problem type has a page, and so has each HTTP status (a problem that is just
its status, such as ``method-not-allowed``); anything else is a 404 problem.
"""

import re
from html import escape
from http import HTTPStatus

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from service.enums import ERROR_CODE_MEANINGS, ErrorCode
from service.kit.errors import (
    PROBLEM_TYPES,
    PROBLEMS_PATH,
    InvalidInput,
    MalformedIfMatch,
    NotFound,
    ProblemType,
    status_slug,
)

router = APIRouter(include_in_schema=False)

# The field-error codes each kind of problem carries (the rest carry none).
_CODES: dict[str, list[ErrorCode]] = {
    InvalidInput.slug: [c for c in ErrorCode if c != ErrorCode.if_match_malformed],
    MalformedIfMatch.slug: [ErrorCode.if_match_malformed],
}
_PYDANTIC_NOTE = {
    InvalidInput.slug: "Beside these, a field error may carry a type of the validation library "
    "(<code>missing</code>, <code>string_too_long</code>, <code>int_parsing</code> ...).",
    "malformed-body": "The field error's code is <code>json_invalid</code>.",
}
_STATUS_TYPES = {
    status_slug(status): ProblemType(
        status_slug(status),
        status.phrase,
        status.value,
        status.description or status.phrase,
    )
    for status in HTTPStatus
    if status.value >= 400
}


def known_problem_types() -> dict[str, ProblemType]:
    """Every type a problem of the service can name: the registered ones and one per HTTP
    error status."""
    return {**_STATUS_TYPES, **PROBLEM_TYPES}


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _text(markdown: str) -> str:
    """A description's text, its `code` spans as such."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(markdown))


_STYLE = "body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}"


def _html(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - Serpin Tracker</title>"
        f'<link rel="stylesheet" href="{PROBLEMS_PATH}style.css"></head>'
        f"<body>{body}</body></html>"
    )


@router.get(PROBLEMS_PATH + "style.css")
async def problem_style() -> HTMLResponse:
    return HTMLResponse(_STYLE, media_type="text/css")


@router.get(PROBLEMS_PATH.rstrip("/"))
async def problem_index() -> HTMLResponse:
    rows = "".join(
        f'<li><a href="{PROBLEMS_PATH}{escape(kind.slug)}">{escape(kind.title)}</a> '
        f"({kind.status})</li>"
        for kind in sorted(PROBLEM_TYPES.values(), key=lambda k: (k.status, k.slug))
    )
    return _html(
        "Problem types",
        "<h1>Problem types</h1><p>Errors are RFC 9457 problem details; their <code>type</code> "
        "names one of these (or an HTTP status).</p>"
        f"<ul>{rows}</ul>",
    )


@router.get(PROBLEMS_PATH + "{slug}")
async def problem_page(slug: str) -> HTMLResponse:
    kind = known_problem_types().get(slug)
    if kind is None:
        raise NotFound("No such problem type.")
    codes = "".join(
        f"<li><code>{escape(code.value)}</code>: {_text(ERROR_CODE_MEANINGS[code])}</li>"
        for code in _CODES.get(slug, [])
    )
    listed = f"<h2>Codes of its field errors</h2><ul>{codes}</ul>" if codes else ""
    note = f"<p>{_PYDANTIC_NOTE[slug]}</p>" if slug in _PYDANTIC_NOTE else ""
    return _html(
        kind.title,
        f"<h1>{escape(kind.title)}</h1>"
        f"<p>Status <strong>{kind.status}</strong> ({escape(HTTPStatus(kind.status).phrase)}), "
        f"type <code>{escape(PROBLEMS_PATH + slug)}</code>.</p>"
        f"<p>{_text(kind.description)}</p>{listed}{note}"
        "<p>Each problem names its request in <code>request_id</code> (and the "
        "<code>X-Request-ID</code> header); quote it when asking about it. "
        f'<a href="{PROBLEMS_PATH.rstrip("/")}">All problem types</a>.</p>',
    )
