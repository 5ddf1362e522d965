"""SQL constructs the service needs on both databases."""

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal


class AnyOf(sa.ColumnElement[bool]):
    """``column IN (values)`` for a batch of thousands of values.

    On PostgreSQL it is ``column = ANY(:values)`` with the values as one array parameter:
    an ``IN`` list of a thousand values is a statement of a thousand placeholders, expanded
    by SQLAlchemy and then parsed again by the driver on every execution, which cost a
    re-evaluation more than its queries did. Elsewhere (SQLite) it is the ``IN`` list.
    """

    type = sa.Boolean()
    # A condition, not a value: SQLite would compare it with 1 and use no index.
    _is_implicitly_boolean = True
    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012  (SQLAlchemy's own declaration)
        ("as_array", InternalTraversal.dp_clauseelement),
        ("as_list", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: Any, values: Collection[Any]) -> None:
        values = list(values)
        item: Any = column.type
        if isinstance(item, sa.String) or isinstance(
            getattr(item, "impl_instance", None), sa.String
        ):
            # No length: a cast to varchar(12) would cut a longer value down to a match.
            item = sa.String()
        self.as_array = column == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(item)))
        # One expanding parameter, not a literal per value: built for either dialect.
        self.as_list = column.in_(sa.bindparam(None, values, expanding=True))


@compiles(AnyOf, "postgresql")
def _any_of_postgresql(element: AnyOf, compiler: Any, **kw: Any) -> str:
    text: str = compiler.process(element.as_array, **kw)
    return text


@compiles(AnyOf)
def _any_of_default(element: AnyOf, compiler: Any, **kw: Any) -> str:
    text: str = compiler.process(element.as_list, **kw)
    return text


def any_of(column: Any, values: Collection[Any]) -> sa.ColumnElement[bool]:
    """True where ``column`` holds one of ``values``.

    Whole numbers with no gap (the ids of a batch of new graduates, or of a rescan's batch)
    are the range they span: one index range scan, and no array to send, where an array of
    a thousand ids is a thousand index probes (and the driver dumps it element by element).
    """
    if values and isinstance(column.type, sa.Integer) and all(type(v) is int for v in values):
        low, high = min(values), max(values)
        if high - low + 1 == len(values) == len(set(values)):
            span: sa.ColumnElement[bool] = column.between(low, high)
            return span
    return AnyOf(column, values)
