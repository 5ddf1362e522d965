"""Refuses oversized and unstorable input before any work: before parsing, authentication or
a database round trip.

- **Size.** The limit of a body is decided before any of it is read, from who sends it
  (``limit_for``: an anonymous caller's is small). A body over its limit is refused with
  413: at once when ``Content-Length`` says so, else as soon as the chunks received pass the
  limit, so an anonymous 100 MB upload costs the server no more than the small limit.
- **Depth.** JSON nested deeper than ``MAX_JSON_DEPTH`` is refused with 400: no person's
  document is that deep, and the parsers recurse.
- **Characters.** NUL and other control characters (line separators, bidirectional
  overrides, lone surrogates) in the path, the query or any string of a JSON or form body
  are refused with 422, naming the field: the database could not store some (PostgreSQL
  refuses NUL), others disguise what a name says, and no person types them.

The body, read once, is kept in the request's state (``BODY``, on disk past 1 MiB) and
replayed to the application, so an inner middleware may run the application again with it.
"""

import json
import re
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit import json_scan
from service.kit.errors import FieldError, InvalidInput, ProblemError, problem_body, problem_type
from service.kit.i18n import gettext, ngettext
from service.kit.text import N_

BODY = "buffered_body"
SPOOL_BYTES = 1024 * 1024
REPLAY_CHUNK = 64 * 1024
MAX_JSON_DEPTH = 64
# C0 controls but tab, newline and carriage return; DEL and C1; the line and paragraph
# separators; the bidirectional embeddings, overrides and isolates (U+202E shows a name or
# a file name reversed); UTF-16 surrogates.
_UNSTORABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)

CONTENT_TOO_LARGE = problem_type(
    "content-too-large",
    N_("Content too large"),
    413,
    """The request body is over the limit for this caller and endpoint (by default 64 KiB
    before sign-in, 1 MiB signed in, 25 MiB for a file or batch sent to an import endpoint by
    a role that may import there): it is refused while it is read, before anything else.""",
)
TOO_DEEP = problem_type(
    "json-too-deep",
    N_("JSON nested too deeply"),
    400,
    """The JSON body nests arrays and objects more than 64 levels deep: no document of this
    service is, so it is refused before it is read further.""",
)


class _TooDeep(Exception):
    pass


def _json_problem(
    status: int, slug: str, title: str, detail: str, errors: list[FieldError]
) -> bytes:
    return json.dumps(problem_body(status, slug, title, detail, errors)).encode()


async def _respond(
    send: Send, status: int, body: bytes, path: str, extra: dict[str, str] | None = None
) -> None:
    document = json.loads(body)
    document["instance"] = path
    payload = json.dumps(document).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _respond_problem(send: Send, exc: ProblemError, path: str) -> None:
    body = _json_problem(exc.status, exc.slug, gettext(exc.title), exc.detail or "", exc.errors)
    await _respond(send, exc.status, body, path, exc.headers)


def unstorable_fields(value: Any, where: str) -> list[str]:
    """The paths of strings in ``value`` (JSON-like) that hold an unstorable character.
    Walked with a stack of its own, in document order, not by recursion: a value deeper than
    ``MAX_JSON_DEPTH`` raises ``_TooDeep``."""
    found: list[str] = []
    pending: list[tuple[Any, str, int]] = [(value, where, 0)]
    while pending:
        item, path, depth = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                found.append(path)
            continue
        if isinstance(item, dict | list) and depth >= MAX_JSON_DEPTH:
            raise _TooDeep
        if isinstance(item, dict):
            for key, inner in reversed(item.items()):
                name = f"{path}.{key}"
                if _UNSTORABLE.search(str(key)):
                    found.append(name)
                else:
                    pending.append((inner, name, depth + 1))
        elif isinstance(item, list):
            for i in range(len(item) - 1, -1, -1):  # popped in document order
                pending.append((item[i], f"{path}.{i}", depth + 1))
    return found


def _refusal(fields: list[str]) -> bytes:
    errors = [
        FieldError(
            field=f,
            message=gettext(N_("must not contain control characters (such as NUL)")),
            code="control_character",
        )
        for f in fields
    ]
    count = len(errors)
    return _json_problem(
        InvalidInput.status,
        InvalidInput.slug,
        gettext(InvalidInput.title),
        ngettext("%(count)s field failed validation.", "%(count)s fields failed validation.", count)
        % {"count": count},
        errors,
    )


