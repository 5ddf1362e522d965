"""Keyset (cursor) pagination: pages stay fast on the millionth row, unlike OFFSET."""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.config import get_settings
from service.kit.errors import InvalidInput
from service.kit.i18n import _

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class PageParams(BaseModel):
    cursor: str | None = None
    limit: int


def page_params(
    cursor: Annotated[
        str | None, Query(max_length=512, description="Opaque cursor from `next_cursor`.")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="Page size.")] = None,
) -> PageParams:
    settings = get_settings()
    return PageParams(
        cursor=cursor, limit=min(limit or settings.page_size_default, settings.page_size_max)
    )


PageDep = Annotated[PageParams, Depends(page_params)]


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return {"d": value.isoformat()}
    raise TypeError(f"cannot encode {type(value).__name__} in a cursor")


def _json_hook(obj: dict[str, Any]) -> Any:
    if set(obj) == {"d"}:
        return date.fromisoformat(obj["d"])
    return obj


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), default=_json_default, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _integer_bound(kind: Any) -> int | None:
    """The bound of a whole-number column's values (an id past it makes PostgreSQL refuse
    the query: a cursor is the caller's input); None for other types."""
    stored = kind.impl_instance if isinstance(kind, sa.TypeDecorator) else kind
    for integer, bound in _INTEGER_BOUNDS:
        if isinstance(stored, integer):
            return bound
    return None


# Subclasses first: a BigInteger is an Integer.
_INTEGER_BOUNDS = ((sa.SmallInteger, 2**15), (sa.BigInteger, 2**63), (sa.Integer, 2**31))


def _fits(value: Any, kind: Any) -> bool:
    try:
        expected = kind.python_type
    except NotImplementedError:  # pragma: no cover - every key column has a Python type
        return True
    if isinstance(value, bool) or not isinstance(value, expected):
        return False
    bound = _integer_bound(kind)
    return bound is None or -bound <= value < bound


def decode_cursor(cursor: str, keys: Sequence[Any], field: str = "query.cursor") -> list[Any]:
    """The values of a cursor from ``encode_cursor``, one per key (a column, or a SQL type),
    each of its key's type and range; a 422 naming ``field`` otherwise. Every list decodes
    its cursor here: a forged one must never reach the database."""
    invalid = InvalidInput.field(field, _("The cursor is not valid."), "cursor_invalid")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded), object_hook=_json_hook)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        raise invalid from exc
    if not isinstance(values, list) or len(values) != len(keys):
        raise invalid
    for value, key in zip(values, keys, strict=True):
        if not _fits(value, key if isinstance(key, sa.types.TypeEngine) else key.type):
            raise invalid
    return values


async def paginate(
    session: AsyncSession,
    statement: Any,
    page: PageParams,
    order_by: Sequence[Any],
) -> tuple[list[Any], str | None]:
    """One page of ``statement`` in ascending ``order_by`` order (the last key must be unique)."""
    if page.cursor is not None:
        after = decode_cursor(page.cursor, order_by)
        if len(order_by) == 1:
            statement = statement.where(order_by[0] > after[0])
        else:
            statement = statement.where(sa.tuple_(*order_by) > sa.tuple_(*after))
    statement = statement.order_by(*order_by).limit(page.limit + 1)
    rows = list((await session.exec(statement)).all())
    next_cursor = None
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, str(column.key)) for column in order_by])
    return rows, next_cursor
