"""``Idempotency-Key`` on POST (IETF draft-ietf-httpapi-idempotency-key-header).

The first request stores a placeholder in its own transaction, so a concurrent retry with
the same key meets the unique constraint instead of creating a second record. When the
first request succeeds its response is kept; a retry with the same key and body gets that
response again, a retry with another body is refused.
"""

import hashlib
from typing import Annotated

from fastapi import Header, Request, Response
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth.dependencies import PrincipalDep
from service.db import SessionDep
from service.errors import Conflict, InvalidInput, ProblemError
from service.idempotency.models import IdempotencyRecord

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Makes a POST safe to retry: the same key and body return the first response.",
    ),
]
STATE = "idempotency"


class IdempotentReplay(ProblemError):
    """Not an error: carries the stored response out of the dependency."""

    status = 200

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__("replay")
        # Plain values: the session is rolled back (and its rows expired) before the reply.
        self.status_code = record.status_code or 200
        self.body = record.response_body or ""


def replay_response(exc: IdempotentReplay) -> Response:
    return Response(
        content=exc.body,
        status_code=exc.status_code,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


async def idempotency(
    request: Request, session: SessionDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> None:
    if request.method != "POST" or key is None:
        return
    owner = f"token:{principal.token_id}" if principal.token_id else f"user:{principal.user_id}"
    body = await request.body()
    request_hash = hashlib.sha256(
        b"%s %s\n" % (request.method.encode(), request.url.path.encode()) + body
    ).hexdigest()
    existing = (
        await session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.principal == owner, IdempotencyRecord.key == key
            )
        )
    ).first()
    if existing is not None:
        if existing.request_hash != request_hash:
            raise InvalidInput.field(
                "header.Idempotency-Key",
                "This key was used for a different request.",
                "idempotency_key_reused",
            )
        if existing.status_code is None:
            raise Conflict("A request with this Idempotency-Key is still running; retry later.")
        raise IdempotentReplay(existing)
    record = IdempotencyRecord(
        principal=owner,
        key=key,
        method=request.method,
        path=request.url.path,
        request_hash=request_hash,
    )
    session.add(record)
    await session.flush()
    setattr(request.state, STATE, (session, record))


class IdempotencyMiddleware:
    """Keeps the successful response of a POST that carried an Idempotency-Key.

    The response is held until it is stored, so a retry never finds a created record
    without its response. Pure ASGI: it must see the body as it is sent.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            pending = scope.get("state", {}).get(STATE)
            if pending is None:
                await send(message)
                return
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await _store(pending, held)
                for item in held:
                    await send(item)

        await self.app(scope, receive, hold)


async def _store(pending: tuple[AsyncSession, IdempotencyRecord], held: list[Message]) -> None:
    status_code = int(held[0]["status"])
    if not 200 <= status_code < 300:
        return
    session, record = pending
    record.status_code = status_code
    record.response_body = b"".join(m.get("body", b"") for m in held[1:]).decode()
    session.add(record)
    await session.commit()