def _query_fields(scope: Scope) -> list[str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    found = [
        f"query.{key}"
        for key, value in parse_qsl(raw, keep_blank_values=True)
        if _UNSTORABLE.search(key) or _UNSTORABLE.search(value)
    ]
    path = unquote(scope.get("raw_path", b"").decode("latin-1") or scope.get("path", ""))
    if _UNSTORABLE.search(path) or _UNSTORABLE.search(scope.get("path", "")):
        found.append("path")
    return found


WALKED_BYTES = 1024 * 1024
"""A JSON body that may hold an unstorable character is parsed to name the fields, up to
this size; a larger one is refused as a whole ("body")."""


def _json_fields(raw: bytes) -> list[str]:
    """The JSON fields holding what cannot be stored, measured in C first (depth, any such
    character at all): most bodies are never parsed here. Too deep raises ``_TooDeep``."""
    text = json_scan.text_of(raw)
    if text is None:
        return []  # not text: the application answers 400
    if json_scan.deeper_than(text, MAX_JSON_DEPTH):
        raise _TooDeep
    if not json_scan.may_hold(text, _UNSTORABLE):
        return []
    if len(raw) > WALKED_BYTES:
        return ["body"]
    try:
        return unstorable_fields(json.loads(text), "body")
    except RecursionError as exc:
        raise _TooDeep from exc
    except ValueError:
        return []  # not this middleware's to judge: the application answers 400


async def _body_fields(content_type: str, body: "SpooledBody") -> list[str]:
    """The JSON or form fields holding what cannot be stored (other bodies, such as uploads,
    are read by their endpoints, which refuse such cells themselves). JSON nested too deeply
    raises ``_TooDeep``."""
    if not body.size:
        return []
    if content_type.startswith("application/json") or content_type.endswith("+json"):
        raw = await body.read()
        if body.size <= SPOOL_BYTES:
            return _json_fields(raw)
        return await run_in_threadpool(_json_fields, raw)
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            form = parse_qsl((await body.read()).decode(), keep_blank_values=True)
        except (ValueError, UnicodeDecodeError):
            return []
        return [f"body.{k}" for k, v in form if _UNSTORABLE.search(k + v)]
    return []


def _too_deep() -> bytes:
    detail = gettext(N_("The JSON body is nested more than %(depth)s levels deep."))
    return _json_problem(
        TOO_DEEP.status,
        TOO_DEEP.slug,
        gettext(TOO_DEEP.title),
        detail % {"depth": MAX_JSON_DEPTH},
        [],
    )


def _announces_body(headers: dict[bytes, bytes]) -> bool:
    length = headers.get(b"content-length", b"").strip()
    return b"transfer-encoding" in headers or (bool(length) and length != b"0")


class InputGuardMiddleware:
    """``limit_for`` tells, before a byte is read, how large the request's body may be; a
    ``ProblemError`` it raises (a database outage) is the answer."""

    def __init__(
        self,
        app: ASGIApp,
        limit_for: Callable[[Scope], Awaitable[int]],
        limit_without_body: int,
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.limit_without_body = limit_without_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if fields := _query_fields(scope):
            await _respond(send, 422, _refusal(fields), path)
            return
        headers = dict(scope.get("headers", []))
        # A request that announces no body (most reads) is not signed in here: whatever
        # body it sends anyway is held to the smallest limit.
        limit = self.limit_without_body
        if _announces_body(headers):
            try:
                limit = await self.limit_for(scope)
            except ProblemError as exc:
                await _respond_problem(send, exc, path)
                return
        declared = headers.get(b"content-length")
        too_large = _json_problem(
            CONTENT_TOO_LARGE.status,
            CONTENT_TOO_LARGE.slug,
            gettext(CONTENT_TOO_LARGE.title),
            gettext(N_("The request body is over this endpoint's limit of %(limit)s bytes."))
            % {"limit": limit},
            [],
        )
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _respond(send, 413, too_large, path)
            return
        body = SpooledBody()
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                if body.size + len(chunk) > limit:
                    await _respond(send, 413, too_large, path)
                    return
                await body.write(chunk)
                if not message.get("more_body", False):
                    break
            content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
            try:
                fields = await _body_fields(content_type, body)
            except _TooDeep:
                await _respond(send, 400, _too_deep(), path)
                return
            if fields:
                await _respond(send, 422, _refusal(fields), path)
                return
            scope.setdefault("state", {})[BODY] = body
            await self.app(scope, replay(body, receive), send)
        finally:
            body.close()


class SpooledBody:
    """A request body read once and kept to be replayed: in memory up to ``SPOOL_BYTES``,
    in a temporary file beyond (a 25 MiB spreadsheet is not held in memory twice over). On
    disk, it is written and read in a worker thread, as Starlette does with uploads."""

    def __init__(self) -> None:
        # Closed by ``close``, when the request ends.
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.size = 0

    def _on_disk(self) -> bool:
        return bool(getattr(self._file, "_rolled", True))

    async def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self._on_disk():
            await run_in_threadpool(self._file.write, chunk)
        else:
            self._file.write(chunk)

    async def read(self) -> bytes:
        self._file.seek(0)
        if self._on_disk():
            return await run_in_threadpool(self._file.read)
        return self._file.read()

    def rewind(self) -> None:
        self._file.seek(0)

    async def read_chunk(self) -> bytes:
        if self._on_disk():
            return await run_in_threadpool(self._file.read, REPLAY_CHUNK)
        return self._file.read(REPLAY_CHUNK)

    def close(self) -> None:
        self._file.close()


def replay(body: SpooledBody, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, a chunk at a time, then waits on the real one
    (a disconnect)."""
    body.rewind()
    pending: bytes | None = None
    done = False

    async def _receive() -> Message:
        nonlocal pending, done
        if done:
            return await receive()
        chunk = pending if pending is not None else await body.read_chunk()
        pending = await body.read_chunk()
        done = not pending
        return {"type": "http.request", "body": chunk, "more_body": not done}

    return _receive
