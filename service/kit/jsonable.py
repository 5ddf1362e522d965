"""One JSON form for values, wherever records leave the service as data (the audit trail and
change feed, the exports): timestamps in UTC with microseconds, decimals as numbers."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic_core import to_jsonable_python


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return to_jsonable_python(value)


def jsonable_of(python_type: type) -> Callable[[Any], Any]:
    """``jsonable`` for the values of one type (a column's, never None), chosen once: a bulk
    import converts hundreds of thousands of cells of a few types."""
    if python_type is datetime:
        return _timestamp
    if python_type is date:
        return date.isoformat
    if python_type is Decimal:
        return float
    return jsonable
