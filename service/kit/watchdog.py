"""PostgreSQL connections that notice a server that stopped answering, in seconds.

A frozen server (stopped by a signal, a hung host, a network that drops packets without
closing the connection) never applies its own statement timeout: psycopg would wait for it
forever, and a request with it. A slow statement, though, is no fault: a national statistic
may take seconds. So a wait for the server that lasts ``probe_after`` seconds asks the server,
on a new connection, whether it answers at all:

- it answers (or refuses with an error of its own: too many clients): the statement is only
  slow, and the wait goes on, up to the statement timeout and its grace;
- it does not answer within ``probe_seconds``: the connection is closed, its state being
  unknown, and the wait fails as a lost connection (a 503 to the request). For the next
  ``BREAKER_SECONDS`` every new connection to that server fails at once instead of waiting
  out its own connect timeout: a pooled connection's ping and its replacement do not each
  wait again.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg
from psycopg.abc import PQGen

RV = TypeVar("RV")
# psycopg's own timeout of a wait (internal to it: named here so that a psycopg without it
# fails at import, not in the middle of an outage).
_WAIT_TIMEOUT = psycopg.errors._WaitTimeout

BREAKER_SECONDS = 2.0
"""How long a server that failed a probe is presumed away without asking it again."""

# Per server (host, port, database): when it last failed a probe.
_silent_since: dict[tuple[str, str, str], float] = {}


def _server_of(kwargs: dict[str, Any], args: tuple[Any, ...]) -> tuple[str, str, str]:
    conninfo = psycopg.conninfo.conninfo_to_dict(args[0] if args else "", **kwargs)
    return (
        str(conninfo.get("host", "")),
        str(conninfo.get("port", "")),
        str(conninfo.get("dbname", "")),
    )


def _presumed_silent(server: tuple[str, str, str]) -> bool:
    since = _silent_since.get(server)
    return since is not None and time.monotonic() - since < BREAKER_SECONDS


class GuardedConnection(psycopg.AsyncConnection[Any]):
    response_timeout: float | None = None
    probe_after: float = 2.0
    probe_seconds: float = 2.0
    _probe: Callable[[], Awaitable[bool]] | None = None

    async def wait(
        self,
        gen: PQGen[RV],
        interval: float = 0.1,
        timeout: float | None = None,  # noqa: ASYNC109 (psycopg's own signature)
    ) -> RV:
        if timeout is not None or self.response_timeout is None:
            return await super().wait(gen, interval, timeout)
        deadline = time.monotonic() + self.response_timeout
        while True:
            step = max(0.01, min(self.probe_after, deadline - time.monotonic()))
            try:
                # A wait cut short leaves the generator where it was: it is taken up again.
                return await super().wait(gen, interval, step)
            except _WAIT_TIMEOUT:
                if time.monotonic() < deadline and await self._server_answers():
                    continue
                self.pgconn.finish()
                raise psycopg.OperationalError("the database did not answer in time") from None

    async def _server_answers(self) -> bool:
        return self._probe is None or await self._probe()


async def _answers(
    server: tuple[str, str, str], args: tuple[Any, ...], kwargs: dict[str, Any], seconds: float
) -> bool:
    """Whether the server answers a new connection within ``seconds``."""
    if _presumed_silent(server):
        return False
    try:
        async with asyncio.timeout(seconds):
            probe = await psycopg.AsyncConnection.connect(*args, **kwargs)
            async with probe:
                await probe.execute("SELECT 1")
    except psycopg.Error as exc:
        if exc.sqlstate is not None:  # an answer of the server's own, if a refusal
            return True
    except (TimeoutError, OSError):
        pass
    else:
        _silent_since.pop(server, None)
        return True
    _silent_since[server] = time.monotonic()
    return False


def guarded_connect(
    response_timeout: float | None, probe_after: float, probe_seconds: float
) -> Callable[..., Awaitable[Any]]:
    """The ``async_creator_fn`` of an engine whose connections are watched."""

    async def connect(*args: Any, **kwargs: Any) -> GuardedConnection:
        server = _server_of(kwargs, args)
        if _presumed_silent(server):
            raise psycopg.OperationalError("the database did not answer a moment ago")
        probe_kwargs = {**kwargs, "connect_timeout": max(2, round(probe_seconds))}
        try:
            connection = await GuardedConnection.connect(*args, **kwargs)
        except psycopg.OperationalError as exc:
            if exc.sqlstate is None:  # no answer at all: refused, or timed out
                _silent_since[server] = time.monotonic()
            raise
        connection.response_timeout = response_timeout
        connection.probe_after = probe_after
        connection.probe_seconds = probe_seconds
        connection._probe = lambda: _answers(server, args, probe_kwargs, probe_seconds)
        return connection

    return connect
