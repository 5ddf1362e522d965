"""``Idempotency-Key`` on POST (IETF draft-ietf-httpapi-idempotency-key-header).

The first request inserts its key and, before its unit of work commits, the response it
made: the key, the change and the response commit together or not at all, so a retry never
finds a change without its response. A concurrent retry with the same key waits on the
unique key and is then refused (409) or, once the first has committed, replayed. A retry
with the same key and body gets the first response again; another body is refused.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Header, Request, Response
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.dependencies import PrincipalDep
from service.kit.config import get_settings
from service.kit.errors import Conflict, InvalidInput, ProblemError
from service.kit.i18n import _
from service.kit.unit_of_work import UnitOfWork, UnitOfWorkDep
from service.models.idempotency import IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        min_length=1,
        max_length=200,
        description="Makes a POST safe to retry: the same key and body return the first response.",
    ),
]


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


IN_PROGRESS_TIMEOUT = timedelta(minutes=5)


def _retention() -> timedelta:
    return timedelta(hours=get_settings().idempotency_retention_hours)


def _expired(record: IdempotencyRecord, now: datetime) -> bool:
    if record.status_code is None:
        return record.created_at < now - IN_PROGRESS_TIMEOUT
    return record.created_at < now - _retention()


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    """Delete every stored response past its retention and every abandoned key (daily)."""
    table: Any = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    result: Any = await session.exec(
        sa.delete(table).where(
            (table.c.created_at < now - _retention())
            | (table.c.status_code.is_(None) & (table.c.created_at < now - IN_PROGRESS_TIMEOUT))
        )
    )
    return int(result.rowcount or 0)


async def idempotency(
    request: Request, uow: UnitOfWorkDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> None:
    if request.method != "POST" or key is None:
        return
    session = uow.session
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
    if existing is not None and _expired(existing, datetime.now(UTC)):
        # A stored response past its retention (it holds personal data), or a key a crashed
        # process left behind: the key is free again.
        await session.delete(existing)
        await session.flush()
        existing = None
    if existing is not None:
        if existing.request_hash != request_hash:
            raise InvalidInput.field(
                "header.Idempotency-Key",
                _("This key was used for a different request."),
                "idempotency_key_reused",
            )
        if existing.status_code is None:
            raise Conflict(_("A request with this Idempotency-Key is still running; retry later."))
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

    async def keep_response(uow: UnitOfWork) -> None:
        response = uow.response
        if response is None or not 200 <= response.status_code < 300:
            # A refused request keeps no key: the same request may be sent again.
            await uow.session.delete(record)
            return
        record.status_code = response.status_code
        record.response_body = bytes(response.body).decode()
        uow.session.add(record)

    uow.before_commit.append(keep_response)
