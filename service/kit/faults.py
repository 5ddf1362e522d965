"""Database faults that are not the client's fault answer 503, never 500.

A database that is down, restarting, frozen, out of connections or too slow to finish a
statement in time makes a request fail through no fault of the request: the client gets a
503 problem with ``Retry-After`` and may send the same request again (with its
``Idempotency-Key``, a write is never applied twice). Each such failure is logged as one
line (method, path, error class, SQLSTATE): no stack trace, no statement, no values.

Serialization failures and deadlocks (SQLSTATE class 40) are not outages: they are left to
their own handling (a retry), as anything else a database raises (a bug, a refused value) is
left to the handlers installed before these.
"""

import inspect
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import psycopg
from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from service.kit.errors import ProblemError, problem_for
from service.kit.i18n import gettext
from service.kit.text import N_

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# SQLSTATE classes that are not an outage: 40, transaction rollback (serialization failure,
# deadlock), has a handling of its own; 54, a program limit (a statement too complex, a row
# too large), fails again however often it is retried.
_NOT_FAULTS = ("40", "54")
# SQLite's result codes of a busy, full, unreadable or unwritable database; its plain
# SQLITE_ERROR is a wrong statement (no such table), a bug.
_SQLITE_FAULTS = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_IOERR",
    "SQLITE_FULL",
    "SQLITE_CANTOPEN",
    "SQLITE_NOMEM",
    "SQLITE_READONLY",
    "SQLITE_PROTOCOL",
)
_QUERY_CANCELED = "57014"


class DatabaseUnavailable(ProblemError):
    """The database is down, restarting, too slow, or every pooled connection is busy. The
    service reconnects by itself; send the request again after `Retry-After` (a POST with
    its `Idempotency-Key` is applied once, even if this answer came after its commit)."""

    status = 503
    slug = "database-unavailable"
    title = N_("The database is unavailable")
    default_headers: ClassVar[dict[str, str] | None] = {"Retry-After": str(RETRY_AFTER_SECONDS)}


@dataclass(frozen=True)
class Fault:
    """What a database error says of the database, in words safe to log and to show."""

    error: str
    sqlstate: str | None
    detail: str


def _driver_error(exc: BaseException) -> BaseException:
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        return exc.orig
    return exc


def _error_name(exc: BaseException) -> str:
    driver = _driver_error(exc)
    name = type(exc).__name__
    return name if driver is exc else f"{name}/{type(driver).__name__}"


def database_fault(exc: BaseException) -> Fault | None:
    """The fault ``exc`` reports, or None when it is not an outage of the database."""
    name = _error_name(exc)
    if isinstance(exc, sa_exc.TimeoutError):
        return Fault(name, None, N_("Every database connection is busy; retry shortly."))
    driver = _driver_error(exc)
    sqlstate = getattr(driver, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate[:2] in _NOT_FAULTS:
        return None
    if isinstance(driver, sqlite3.Error):
        code = getattr(driver, "sqlite_errorname", "")
        if isinstance(code, str) and code.startswith(_SQLITE_FAULTS):
            return Fault(name, None, N_("The database is busy; retry shortly."))
        return None
    invalidated = isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    outage = (sa_exc.OperationalError, sa_exc.InterfaceError)
    driver_outage = (psycopg.OperationalError, psycopg.InterfaceError)
    if not (invalidated or isinstance(exc, outage) or isinstance(driver, driver_outage)):
        return None
    if sqlstate == _QUERY_CANCELED:
        return Fault(name, sqlstate, N_("The database did not finish in time; retry shortly."))
    state = sqlstate if isinstance(sqlstate, str) else None
    return Fault(name, state, N_("The database is unreachable or restarting; retry shortly."))


# What a driver or SQLAlchemy raises when the database is away; each goes through
# database_fault, which passes on what is not an outage.
FAULT_CLASSES: tuple[type[Exception], ...] = (
    sa_exc.TimeoutError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DBAPIError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def unavailable(fault: Fault, method: str, path: str) -> DatabaseUnavailable:
    """The 503 of a request the database failed, logged as one line."""
    logger.warning(
        "database unavailable: %s %s %s sqlstate=%s",
        method,
        path,
        fault.error,
        fault.sqlstate or "-",
    )
    return DatabaseUnavailable(gettext(fault.detail))


def install_fault_handlers(app: FastAPI) -> None:
    """Answer 503 for database outages. Install after the other handlers: an error that is
    not an outage goes on to the handler the application had for it (or to the server-error
    handler), so a handler of deadlocks on these same classes keeps working."""
    before: dict[Any, Callable[..., Any]] = dict(app.exception_handlers)

    async def _pass_on(request: Request, exc: Exception) -> Response:
        for cls in type(exc).__mro__:
            handler = before.get(cls)
            if handler is None:
                continue
            if cls is Exception:
                break  # the server-error handler: re-raising reaches it, as without us
            if inspect.iscoroutinefunction(handler):
                response: Response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
            return response
        raise exc

    async def _fault(request: Request, exc: Exception) -> Response:
        fault = database_fault(exc)
        if fault is None:
            return await _pass_on(request, exc)
        return problem_for(unavailable(fault, request.method, request.url.path), request)

    for cls in FAULT_CLASSES:
        app.add_exception_handler(cls, _fault)
