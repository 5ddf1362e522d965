"""Optimistic concurrency: versions, ETags and If-Match.

GET returns ``ETag: "<version>"``; a change must send it back in ``If-Match``. The version
is bumped by a conditional UPDATE, so of two writers holding the same ETag exactly one
wins, even when both passed the check at the same moment: the database serialises them.
"""

import re
from typing import Annotated, Any, cast

import sqlalchemy as sa
from fastapi import Header, Response
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.errors import (
    FieldError,
    MalformedIfMatch,
    PreconditionFailed,
    PreconditionRequired,
)
from service.kit.i18n import _

IF_MATCH_HEADER = "If-Match"
IfMatch = Annotated[
    str | None,
    Header(
        alias=IF_MATCH_HEADER,
        max_length=200,
        description='Required to change a record: the ETag from the last read, e.g. `"3"` '
        "(a bare `3` is read the same). A stale one is refused (412), none (428).",
    ),
]
# The quoted form the API sends; a bare number is read as the version it names, as people and
# some tools strip the quotes.
_ETAG = re.compile(r'^\s*(?:W/)?(?:"([0-9]{1,18})"|([0-9]{1,18}))\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, row: SQLModel) -> None:
    response.headers["ETag"] = etag(int(getattr(row, "version", 1)))


def expected_version(if_match: str | None) -> int:
    if if_match is None:
        raise PreconditionRequired(_("Send the record's ETag in If-Match to change it."))
    tags = [t for t in if_match.split(",") if t.strip()]
    if len(tags) == 1 and (match := _ETAG.match(tags[0])):
        return int(match.group(1) or match.group(2))
    raise MalformedIfMatch(
        _('If-Match must be the one ETag of this record as it was read, e.g. "3".'),
        [
            FieldError(
                field="header.If-Match",
                message='expected the record\'s ETag, e.g. "3"',
                code="if_match_malformed",
            )
        ],
    )


async def claim_version(session: AsyncSession, row: SQLModel, if_match: str | None) -> None:
    """Check If-Match against the row and take the next version, or refuse with 412/428."""
    expected = expected_version(if_match)
    current = int(cast(Any, row).version)
    if expected != current:
        raise PreconditionFailed(
            _("The record is at version %(current)s, not %(expected)s.")
            % {"current": current, "expected": expected}
        )
    table: Any = type(row).__table__  # type: ignore[attr-defined]
    result: Any = await session.exec(
        sa.update(table)
        .where(table.c.id == cast(Any, row).id, table.c.version == expected)
        .values(version=expected + 1)
    )
    if result.rowcount != 1:
        raise PreconditionFailed(_("The record changed while this request ran."))
    # The row already holds the new version in the database; keep the ORM from writing it again.
    set_committed_value(row, "version", expected + 1)
