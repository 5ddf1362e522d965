"""Small helpers that every domain's service uses for rows, references and updates."""

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from service.kit.i18n import _

M = TypeVar("M", bound=SQLModel)
S = TypeVar("S", bound=BaseModel)


async def get_or_404(session: AsyncSession, model: type[M], row_id: Any, label: str) -> M:
    row = await session.get(model, row_id)
    if row is None:
        raise NotFound(_("No %(label)s %(row_id)s.") % {"label": _(label), "row_id": row_id})
    return row


async def require_refs(
    session: AsyncSession, refs: Mapping[str, tuple[type[SQLModel], Any]]
) -> None:
    """Refuse references to rows that do not exist, one field error each."""
    errors = []
    for field, (model, value) in refs.items():
        if value is not None and await session.get(model, value) is None:
            errors.append(
                FieldError(
                    field=f"body.{field}",
                    # A table may say where its valid values are listed (regions).
                    message=f"No {model.__name__.lower()} {value}."
                    + (f" {hint}" if (hint := getattr(model, "lookup_hint", None)) else ""),
                    code="unknown_reference",
                )
            )
    if errors:
        raise InvalidInput(_("A referenced record does not exist."), errors)


async def require_unique(
    session: AsyncSession, model: type[M], field: str, value: Any, own_id: int | None
) -> None:
    """Refuse a value another row of ``model`` already holds in a unique column."""
    column = getattr(model, field)
    statement = select(model).where(column == value)
    if own_id is not None:
        statement = statement.where(cast(Any, model).id != own_id)
    if (await session.exec(statement)).first() is not None:
        raise Conflict(
            _("Another %(model_name_lower)s has this %(field)s.")
            % {"model_name_lower": model.__name__.lower(), "field": field},
            [FieldError(field=f"body.{field}", message="already taken", code="duplicate")],
        )


def merge_update(row: SQLModel, changes: BaseModel, schema: type[S]) -> S:
    """The row as it would be after a partial update, validated whole by ``schema``.

    Cross-field rules (date order, a temporary registration's length) must hold for the
    result, not only for the fields a PATCH happened to send.
    """
    current = row.model_dump(include=set(schema.model_fields))
    current.update(changes.model_dump(exclude_unset=True))
    try:
        return schema.model_validate(current)
    except ValidationError as exc:
        raise InvalidInput(
            _("The update leaves the record invalid."),
            [
                FieldError(
                    field=".".join(["body", *(str(p) for p in err["loc"])]),
                    message=err["msg"].removeprefix("Value error, "),
                    code=err["type"],
                )
                for err in exc.errors()
            ],
        ) from exc


def apply(row: M, data: BaseModel) -> M:
    row.sqlmodel_update(data.model_dump())
    return row
