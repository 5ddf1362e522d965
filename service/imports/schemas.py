from enum import StrEnum

from pydantic import BaseModel, Field

from service.imports.columns import ImportKind


class RowOutcome(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"
    refused = "refused"
    skipped = "skipped"
    """Not among the rows chosen for the commit."""


class CellProblem(BaseModel):
    column: str | None = Field(description="The column's header as the file writes it.")
    field: str | None = Field(description="The field it was matched to (none: the whole row).")
    code: str = Field(description="A stable machine-readable reason.")
    message: str = Field(description="In the reader's language.")


class RowResult(BaseModel):
    row: int = Field(description="The row number a spreadsheet shows (the header counts).")
    outcome: RowOutcome
    student_id: int | None = None
    record_id: int | None = Field(
        default=None, description="The enrolment or record the row created or matched."
    )
    student_name: str | None = Field(
        default=None, description="Whom the row is about, as the file or the record names them."
    )
    iin_masked: str | None = Field(
        default=None, description="The IIN's last four digits, the rest hidden."
    )
    errors: list[CellProblem] = []


class ColumnMatch(BaseModel):
    header: str
    field: str | None = Field(description="None: a column the import does not know.")


class ImportSummary(BaseModel):
    """The report of an import but its rows' results."""

    kind: ImportKind
    dry_run: bool
    applied: bool = Field(description="Whether the rows were saved (never on a dry run).")
    file_sha256: str = Field(
        description="Give it back as `expect_sha256` on the commit: the file must not have "
        "changed since its preview."
    )
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    columns: list[ColumnMatch]
    unknown_columns: list[str] = Field(description="Headers matched to no field: not imported.")
    rows: int
    created: int
    updated: int
    unchanged: int
    refused: int
    skipped: int
    import_id: int | None = Field(
        default=None,
        description="A committed import's id: `GET /api/v1/caseload?import_id=` lists its "
        "graduates.",
    )


class ImportReport(ImportSummary):
    results: list[RowResult]
