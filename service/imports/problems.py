"""A refusal of any kind (an unreadable cell, a schema's validation, a service's rule), as
the problems of a row, each under the column the file itself gave it."""

from pydantic import ValidationError

from service.imports.columns import Layout
from service.imports.files import Sheet
from service.imports.readers import FIELD_OF
from service.imports.schemas import CellProblem
from service.imports.values import CellError
from service.imports.writers import RowRefused
from service.kit.errors import ProblemError
from service.kit.i18n import current_locale, gettext
from service.kit.validation_messages import field_message


class Headers:
    """A field's name as the reader knows it: the file's own header where it has one."""

    def __init__(self, layout: Layout, sheet: Sheet) -> None:
        self.layout = layout
        # A template marks required columns "Name *": the mark is not part of the name.
        self.own = {
            f: h.rstrip(" *") or h for f, h in zip(sheet.fields, sheet.headers, strict=True) if f
        }
        self.names = {c.name for c in layout.columns}

    def of(self, field: str | None) -> str | None:
        if field is None:
            return None
        field = FIELD_OF.get(field, field)
        if field in self.own:
            return self.own[field]
        if field in self.names:
            return self.layout.column(field).header(current_locale.get())
        return field

    def problem(self, field: str | None, code: str, message: str) -> CellProblem:
        cell = FIELD_OF.get(field, field) if field else None
        return CellProblem(column=self.of(cell), field=cell, code=code, message=message)

    def unreadable(self, errors: dict[str, CellError]) -> list[CellProblem]:
        return [self.problem(f, e.code, e.message) for f, e in errors.items()]

    def refusal(self, exc: ValidationError | ProblemError | RowRefused) -> list[CellProblem]:
        if isinstance(exc, ValidationError):
            return [
                self.problem(
                    str(e["loc"][0]) if e["loc"] else None, str(e["type"]), field_message(e)
                )
                for e in exc.errors()
            ]
        if isinstance(exc, RowRefused):
            return [self.problem(exc.field, exc.code, exc.message)]
        found = [
            self.problem(
                e.field.removeprefix("body.") if e.field.startswith("body.") else None,
                e.code,
                e.message,
            )
            for e in exc.errors
        ]
        return found or [self.problem(None, exc.slug, exc.detail or gettext(exc.title))]
