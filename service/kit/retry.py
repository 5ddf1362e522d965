"""Transaction conflicts the database resolved by cancelling one side: a deadlock (SQLSTATE
40P01) or a serialization failure (40001). They are nobody's mistake and the request was
rolled back whole, so the request is run again, a few times with a short random pause; if it
still conflicts, the client gets a 503 problem with ``Retry-After``, never a 500.

The unit of work commits before a byte of the response is sent, so a conflict at the commit
is still ours to retry. The body was read once by the input guard and is replayed.
"""

import asyncio
import logging
import random

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.errors import problem_response, problem_type, unexpected_problem
from service.kit.input_guard import BODY, SpooledBody, replay

logger = logging.getLogger(__name__)

TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})
_MARK = "transient_conflict"
TRANSACTION_CONFLICT = problem_type(
    "transaction-conflict",
    "Conflicting change, retry",
    503,
    """Another change to the same records was saved at the same moment, and running the
    request again did not get past it. Nothing was changed: send the request again (with
    its `Idempotency-Key`, a POST is applied once) after `Retry-After`.""",
)


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error, when the driver gives one."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(code) if code else None


def is_transient_conflict(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and sqlstate(exc) in TRANSIENT_SQLSTATES


def install_conflict_handler(app: FastAPI) -> None:
    """The answer to a conflict: 503, marked so ``RetryConflictsMiddleware`` runs it again."""

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if not is_transient_conflict(exc):
            return unexpected_problem(request, exc)
        setattr(request.state, _MARK, True)
        logger.warning(
            "transaction conflict on %s %s (SQLSTATE %s)",
            request.method,
            request.url.path,
            sqlstate(exc),
        )
        return problem_response(
            TRANSACTION_CONFLICT.status,
            TRANSACTION_CONFLICT.slug,
            TRANSACTION_CONFLICT.title,
            request,
            "Another change to the same records was saved at the same moment; "
            "send the request again.",
            headers={"Retry-After": "1"},
        )


class RetryConflictsMiddleware:
    def __init__(self, app: ASGIApp, attempts: int = 4, pause_seconds: float = 0.05) -> None:
        self.app = app
        self.attempts = attempts
        self.pause_seconds = pause_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        body: SpooledBody | None = state.get(BODY)
        for attempt in range(1, self.attempts + 1):
            state.pop(_MARK, None)
            held: list[Message] = []
            last = attempt == self.attempts or body is None

            async def hold(message: Message, held: list[Message] = held, last: bool = last) -> None:
                # Once a conflict is marked, this attempt's answer is dropped for a retry.
                if not last and state.get(_MARK):
                    held.append(message)
                    return
                await send(message)

            source = replay(body, receive) if body is not None else receive
            await self.app(scope, source, hold)
            if last or not state.get(_MARK):
                return
            await asyncio.sleep(random.uniform(0, self.pause_seconds * 2**attempt))
