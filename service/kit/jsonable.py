"""One JSON form for values, wherever records leave the service as data (the audit trail and
change feed, the exports): timestamps in UTC with microseconds, decimals as numbers."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic_core import to_jsonable_python


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return to_jsonable_python(value)
